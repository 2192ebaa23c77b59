import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Logos go to a temporary folder, not the working tree's media/."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole module: data built once for many cases, then rolled
    back. Each test still runs in its own savepoint: mark the module ``django_db``."""
    from tests.base_content import ensure_base_content

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_content()
        yield
        transaction.set_rollback(True)
