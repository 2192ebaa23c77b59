"""Team members who upload a new version of the same document at the same moment each get their
own number, one after the other, none lost: the database decides (a row lock on the document
and a unique (document, number)), tested with real threads on PostgreSQL."""


import pytest

from tests.concurrency import race
from tests.services import require_postgres
from tests.workspace.builders import build_world, pdf
from workspace import services
from workspace.models import DocumentVersion, ProjectDocument

UPLOADERS = 5




@pytest.mark.django_db(transaction=True)
def test_concurrent_new_versions_get_distinct_consecutive_numbers():
    require_postgres()
    world = build_world()
    document = services.document_upload(
        project=world.project, user=world.member, upload=pdf("plan.pdf")
    )
    uploaders = [world.member, world.coordinator]

    def work(index):
        return services.document_version_add(
            document=ProjectDocument.objects.get(pk=document.pk),
            user=uploaders[index % len(uploaders)],
            upload=pdf(f"plan-{index}.pdf"),
        )

    results, errors = race(work, UPLOADERS)

    assert errors == []
    assert sorted(version.number for version in results) == list(range(2, UPLOADERS + 2))
    numbers = list(
        DocumentVersion.objects.filter(document=document)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, UPLOADERS + 2))
    document.refresh_from_db()
    assert document.current.number == UPLOADERS + 1
    # every version keeps its own file
    filenames = set(
        DocumentVersion.objects.filter(document=document).values_list("filename", flat=True)
    )
    assert filenames == {"plan.pdf"} | {f"plan-{i}.pdf" for i in range(UPLOADERS)}
