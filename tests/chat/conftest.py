from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.utils import approved_organization, project_with_partner_on_team


@dataclass
class Team:
    project: object
    coordinator: object
    member: object
    outsider: object
    partner: object


@pytest.fixture(autouse=True)
def _fresh_chat_state():
    from chat import presence, ratelimit, runtime

    runtime.reset()
    presence._entries.clear()
    presence._users.clear()
    presence._last.clear()
    ratelimit.reset()
    yield
    from django.db import connection

    # Consumers ran queries in worker threads; with psycopg's pool those connections stay
    # open and would keep the test database from being dropped at the end.
    if hasattr(connection, "close_pool"):
        connection.close_pool()


# The chat fixtures use the database the test's marker asks for (set up by the autouse
# ``_base_content``): consumers read it from their own threads, so their tests commit
# (``django_db(transaction=True)``); the others roll back.
@pytest.fixture
def team():
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, partner, member = project_with_partner_on_team(coordinator=coordinator, member=member)
    outsider_org = approved_organization()
    outsider = outsider_org.memberships.first().user
    return Team(project, coordinator, member, outsider, partner)


def session_cookie(user):
    """A real session: signed in through the login view's backend, cookie as a browser has it."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client.cookies["sessionid"].value


@pytest.fixture
def cookie_for():
    return session_cookie


@pytest.fixture
def cookies(team):
    return {
        name: session_cookie(getattr(team, name)) for name in ("coordinator", "member", "outsider")
    }


def seed_messages(project, author, count, prefix="m"):
    from chat.services import message_send

    for index in range(1, count + 1):
        message_send(
            project_id=project.pk,
            author=author,
            body=f"{prefix} {index}",
            client_id=f"{prefix}{index}",
        )
