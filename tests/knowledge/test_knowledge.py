"""Behaviour of the knowledge app beyond the permission matrix: bad input refused with
nothing stored, the review workflow, votes, search, the calendar, personal data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.personal_data import ForgetContext, registrations
from knowledge import services
from knowledge.models import (
    Answer,
    CommunityMembership,
    KnowledgeItemPage,
    Question,
    Session,
    UsefulVote,
)
from tests.knowledge.builders import published_item
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def _state():
    return (
        Question.objects.count(),
        Answer.objects.count(),
        Session.objects.count(),
        KnowledgeItemPage.objects.count(),
        UsefulVote.objects.count(),
    )


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("question_new", {"title": "   ", "body": "x"}),
        ("question_new", {"title": "x" * 201}),
        ("item_propose", {"title": "", "kind": "guide", "licence": "cc-by-4.0", "language": "en"}),
        ("item_propose", {"title": "A", "kind": "poem", "licence": "cc-by-4.0", "language": "en"}),
        ("item_propose", {"title": "A", "kind": "guide", "licence": "mine", "language": "en"}),
    ],
)
def test_bad_forms_are_refused_and_store_nothing(client, world, name, data):
    client.force_login(world.member)
    before = _state()
    response = client.post(reverse(f"knowledge:{name}", args=[world.community.slug]), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert _state() == before


def test_empty_answer_is_refused(client, world):
    client.force_login(world.member)
    before = _state()
    url = reverse("knowledge:answer_new", args=[world.community.slug, world.question.pk])
    response = client.post(url, {"body": "  "})
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"title": "S", "starts_at": "2030-05-01T18:00", "ends_at": "2030-05-01T17:00", "link": ""},
        {"title": "S", "starts_at": "2030-05-01T17:00", "ends_at": "2030-05-01T18:00"},
        {"title": "S", "starts_at": "yesterday", "ends_at": "2030-05-01T18:00", "location": "A"},
        {
            "title": "S",
            "starts_at": "2030-05-01T17:00",
            "ends_at": "2030-05-01T18:00",
            "link": "javascript:alert(1)",
        },
    ],
)
def test_bad_sessions_are_refused(client, world, data):
    client.force_login(world.facilitator)
    before = _state()
    response = client.post(reverse("knowledge:session_new", args=[world.community.slug]), data)
    assert response.status_code == 200
    assert _state() == before


def test_bad_vote_is_refused(client, world):
    client.force_login(world.member)
    client.post(reverse("knowledge:item_vote", args=[world.item.pk]), {"useful": "maybe"})
    assert not UsefulVote.objects.exists()


def test_joining_twice_is_refused(world):
    with pytest.raises(ValidationError):
        services.membership_join(community=world.community, user=world.member)
    assert CommunityMembership.objects.filter(user=world.member).count() == 1


def test_only_facilitator_cannot_leave(world):
    with pytest.raises(ValidationError):
        services.membership_leave(community=world.community, user=world.facilitator)
    assert world.facilitator.has_perm("knowledge.facilitate", world.community)


def test_leaving_revokes_permissions(world):
    services.membership_leave(community=world.community, user=world.member)
    # A fresh object: guardian caches permissions on the user instance.
    member = type(world.member).objects.get(pk=world.member.pk)
    assert not member.has_perm("knowledge.take_part", world.community)


# --- Stories --------------------------------------------------------------------------------


def test_ask_answer_accept_promote(world):
    question = services.question_ask(
        community=world.community,
        user=world.other_member,
        title="Which licence for our guides?",
        body="Asking @k_facilitator",
    )
    assert world.facilitator.notifications.filter(kind="knowledge.mention").exists()
    answer = services.answer_post(question=question, user=world.member, body="CC BY 4.0.")
    assert world.other_member.notifications.filter(kind="knowledge.answer").exists()
    services.answer_accept(answer=answer, user=world.other_member)
    assert Question.objects.get(pk=question.pk).accepted_answer == answer
    assert world.member.notifications.filter(kind="knowledge.accepted").exists()
    item = services.answer_promote(answer=answer, user=world.facilitator)
    assert item.title == question.title and not item.live
    assert item.current_workflow_state.workflow == world.community.workflow
    services.item_review(item=item, user=world.facilitator, approve=True)
    item.refresh_from_db()
    assert item.live


def test_rejected_item_stays_draft_and_owner_hears(world):
    services.item_review(item=world.draft, user=world.facilitator, approve=False, comment="More")
    world.draft.refresh_from_db()
    assert not world.draft.live
    note = world.member.notifications.get(kind="knowledge.rejected")
    assert "More" in note.body


def test_start_from_a_template(world):
    template = published_item(
        community=world.community, user=world.facilitator, title="Case study template"
    )
    template.is_template = True
    template.save_revision().publish()
    item = services.item_propose(
        user=world.member, community=world.community, title="Ours", template=template
    )
    assert item.body.raw_data[0]["value"] == template.body.raw_data[0]["value"]


def test_one_vote_per_person_changeable(world):
    services.item_vote(item=world.item, user=world.member, useful=True)
    services.item_vote(item=world.item, user=world.member, useful=False)
    services.item_vote(item=world.item, user=world.other_member, useful=False)
    world.item.refresh_from_db()
    assert (world.item.useful_count, world.item.not_useful_count) == (0, 2)
    assert UsefulVote.objects.filter(item=world.item).count() == 2


def test_views_are_counted(client, world):
    # Signed in: an anonymous visitor's second view is a page-cache hit, never counted.
    client.force_login(world.outsider)
    client.get(world.item.url)
    client.get(world.item.url)
    world.item.refresh_from_db()
    assert world.item.view_count >= 2


def test_out_of_date_notice_after_a_year(client, world):
    assert "may be out of date" not in client.get(world.item.url).content.decode()
    world.item.last_reviewed = timezone.localdate() - datetime.timedelta(days=400)
    world.item.save_revision().publish()
    assert "may be out of date" in client.get(world.item.url).content.decode()


def _stale(item):
    item.last_reviewed = timezone.localdate() - datetime.timedelta(days=400)
    item.save_revision().publish()
    return KnowledgeItemPage.objects.get(pk=item.pk)


def _confirm_url(world, item):
    return reverse("knowledge:item_reviewed", args=[world.community.slug, item.pk])


@pytest.mark.parametrize("role", ["facilitator", "member"])  # member: the item's owner
def test_facilitator_or_owner_confirms_an_item_is_current_permitted(client, world, role):
    item = _stale(world.item)
    client.force_login(getattr(world, role))
    page = client.get(item.url).content.decode()
    assert _confirm_url(world, item) in page
    response = client.post(_confirm_url(world, item))
    assert response.status_code == 302
    item = KnowledgeItemPage.objects.get(pk=item.pk)
    assert item.last_reviewed == timezone.localdate() and item.live
    assert "may be out of date" not in client.get(item.url).content.decode()


@pytest.mark.parametrize(("role", "status"), [("other_member", 403), ("outsider", 403)])
def test_others_cannot_confirm_an_item_is_current_denied(client, world, role, status):
    item = _stale(world.item)
    client.force_login(getattr(world, role))
    assert _confirm_url(world, item) not in client.get(item.url).content.decode()
    assert client.post(_confirm_url(world, item)).status_code == status
    assert KnowledgeItemPage.objects.get(pk=item.pk).may_be_out_of_date


def test_anonymous_cannot_confirm_and_members_only_items_stay_private_denied(client, world):
    item = _stale(world.item)
    response = client.post(_confirm_url(world, item))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.outsider)
    assert client.post(_confirm_url(world, world.private_item)).status_code == 404


def test_an_item_with_changes_in_review_is_not_confirmed(world):
    item = _stale(world.item)
    item.title = "Running coding clubs, revised"
    item.save_revision(user=world.member)
    with pytest.raises(ValidationError):
        services.item_reviewed_confirm(item=item, user=world.facilitator)
    assert KnowledgeItemPage.objects.get(pk=item.pk).may_be_out_of_date


# --- Search, calendar, languages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Inclusió digital dels joves", "inclusio"),
        ("Medición del retorno social", "medicion"),
        ("Coding clubs for young people", "CODING"),
    ],
)
def test_search_finds_items_without_accents(client, world, title, query):
    require_postgres()
    published_item(community=world.community, user=world.facilitator, title=title)
    response = client.get("/search/", {"q": query, "type": "knowledge"})
    assert title in [result["page"].title for result in response.context["results"]]


def test_search_finds_each_language_version_without_accents(client, world):
    """An item's Spanish and Catalan versions (its translations, under /es/ and /ca/) are
    found by a search in that language, from words typed without their accents."""
    require_postgres()
    for language, title, body in (
        ("es", "Inclusión digital de los jóvenes", "Préstamo de portátiles."),
        ("ca", "Inclusió digital dels joves", "Préstec d'ordinadors portàtils."),
    ):
        version = services.item_translate(
            item=world.item, user=world.member, language=language, title=title, body=body
        )
        services.item_review(item=version, user=world.facilitator, approve=True)
    for language, query, title in (
        ("es", "inclusion jovenes", "Inclusión digital de los jóvenes"),
        ("es", "prestamo portatiles", "Inclusión digital de los jóvenes"),
        ("ca", "inclusio joves", "Inclusió digital dels joves"),
        ("ca", "portatils", "Inclusió digital dels joves"),
        ("en", "RUNNING CODING", world.item.title),
    ):
        response = client.get(
            "/search/", {"q": query, "type": "knowledge"}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert title in [result["page"].title for result in response.context["results"]], query


def test_search_leaves_out_members_only_items(client, world):
    response = client.get("/search/", {"q": "funders", "type": "knowledge"})
    assert world.private_item.title not in response.content.decode()


def test_calendar_lists_the_sessions(client, world):
    response = client.get(reverse("knowledge:sessions_ics", args=[world.community.slug]))
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [world.session.title]
    assert events[0].decoded("dtstart") == world.session.starts_at.replace(microsecond=0)


@pytest.mark.parametrize("prefix", ["", "/es", "/ca"])
def test_community_pages_in_every_language(client, world, prefix):
    assert client.get(f"{prefix}/communities/").status_code == 200
    assert client.get(f"{prefix}/communities/{world.community.slug}/").status_code == 200


def test_spanish_interface(client, world):
    response = client.get("/es/communities/")
    assert response["Content-Language"] == "es"


# --- Personal data --------------------------------------------------------------------------


def test_personal_data_registration_covers_every_user_model():
    from django.apps import apps
    from django.conf import settings

    registration = next(r for r in registrations() if r.section == "knowledge")
    with_user = {
        f"knowledge.{model.__name__}"
        for model in apps.get_app_config("knowledge").get_models()
        if any(
            getattr(f, "related_model", None) is apps.get_model(settings.AUTH_USER_MODEL)
            for f in model._meta.fields
        )
        and not model.__name__.endswith("ObjectPermission")
        # Pages: their owner and lock are Wagtail's own columns.
        and not hasattr(model, "get_url_parts")
    }
    assert with_user <= set(registration.models)


def test_export_and_forget(world):
    registration = next(r for r in registrations() if r.section == "knowledge")
    services.item_vote(item=world.item, user=world.member, useful=True)
    exported = registration.export(world.member)
    assert exported["questions"][0]["title"]
    assert exported["community_memberships"]
    registration.forget(
        world.member,
        ForgetContext(user=world.member, emails=frozenset(), former="former member"),
    )
    assert not CommunityMembership.objects.filter(user=world.member).exists()
    assert not UsefulVote.objects.filter(user=world.member).exists()
    assert Question.objects.filter(pk=world.question.pk, author=None).exists()
    world.item.refresh_from_db()
    assert world.item.useful_count == 0
