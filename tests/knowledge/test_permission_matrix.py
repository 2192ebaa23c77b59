"""The permission matrix of communities, questions and knowledge items, over HTTP.

Columns: anonymous, outsider (signed in, not a member), member (who asked the question and
proposed the items), other member, facilitator, editor, superuser. Every action is tried by
every role; a refused one changes nothing.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from knowledge.models import Answer, CommunityMembership, Question, Session, UsefulVote

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["anonymous", "outsider", "member", "other_member", "facilitator", "editor", "superuser"]


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def _cells(*outcomes):
    return list(zip(ROLES, outcomes, strict=True))


def _url(world, name, **kwargs):
    return reverse(f"knowledge:{name}", kwargs={"slug": world.community.slug, **kwargs})


# --- Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_directory_and_a_community(client, world, role):
    client = _client(client, world, role)
    assert client.get(reverse("knowledge:community_index")).status_code == 200
    response = client.get(_url(world, "community"))
    assert response.status_code == 200
    assert world.community.name in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_a_public_question_and_item(client, world, role):
    client = _client(client, world, role)
    assert client.get(_url(world, "question", question_id=world.question.pk)).status_code == 200
    assert client.get(world.item.url).status_code == 200


@pytest.mark.parametrize(("role", "expected"), _cells(404, 404, 200, 200, 200, 200, 200))
def test_members_only_question(client, world, role, expected):
    url = _url(world, "question", question_id=world.private_question.pk)
    response = _client(client, world, role).get(url)
    assert response.status_code == expected
    listing = client.get(_url(world, "community")).content.decode()
    assert (world.private_question.title in listing) == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), _cells(404, 404, 200, 200, 200, 200, 200))
def test_members_only_item(client, world, role, expected):
    response = _client(client, world, role).get(world.private_item.url)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reads_a_draft_item_at_its_url(client, world, role):
    assert _client(client, world, role).get(world.draft.get_url()).status_code == 404


# --- Pages of the portal ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 200, 200, 200, 403, 200))
def test_ask_and_propose_forms(client, world, role, expected):
    client = _client(client, world, role)
    assert _outcome(client.get(_url(world, "question_new"))) == expected
    assert _outcome(client.get(_url(world, "item_propose"))) == expected


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 200, 200, 200))
def test_review_list(client, world, role, expected):
    response = _client(client, world, role).get(_url(world, "review_list"))
    assert _outcome(response) == expected
    if expected == 200:
        assert world.draft.title in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 200, 403, 200))
def test_session_form(client, world, role, expected):
    assert _outcome(_client(client, world, role).get(_url(world, "session_new"))) == expected


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_calendar(client, world, role):
    response = _client(client, world, role).get(_url(world, "sessions_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


# --- Actions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 302, 302, 302, 403, 302))
def test_answer_a_question(client, world, role, expected):
    before = Answer.objects.count()
    response = _client(client, world, role).post(
        _url(world, "answer_new", question_id=world.question.pk), {"body": "My answer"}
    )
    assert _outcome(response) == expected
    assert Answer.objects.count() == before + (1 if expected == 302 else 0)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 302, 403, 302, 403, 302))
def test_accept_an_answer_asker_or_facilitator(client, world, role, expected):
    response = _client(client, world, role).post(
        _url(world, "answer_accept", answer_id=world.answer.pk)
    )
    assert _outcome(response) == expected
    accepted = Question.objects.get(pk=world.question.pk).accepted_answer_id
    assert accepted == (world.answer.pk if expected == 302 else None)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 302, 403, 302))
def test_promote_an_answer(client, world, role, expected):
    response = _client(client, world, role).post(
        _url(world, "answer_promote", answer_id=world.answer.pk)
    )
    assert _outcome(response) == expected
    promoted = Answer.objects.get(pk=world.answer.pk).promoted_to
    assert (promoted is not None) == (expected == 302)
    if promoted:
        assert not promoted.live
        assert promoted.current_workflow_state is not None


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 302, 302, 302))
def test_review_publishes(client, world, role, expected):
    response = _client(client, world, role).post(
        _url(world, "review", item_id=world.draft.pk), {"decision": "approve"}
    )
    assert _outcome(response) == expected
    world.draft.refresh_from_db()
    assert world.draft.live == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 302, 403, 302))
def test_accept_a_join_request(client, world, role, expected):
    url = reverse(
        "knowledge:membership_answer",
        kwargs={"slug": world.closed.slug, "member_id": world.request.pk},
    )
    response = _client(client, world, role).post(url, {"accept": "1"})
    assert _outcome(response) == expected
    status = CommunityMembership.objects.get(pk=world.request.pk).status
    assert status == ("active" if expected == 302 else "requested")
    assert world.outsider.has_perm("knowledge.take_part", world.closed) == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 302, 403, 302))
def test_make_a_member_facilitator(client, world, role, expected):
    membership = CommunityMembership.objects.get(community=world.community, user=world.member)
    response = _client(client, world, role).post(
        _url(world, "membership_role", member_id=membership.pk), {"role": "facilitator"}
    )
    assert _outcome(response) == expected
    membership.refresh_from_db()
    assert membership.role == ("facilitator" if expected == 302 else "member")


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 200, 403, 200))
def test_making_a_member_facilitator_asks_first(client, world, role, expected):
    """The link answers with the confirmation page to those who may act; nothing changes."""
    membership = CommunityMembership.objects.get(community=world.community, user=world.member)
    url = _url(world, "membership_role", member_id=membership.pk) + "?role=facilitator"
    response = _client(client, world, role).get(url)
    assert _outcome(response) == expected
    if expected == 200:
        html = response.content.decode()
        name = escape(world.member.get_full_name())
        assert f"Make {name} facilitator of {world.community.name}?" in html
        assert 'method="post"' in html and 'name="role" value="facilitator"' in html
    membership.refresh_from_db()
    assert membership.role == "member"


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 403, 403, 403, 302, 403, 302))
def test_schedule_a_session(client, world, role, expected):
    before = Session.objects.count()
    response = _client(client, world, role).post(
        _url(world, "session_new"),
        {
            "title": "Clinic",
            "starts_at": "2030-05-01T17:00",
            "ends_at": "2030-05-01T18:30",
            "link": "https://meet.example.org/clinic",
        },
    )
    assert _outcome(response) == expected
    assert Session.objects.count() == before + (1 if expected == 302 else 0)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 302, 302, 302, 302, 302, 302))
def test_vote_on_a_public_item(client, world, role, expected):
    url = reverse("knowledge:item_vote", args=[world.item.pk])
    response = _client(client, world, role).post(url, {"useful": "yes"})
    assert _outcome(response) == expected
    assert UsefulVote.objects.filter(item=world.item).count() == (1 if expected == 302 else 0)


@pytest.mark.parametrize(("role", "expected"), _cells(LOGIN, 404, 302, 302, 302, 302, 302))
def test_vote_on_a_members_only_item(client, world, role, expected):
    url = reverse("knowledge:item_vote", args=[world.private_item.pk])
    response = _client(client, world, role).post(url, {"useful": "no"})
    assert _outcome(response) == expected
    assert UsefulVote.objects.filter(item=world.private_item).exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"), _cells(LOGIN, "active", "active", "active", "active", "active", "active")
)
def test_join_an_open_community(client, world, role, expected):
    response = _client(client, world, role).post(_url(world, "community_join"))
    if expected == LOGIN:
        assert _outcome(response) == LOGIN
        assert not CommunityMembership.objects.filter(user=None).exists()
        return
    user = getattr(world, role)
    assert response.status_code == 302
    assert CommunityMembership.objects.get(community=world.community, user=user).status == expected


def test_joining_by_approval_waits_for_a_facilitator(client, world):
    client.force_login(world.editor)
    client.post(reverse("knowledge:community_join", args=[world.closed.slug]))
    membership = CommunityMembership.objects.get(community=world.closed, user=world.editor)
    assert membership.status == "requested"
    assert not world.editor.has_perm("knowledge.take_part", world.closed)
    assert world.facilitator.notifications.filter(kind="knowledge.join_request").exists()
