import pytest

from tests.utils import reread, rolled_back
from tests.workspace.builders import build_world


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_world, db):
    return reread(_world)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client_for(client):
    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login
