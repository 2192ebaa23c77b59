import pytest

from tests.impact.helpers import Team, make_proxy


@pytest.fixture
def team():
    return Team()


@pytest.fixture
def proxy():
    return make_proxy()
