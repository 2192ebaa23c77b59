import pytest

from tests.training.builders import build_world
from tests.utils import reread, rolled_back


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_world, db):
    return reread(_world)
