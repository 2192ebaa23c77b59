"""Tags are a controlled vocabulary: a name a member types that no tag has in any language is a
proposal; editors approve it (named in Spanish and Catalan), merge it or reject it."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag

from notifications.kinds import notification_kinds
from notifications.models import Notification
from partners.models import PartnerPage
from projects.models import ProjectPage
from resources import services as resources_services
from taxonomy.forms import REVIEW_NOTE, VocabularyTagWidget
from taxonomy.models import TagTranslation
from taxonomy.notification_kinds import TAG_PROPOSED
from taxonomy.services import tag_proposals_record, vocabulary_translate
from tests.factories import UserFactory
from tests.projects.builders import published_project
from tests.utils import approved_organization, editor, vocabulary

pytestmark = pytest.mark.django_db

PROPOSED = TagTranslation.Status.PROPOSED
APPROVED = TagTranslation.Status.APPROVED


@pytest.fixture
def reviewer():
    return editor()


@pytest.fixture
def words():
    """The approved vocabulary, translated: "volunteers" is "voluntaris" and "voluntarios"."""
    tags = vocabulary("volunteers", "training", "funding")
    vocabulary_translate()
    return {tag.name: tag for tag in tags}


def _edit_offers(user, organization, offers, client=None):
    client = client or Client()
    client.force_login(user)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {
            "title": organization.title,
            "kind": organization.kind,
            "summary": "Fem de mentors.",
            "offers": offers,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return PartnerPage.objects.get(pk=organization.pk)


def _review(client, tag, **data):
    return client.post(reverse("tag_review:review", args=[tag.pk]), data)


def _proposed_notifications(user):
    return Notification.objects.filter(user=user, kind=TAG_PROPOSED)


def test_a_typed_unknown_name_becomes_a_proposal_and_editors_are_told_once(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    organization = _edit_offers(admin, organization, "voluntaris, horts urbans")

    assert sorted(organization.offers.names()) == ["horts urbans", "volunteers"]
    row = TagTranslation.objects.get(tag__name="horts urbans")
    assert row.status == PROPOSED and row.proposed_by == admin and row.proposed_at
    assert TagTranslation.objects.get(tag=words["volunteers"]).status == APPROVED
    assert _proposed_notifications(reviewer).count() == 1
    notice = _proposed_notifications(reviewer).get()
    assert "horts urbans" in notice.title
    assert notice.url == reverse("tag_review:review", args=[row.tag_id])

    # Another member typing it again (another case) uses the same proposal: no second notice.
    other = UserFactory()
    second = approved_organization(admin=other, title="Horts del Barri")
    second = _edit_offers(other, second, "Horts urbans, funding")
    assert sorted(second.offers.names()) == ["funding", "horts urbans"]
    assert Tag.objects.filter(name__iexact="horts urbans").count() == 1
    assert _proposed_notifications(reviewer).count() == 1
    # Nobody is told of their own proposal.
    assert not Notification.objects.filter(user=other, kind=TAG_PROPOSED).exists()


def test_a_name_known_in_any_language_is_the_approved_tag(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    organization = _edit_offers(admin, organization, "Voluntarios, formació")
    assert sorted(organization.offers.names()) == ["training", "volunteers"]
    assert not TagTranslation.objects.filter(status=PROPOSED).exists()
    assert not _proposed_notifications(reviewer).exists()


def test_what_an_editor_types_needs_no_review(reviewer, words):
    tag = Tag.objects.create(name="circus")
    assert tag_proposals_record(names=["circus"], proposed_by=reviewer) == []
    assert TagTranslation.objects.get(tag=tag).status == APPROVED
    assert not Notification.objects.filter(kind=TAG_PROPOSED).exists()


def test_project_needs_and_listing_tags_are_read_the_same_way(reviewer, words):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead")
    project = published_project(coordinator, lead, needs=["voluntaris", "bicicletes"])
    assert sorted(ProjectPage.objects.get(pk=project.pk).needs.names()) == [
        "bicicletes",
        "volunteers",
    ]
    listing = resources_services.listing_create(
        user=coordinator,
        organization=lead,
        type="offer",
        kind="room",
        title="Bicis",
        description="Bicis per prestar.",
        audience="public",
        expires_on=timezone.localdate() + timedelta(days=60),
        tags=["Voluntarios", "bicicletes", "cargo bikes"],
    )
    assert sorted(listing.tags.names()) == ["bicicletes", "cargo bikes", "volunteers"]
    assert set(
        TagTranslation.objects.filter(status=PROPOSED).values_list("tag__name", flat=True)
    ) == {"bicicletes", "cargo bikes"}
    assert _proposed_notifications(reviewer).count() == 2


def test_a_proposal_is_on_its_page_but_not_a_directory_filter(client, reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "volunteers, horts urbans")
    slug = Tag.objects.get(name="horts urbans").slug

    page = client.get(f"/partners/{organization.slug}/").content.decode()
    assert "horts urbans" in page
    assert f"?offers={slug}" not in page  # no link to a filter the directory does not offer
    assert f"?offers={words['volunteers'].slug}" in page
    directory = client.get("/partners/").content.decode()
    assert f'value="{words["volunteers"].slug}"' in directory
    assert f'value="{slug}"' not in directory
    assert "horts urbans" in directory  # still on the organization's card

    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead")
    published_project(coordinator, lead, needs=["volunteers", "bicicletes"])
    projects = client.get("/projects/").content.decode()
    assert 'value="volunteers"' in projects
    assert 'id="f-need-bicicletes"' not in projects
    assert "bicicletes" in projects  # on the project's card


def test_editor_approves_with_translations_shown_in_every_language(client, reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "horts urbans,")
    tag = Tag.objects.get(name="horts urbans")

    editor_client = Client()
    editor_client.force_login(reviewer)
    response = _review(
        editor_client,
        tag,
        decision="approve",
        name="urban gardens",
        name_es="huertos urbanos",
        name_ca="horts urbans",
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "urban gardens"
    row = TagTranslation.objects.get(tag=tag)
    assert (row.status, row.name_es, row.name_ca) == (APPROVED, "huertos urbanos", "horts urbans")

    for language, label in (
        ("ca", "horts urbans"),
        ("es", "huertos urbanos"),
        ("en", "urban gardens"),
    ):
        prefix = "" if language == "en" else f"/{language}"
        page = client.get(f"{prefix}/partners/{organization.slug}/").content.decode()
        assert label in page
        assert f"?offers={tag.slug}" in page
        directory = client.get(f"{prefix}/partners/").content.decode()
        assert f'value="{tag.slug}"' in directory and label in directory
    # Typed in Spanish from now on, it is the approved tag.
    other = UserFactory()
    second = approved_organization(admin=other, title="Huertos")
    assert list(_edit_offers(other, second, "Huertos urbanos,").offers.names()) == [
        "urban gardens"
    ]


def test_approving_under_a_name_another_tag_has_is_refused(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "voluntariat,")
    tag = Tag.objects.get(name="voluntariat")
    client = Client()
    client.force_login(reviewer)
    response = _review(client, tag, decision="approve", name="volunteer", name_ca="voluntaris")
    assert response.status_code == 400
    assert "merge this one into it instead" in response.content.decode()
    assert TagTranslation.objects.get(tag=tag).status == PROPOSED
    assert Tag.objects.get(pk=tag.pk).name == "voluntariat"


def test_editor_merges_a_proposal_into_an_approved_tag(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "formacio, funding")
    proposal = Tag.objects.get(name="formacio")
    client = Client()
    client.force_login(reviewer)

    assert _review(client, proposal, decision="merge").status_code == 400  # no target chosen
    response = _review(client, proposal, decision="merge", target=words["training"].pk)
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=proposal.pk).exists()
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert sorted(organization.offers.names()) == ["funding", "training"]
    assert sorted(organization.get_latest_revision_as_object().offers.names()) == [
        "funding",
        "training",
    ]
    # The merged proposal has no review screen any more.
    assert client.get(reverse("tag_review:review", args=[proposal.pk])).status_code == 404


def test_a_used_proposal_is_merged_not_rejected(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "cosa rara,")
    used = Tag.objects.get(name="cosa rara")
    client = Client()
    client.force_login(reviewer)
    response = _review(client, used, decision="reject")
    assert response.status_code == 400
    assert "This tag is in use" in response.content.decode()
    assert TagTranslation.objects.get(tag=used).status == PROPOSED

    # Once the member removed it, nothing uses it: it can go.
    _edit_offers(admin, organization, "funding,")
    assert _review(client, used, decision="reject").status_code == 302
    assert not Tag.objects.filter(pk=used.pk).exists()


def test_editor_lists_proposals_with_their_uses(client, reviewer, words):
    admin = UserFactory()
    _edit_offers(admin, approved_organization(admin=admin, title="A"), "horts urbans,")
    other = UserFactory()
    _edit_offers(other, approved_organization(admin=other, title="B"), "horts urbans, funding")
    client.force_login(reviewer)
    html = client.get(reverse("tag_review:index")).content.decode()
    assert "horts urbans" in html and "2 items" in html
    assert ">funding<" not in html
    listing = client.get(reverse("wagtailsnippets_taggit_tag:list")).content.decode()
    assert "Proposed" in listing
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("tag_review:index") in home


def test_review_screens_are_for_editors_only(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    _edit_offers(admin, organization, "horts urbans,")
    tag = Tag.objects.get(name="horts urbans")
    urls = [reverse("tag_review:index"), reverse("tag_review:review", args=[tag.pk])]

    permitted = Client()
    permitted.force_login(reviewer)
    for url in urls:
        assert permitted.get(url).status_code == 200

    # A member (no admin access) is sent to sign in; Wagtail's stock "Editors" group reaches
    # the admin but is not the cluster's editors: refused (the admin sends them to its home
    # page with "Sorry, you do not have permission"). Nothing changes either way.
    member = Client()
    member.force_login(admin)
    admin_only = UserFactory()
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin_only.groups.add(Group.objects.get_or_create(name="Editors")[0])
    staff = Client()
    staff.force_login(admin_only)
    home_url = reverse("wagtailadmin_home")
    for url in urls:
        response = member.get(url)
        assert response.status_code == 302 and "login" in response.url
        response = staff.get(url)
        assert response.status_code == 302 and response.url == home_url
    assert "login" in _review(member, tag, decision="reject").url
    assert _review(staff, tag, decision="reject").url == home_url
    assert "login" in _review(Client(), tag, decision="reject").url
    assert TagTranslation.objects.get(tag=tag).status == PROPOSED
    home = staff.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("tag_review:index") not in home


def test_forms_suggest_only_approved_tags_in_the_members_language(words):
    tag_proposals_record(names=[Tag.objects.create(name="horts urbans").name], proposed_by=None)
    with translation.override("ca"):
        html = VocabularyTagWidget().render("offers", "", attrs={"id": "id_offers"})
        note = str(REVIEW_NOTE)
    assert 'list="id_offers-vocabulary"' in html
    assert '<option value="voluntaris">' in html and '<option value="formació">' in html
    assert "horts urbans" not in html and ">volunteers<" not in html
    assert note != "New tags are reviewed by the cluster's editors."
    with translation.override("es"):
        assert str(REVIEW_NOTE) not in (note, "New tags are reviewed by the cluster's editors.")


def test_the_profile_form_says_new_tags_are_reviewed(words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove", offers=["training"])
    client = Client()
    client.force_login(admin)
    html = client.get(reverse("portal:organization_manage", args=[organization.pk])).content
    html = html.decode()
    assert "New tags are reviewed by the cluster's editors." in html.replace("&#x27;", "'")
    assert 'list="id_offers-vocabulary"' in html and '<option value="volunteers">' in html


def test_the_kind_is_declared():
    assert TAG_PROPOSED in notification_kinds()


def test_existing_tags_are_approved_after_the_migration():
    migration = importlib.import_module("taxonomy.migrations.0007_existing_tags_approved")
    bare = Tag.objects.create(name="bare")
    translated = Tag.objects.create(name="translated")
    TagTranslation.objects.create(tag=translated, name_ca="traduït", status=PROPOSED)

    migration.existing_tags_approved(global_apps, None)

    assert TagTranslation.objects.get(tag=bare).status == APPROVED
    row = TagTranslation.objects.get(tag=translated)
    assert (row.status, row.name_ca) == (APPROVED, "traduït")


@pytest.mark.parametrize("count", [3, 30])
def test_the_proposal_list_costs_the_same_for_3_and_30(
    client, reviewer, count, django_assert_max_num_queries
):
    member = UserFactory()
    names = [f"proposal {n}" for n in range(count)]
    for name in names:
        Tag.objects.create(name=name)
    tag_proposals_record(names=names, proposed_by=member)
    client.force_login(reviewer)
    client.get(reverse("tag_review:index"))  # the admin's own first-visit reads
    # Session, user, permissions and the admin menu; one query for the proposals and their uses.
    with django_assert_max_num_queries(11):
        html = client.get(reverse("tag_review:index")).content.decode()
    assert html.count("proposal ") >= count


def test_a_proposal_typed_into_the_address_finds_nothing_until_approved(client, reviewer, words):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead")
    published_project(coordinator, lead, title="Bicis al barri", needs=["bicicletes"])
    published_project(coordinator, lead, title="Horts", needs=["volunteers"])
    proposal = Tag.objects.get(name="bicicletes")
    assert TagTranslation.objects.get(tag=proposal).status == PROPOSED

    html = client.get(f"/projects/?need={proposal.slug}").content.decode()
    assert "Bicis al barri" not in html and "Horts" not in html  # as an unknown tag
    html = client.get(f"/projects/?need={proposal.slug}&need=volunteers").content.decode()
    assert "Horts" in html and "Bicis al barri" not in html

    vocabulary_translate()
    client.force_login(reviewer)
    _review(
        client,
        proposal,
        decision="approve",
        name="bicicletes",
        name_es="bicicletas",
        name_ca="bicicletes",
    )
    client.logout()
    html = client.get(f"/projects/?need={proposal.slug}").content.decode()
    assert "Bicis al barri" in html and "Horts" not in html


def _draft_with_offer(organization, tag):
    page = PartnerPage.objects.get(pk=organization.pk)
    page.offers.add(tag)
    page.save_revision()
    return PartnerPage.objects.get(pk=organization.pk)


def test_a_proposal_only_in_a_draft_is_in_use(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    proposal = Tag.objects.create(name="cosa rara")
    tag_proposals_record(names=[proposal.name], proposed_by=admin)
    draft = _draft_with_offer(organization, proposal)
    assert draft.has_unpublished_changes and not draft.offers.filter(pk=proposal.pk).exists()

    client = Client()
    client.force_login(reviewer)
    response = _review(client, proposal, decision="reject")
    assert response.status_code == 400
    assert "in a draft not yet published" in response.content.decode()
    assert TagTranslation.objects.get(tag=proposal).status == PROPOSED


def test_merging_a_proposal_rewrites_the_drafts_that_carry_it(reviewer, words):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    proposal = Tag.objects.create(name="voluntariat jove")
    tag_proposals_record(names=[proposal.name], proposed_by=admin)
    draft = _draft_with_offer(organization, proposal)

    client = Client()
    client.force_login(reviewer)
    response = _review(client, proposal, decision="merge", target=words["volunteers"].pk)
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=proposal.pk).exists()
    revision = PartnerPage.objects.get(pk=draft.pk).latest_revision.as_object()
    assert "volunteers" in revision.offers.names()
    assert "voluntariat jove" not in revision.offers.names()
