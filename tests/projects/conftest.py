import pytest

from tests.projects.builders import build_world
from tests.utils import rolled_back


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One cast of every matrix role (see ``build_world``)."""
    with rolled_back(django_db_blocker):
        yield build_world()
