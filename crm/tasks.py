"""Background work of the CRM on Django's tasks framework (run by ``db_worker``): a CSV
import's preview and the import itself, which may take minutes for a large file."""

from django.utils import translation
from django_tasks import task

from . import services


@task()
def contact_import_run_task(import_id, language):
    # The rows' problems are written in the language of the person who started the work.
    with translation.override(language):
        return services.import_run(import_id=import_id)
