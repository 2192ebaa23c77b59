"""Wagtail's search-index and reference-index updates go through the background queue.

Saving an indexed object (a page, when an editor approves it; any model with
``search_fields``) enqueues ``modelsearch.tasks.insert_or_update_object_task`` and
``wagtail.tasks.update_reference_index_task`` on Django's tasks framework: with the database
backend they are rows that ``db_worker`` runs, in the same transaction as the save (a rolled-back
save enqueues nothing). Until the worker runs, search does not find the new text; after, it
does. Deleting an object is not queued: Wagtail removes it from both indexes inside the request
(``post_delete``), so a deleted page is never found, worker or not.
"""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, ReferenceIndex

from projects.models import ProjectPage
from tests.notifications.test_mail_queue import DATABASE_TASKS, run_worker
from tests.utils import approved_project

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"
REFERENCE_TASK = "wagtail.tasks.update_reference_index_task"
WORD = "Zeppelinwerkstatt"


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    return settings


def queued(path, pk):
    return DBTaskResult.objects.filter(task_path=path, args_kwargs__args__2=str(pk))


def found(word=WORD):
    return [page.pk for page in Page.objects.live().search(word)]


def test_a_published_page_is_indexed_by_the_worker_not_the_request(queue):
    project = approved_project(title=f"{WORD} for young people")
    search_tasks = queued(SEARCH_TASK, project.pk)
    reference_tasks = queued(REFERENCE_TASK, project.pk)
    assert search_tasks.exists() and reference_tasks.exists()
    assert set(search_tasks.values_list("status", flat=True)) == {"READY"}
    assert found() == []  # the request did not index it
    run_worker()
    assert set(search_tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert set(reference_tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert found() == [project.pk]
    assert ReferenceIndex.objects.filter(object_id=str(project.pk)).exists()


def test_a_save_that_is_rolled_back_enqueues_nothing(queue):
    project = approved_project(title="Rolled back")
    run_worker()
    before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        page = ProjectPage.objects.get(pk=project.pk)
        page.title = f"{WORD} never saved"
        page.save()
        raise RuntimeError("the request failed")
    assert DBTaskResult.objects.count() == before
    run_worker()
    assert found() == []


def test_a_deleted_page_leaves_the_index_in_the_request(queue):
    project = approved_project(title=f"{WORD} to delete")
    run_worker()
    assert found() == [project.pk]
    before = DBTaskResult.objects.count()
    Page.objects.get(pk=project.pk).delete()
    assert found() == []
    assert DBTaskResult.objects.count() == before  # nothing queued for a deletion
