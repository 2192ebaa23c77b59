"""The knowledge base's index, the page cache of community pages, the facilitators' edit form,
naming a facilitator in the admin and session materials as documents."""

import datetime
import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from core.pagecache import HEADER
from knowledge import services
from knowledge.models import Community, CommunityMembership, KnowledgeIndexPage, Session
from taxonomy.models import Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- The knowledge base exists from the start ------------------------------------------------


def test_the_knowledge_base_exists_before_any_proposal(client):
    from django.apps import apps

    from tests.base_content import ensure_base_content

    ensure_base_content()  # an earlier transactional test may have flushed the database
    migration = importlib.import_module("knowledge.migrations.0002_knowledge_index")
    KnowledgeIndexPage.objects.all().delete()
    migration.create_knowledge_index(apps, None)
    migration.create_knowledge_index(apps, None)  # a second run changes nothing
    index = KnowledgeIndexPage.objects.get()
    assert index.live and index.get_parent().specific_class.__name__ == "HomePage"
    assert index.url_path.endswith("/knowledge/")
    assert client.get("/knowledge/").status_code == 200
    # The tree stays valid: the home page counts its new child.
    home = index.get_parent()
    assert home.numchild == home.get_children().count()
    assert Page.find_problems() == ([], [], [], [], [])


def test_proposals_go_into_the_one_knowledge_base(world):
    item = services.item_propose(user=world.member, community=world.community, title="Another")
    assert KnowledgeIndexPage.objects.count() == 1
    assert item.get_parent().pk == KnowledgeIndexPage.objects.get().pk


# --- Page cache -------------------------------------------------------------------------------


@pytest.fixture
def cache_pages(settings):
    settings.PAGECACHE_ENABLED = True
    from django.core.cache import cache

    cache.clear()


@pytest.mark.parametrize("name", ["community_index", "community", "question_list", "question"])
def test_community_pages_are_cached_for_visitors(
    world, cache_pages, name, django_assert_num_queries
):
    args = {
        "community_index": [],
        "community": [world.community.slug],
        "question_list": [world.community.slug],
        "question": [world.community.slug, world.question.pk],
    }[name]
    url = reverse(f"knowledge:{name}", args=args)
    assert Client().get(url)[HEADER] == "miss"
    with django_assert_num_queries(0):
        response = Client().get(url)
    assert response[HEADER] == "hit" and response.status_code == 200
    signed_in = Client()
    signed_in.force_login(world.member)
    assert HEADER not in signed_in.get(url)


def test_members_only_questions_are_not_cached_for_visitors(world, cache_pages):
    url = reverse("knowledge:question", args=[world.community.slug, world.private_question.pk])
    assert Client().get(url).status_code == 404
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        (
            lambda w: services.question_ask(
                community=w.community, user=w.member, title="A fresh question"
            ),
            "A fresh question",
        ),
        (
            lambda w: services.membership_join(
                community=w.community, user=UserFactory(first_name="Newcomer")
            ),
            "Newcomer",
        ),
        (
            lambda w: services.session_create(
                community=w.community,
                user=w.facilitator,
                title="Autumn gathering",
                starts_at=timezone.now() + datetime.timedelta(days=2),
                ends_at=timezone.now() + datetime.timedelta(days=2, hours=1),
                location="Girona",
            ),
            "Autumn gathering",
        ),
        (
            lambda w: services.community_update(
                community=w.community,
                user=w.facilitator,
                charter="We share everything we learn.",
                joining=Community.Joining.OPEN,
                members_only_default=False,
                sectors=[],
                sdgs=[],
            ),
            "We share everything we learn.",
        ),
        (
            lambda w: services.item_review(item=w.draft, user=w.facilitator, approve=True),
            "Draft guide",
        ),
    ],
)
def test_a_cached_community_page_is_refreshed_by_changes(world, cache_pages, change, shows):
    url = reverse("knowledge:community", args=[world.community.slug])
    assert Client().get(url)[HEADER] == "miss"
    assert Client().get(url)[HEADER] == "hit"
    change(world)
    response = Client().get(url)
    assert response[HEADER] == "miss" and shows in response.content.decode()


def test_a_cached_question_is_refreshed_by_answers_and_comments(world, cache_pages):
    url = reverse("knowledge:question", args=[world.community.slug, world.question.pk])
    Client().get(url)
    assert Client().get(url)[HEADER] == "hit"
    services.answer_post(question=world.question, user=world.member, body="Ask the teachers.")
    response = Client().get(url)
    assert response[HEADER] == "miss" and "Ask the teachers." in response.content.decode()
    services.comment_post(answer=world.answer, user=world.member, body="Worked for us.")
    response = Client().get(url)
    assert response[HEADER] == "miss" and "Worked for us." in response.content.decode()


# --- The facilitators' edit form ----------------------------------------------------------------


def _edit_url(world):
    return reverse("knowledge:community_edit", args=[world.community.slug])


def test_facilitator_edits_the_community_permitted(client, world):
    sector = Sector.objects.order_by("pk").first() or Sector.objects.create(
        name="Youth", slug="youth"
    )
    sdg = SustainableDevelopmentGoal.objects.order_by("number").first()
    client.force_login(world.facilitator)
    assert client.get(_edit_url(world)).status_code == 200
    response = client.post(
        _edit_url(world),
        {
            "charter": "Be kind; share sources.",
            "joining": "approval",
            "members_only_default": "on",
            "sectors": [sector.pk],
            "sdgs": [sdg.pk],
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(pk=world.community.pk)
    assert community.charter == "Be kind; share sources."
    assert community.joining == Community.Joining.APPROVAL and community.members_only_default
    assert list(community.sectors.all()) == [sector] and list(community.sdgs.all()) == [sdg]
    assert community.name == world.community.name  # not the facilitators' to change


def test_making_a_facilitator_is_confirmed_first_and_says_who(client, world):
    membership = CommunityMembership.objects.get(community=world.community, user=world.member)
    client.force_login(world.facilitator)
    community_page = client.get(
        reverse("knowledge:community", args=[world.community.slug])
    ).content.decode()
    url = reverse("knowledge:membership_role", args=[world.community.slug, membership.pk])
    name = escape(world.member.get_full_name())
    # A link to the confirmation page, named after the person, not a one-click form.
    assert f'href="{url}?role=facilitator" aria-label="Make {name} facilitator"' in community_page
    assert f'action="{url}"' not in community_page

    confirm = client.get(f"{url}?role=facilitator").content.decode()
    assert f'action="{url}"' in confirm and "Cancel, keep things as they are" in confirm
    membership.refresh_from_db()
    assert membership.role == "member"

    response = client.post(url, {"role": "facilitator"}, follow=True)
    assert f"{name} is now facilitator." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "facilitator"
    # Already so: said plainly, no second confirmation.
    again = client.get(f"{url}?role=facilitator", follow=True).content.decode()
    assert f"{name} is already facilitator." in again


@pytest.mark.parametrize("role", ["member", "outsider", "editor"])
def test_others_cannot_edit_the_community_denied(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(_edit_url(world)).status_code == 403
    response = client.post(_edit_url(world), {"charter": "Hijacked", "joining": "open"})
    assert response.status_code == 403
    assert Community.objects.get(pk=world.community.pk).charter != "Hijacked"


def test_anonymous_cannot_edit_the_community_denied(client, world):
    response = client.post(_edit_url(world), {"charter": "Hijacked", "joining": "open"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert Community.objects.get(pk=world.community.pk).charter != "Hijacked"


def test_bad_community_edit_is_refused_and_stores_nothing(client, world):
    client.force_login(world.facilitator)
    before = Community.objects.get(pk=world.community.pk)
    response = client.post(
        _edit_url(world), {"charter": "x" * 5001, "joining": "whenever", "sdgs": [999999]}
    )
    assert response.status_code == 400
    after = Community.objects.get(pk=world.community.pk)
    assert (after.charter, after.joining) == (before.charter, before.joining)
    assert not after.sdgs.exists()


# --- The admin names a facilitator ---------------------------------------------------------


def test_an_editor_creates_a_community_with_its_first_facilitator_in_the_admin(client, world):
    person = UserFactory(username="k_first_facilitator", email="first@example.org")
    client.force_login(world.superuser)
    response = client.post(
        reverse("wagtailsnippets_knowledge_community:add"),
        {
            "name": "Community energy",
            "slug": "community-energy",
            "summary": "Cooperatives sharing how they run solar roofs.",
            "charter": "",
            "joining": "open",
            "facilitator": "FIRST@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    community = Community.objects.get(slug="community-energy")
    membership = CommunityMembership.objects.get(community=community, user=person)
    assert membership.role == CommunityMembership.Role.FACILITATOR
    assert membership.status == CommunityMembership.Status.ACTIVE
    assert community.workflow is not None
    person = type(person).objects.get(pk=person.pk)
    assert person.has_perm("knowledge.facilitate", community)
    assert person.notifications.filter(kind="knowledge.joined").exists()


def test_an_unknown_facilitator_is_refused_in_the_admin(client, world):
    client.force_login(world.superuser)
    response = client.post(
        reverse("wagtailsnippets_knowledge_community:add"),
        {
            "name": "Nobody's community",
            "slug": "nobodys",
            "summary": "A summary.",
            "joining": "open",
            "facilitator": "nobody-at-all",
        },
    )
    assert response.status_code == 200
    assert not Community.objects.filter(slug="nobodys").exists()


def test_facilitators_are_named_by_editors_only(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.facilitator_name(
            community=world.community, person=world.outsider, by=world.facilitator
        )
    assert not CommunityMembership.objects.filter(
        community=world.community, user=world.outsider
    ).exists()


# --- Session materials -------------------------------------------------------------------------


def _session_data(**extra):
    starts = timezone.localtime() + datetime.timedelta(days=3)
    return {
        "title": "Slides night",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Lleida",
        **extra,
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_session_materials_are_a_wagtail_document(client, world, media):
    client.force_login(world.facilitator)
    upload = SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("knowledge:session_new", args=[world.community.slug]),
        _session_data(materials_upload=upload),
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Slides night")
    document = session.materials
    assert document.collection.name.startswith(world.community.name)
    assert "slides" not in document.file.name  # the stored name is not guessable
    assert Client().get(document.url).status_code == 200


def test_bad_materials_are_refused_and_store_nothing(client, world, media):
    from wagtail.documents import get_document_model

    client.force_login(world.facilitator)
    before = get_document_model().objects.count()
    upload = SimpleUploadedFile(
        "slides.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        reverse("knowledge:session_new", args=[world.community.slug]),
        _session_data(materials_upload=upload),
    )
    assert response.status_code == 200
    assert not Session.objects.filter(title="Slides night").exists()
    assert get_document_model().objects.count() == before


def test_community_only_materials_are_served_to_members_only(world, media):
    world.community.members_only_default = True
    world.community.save(update_fields=["members_only_default"])
    upload = SimpleUploadedFile("notes.txt", b"Our notes", content_type="text/plain")
    starts = timezone.now() + datetime.timedelta(days=3)
    session = services.session_create(
        community=world.community,
        user=world.facilitator,
        title="Closed meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        location="Reus",
        materials_upload=upload,
    )
    url = session.materials.url
    for person, status in (
        (None, 404),
        (world.outsider, 404),
        (world.member, 200),
        (world.facilitator, 200),
        (world.editor, 200),
    ):
        client = Client()
        if person is not None:
            client.force_login(person)
        assert client.get(url).status_code == status, person
