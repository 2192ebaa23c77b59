"""Page types, the partner profile, the portal dashboard panel and the admin's review panel."""

import pytest
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import HomePage
from partners.models import PartnerIndexPage, PartnerPage
from partners.services import (
    invitation_create,
    organization_apply,
    organization_approve,
    organization_reject,
    organization_update,
)
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.base_content import ensure_base_content
from tests.factories import UserFactory
from tests.partners.helpers import png_upload
from tests.utils import editor, vocabulary


class PartnerPageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_base_content()
        cls.organization = organization_approve(
            organization=organization_apply(
                user=UserFactory(), title="Fundació Prova", summary="A test foundation."
            ),
            user=editor(),
        )

    def test_directory_lives_under_home_and_holds_partners(self):
        self.assertCanCreateAt(HomePage, PartnerIndexPage)
        self.assertAllowedSubpageTypes(PartnerIndexPage, {PartnerPage})
        self.assertAllowedSubpageTypes(PartnerPage, {})
        self.assertAllowedParentPageTypes(PartnerPage, {PartnerIndexPage})
        self.assertCanNotCreateAt(Page, PartnerPage)

    def test_pages_render(self):
        self.assertPageIsRenderable(PartnerIndexPage.objects.get())
        self.assertPageIsRenderable(self.organization)
        self.assertPageIsPreviewable(
            self.organization,
            post_data=nested_form_data(
                {
                    "title": "Fundació Prova",
                    "slug": "fundacio-prova",
                    "kind": "foundation",
                    "description": streamfield([]),
                    "offers": "",
                    "seeks": "",
                }
            ),
        )


pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_organization():
    vocabulary("logistics", "volunteers")  # approved tags: the page links them to the directory
    admin = UserFactory()
    organization = organization_apply(
        user=admin,
        title="Cooperativa Sencera",
        kind="cooperative",
        summary="Everything a profile can show.",
        description=[("paragraph", "<p>We grow <b>food</b>.</p>")],
        region=Region.objects.create(name="Osona", slug="osona"),
        city="Vic",
        sectors=[Sector.objects.create(name="Food", slug="food")],
        sdgs=list(SustainableDevelopmentGoal.objects.filter(number__in=[2, 12])),
        offers=["logistics"],
        seeks=["volunteers"],
        website="https://sencera.example.coop",
        contact_email="hola@sencera.example.coop",
        logo_file=png_upload(),
    )
    return organization_approve(organization=organization, user=editor()), admin


def test_partner_page_shows_the_profile(client, rich_organization):
    organization, _admin = rich_organization
    html = client.get(organization.url).content.decode()
    for text in (
        "Cooperativa Sencera",
        "Cooperative",
        "Vic",
        "Osona",
        "Food",
        "We grow <b>food</b>.",
        'class="sdg sdg-2"',
        'class="sdg sdg-12"',
        "logistics",
        "volunteers",
        'href="mailto:hola@sencera.example.coop"',
        'href="https://sencera.example.coop"',
        'alt="Logo of Cooperativa Sencera"',
        "?offers=logistics",
    ):
        assert text in html, text
    assert "style=" not in html.split("<main", 1)[1]
    assert "Manage this organization" not in html


def test_partner_page_links_its_people_to_the_portal(client, rich_organization):
    organization, admin = rich_organization
    client.force_login(admin)
    html = client.get(organization.url).content.decode()
    assert reverse("portal:organization_manage", args=[organization.pk]) in html
    client.force_login(UserFactory())
    assert "Manage this organization" not in client.get(organization.url).content.decode()


def test_other_apps_add_sections_through_the_hook(client, rich_organization):
    organization, _admin = rich_organization
    seen = []

    def projects_panel(request, page):
        seen.append(page.pk)
        return format_html(
            '<section class="from-projects">{}</section>', "Projects of this organization"
        )

    with (
        hooks.register_temporarily("partner_page_panels", projects_panel),
        hooks.register_temporarily("partner_page_panels", lambda request, page: ""),
    ):
        html = client.get(organization.url).content.decode()
    assert '<section class="from-projects">Projects of this organization</section>' in html
    assert seen == [organization.pk]


def test_preview_shows_the_latest_draft_to_its_people_only(client):
    admin = UserFactory()
    organization = organization_apply(user=admin, title="Associació Oculta", summary="First")
    organization_update(organization=organization, user=admin, summary="Second version")
    client.force_login(admin)
    response = client.get(reverse("portal:organization_preview", args=[organization.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Second version" in html and "Preview:" in html
    client.force_login(UserFactory())
    assert (
        client.get(reverse("portal:organization_preview", args=[organization.pk])).status_code
        == 404
    )


def test_a_live_organizations_preview_is_not_for_outsiders(client, rich_organization):
    organization, _admin = rich_organization
    client.force_login(UserFactory())
    url = reverse("portal:organization_preview", args=[organization.pk])
    assert client.get(url).status_code == 404


def test_editing_an_approved_profile_publishes_a_revision(client, rich_organization):
    organization, admin = rich_organization
    client.force_login(admin)
    revisions = organization.revisions.count()
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {
            "title": "Cooperativa Sencera",
            "kind": "cooperative",
            "summary": "A new summary.",
            "description": "We grow food.\n\nAnd we deliver it.",
            "offers": "logistics, transport",
            "seeks": "",
            "sdgs": [str(s.pk) for s in SustainableDevelopmentGoal.objects.filter(number=2)],
        },
    )
    assert response.status_code == 302
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert organization.live and not organization.has_unpublished_changes
    assert organization.summary == "A new summary."
    assert [b.block_type for b in organization.description] == ["paragraph", "paragraph"]
    assert sorted(t.name for t in organization.offers.all()) == ["logistics", "transport"]
    assert list(organization.seeks.all()) == []
    assert [s.number for s in organization.sdgs.all()] == [2]
    assert organization.revisions.count() == revisions + 1
    assert organization.logo is not None  # kept: no new file, not asked to remove


def test_an_unchanged_description_keeps_the_editors_blocks(client, rich_organization):
    organization, admin = rich_organization
    page = organization.get_latest_revision_as_object()
    page.description = [
        ("paragraph", "<p>We grow food.</p>"),
        ("quote", {"text": "Good food for all", "attribution": "A member"}),
    ]
    page.save_revision(user=editor()).publish()
    client.force_login(admin)
    manage = client.get(reverse("portal:organization_manage", args=[organization.pk]))
    assert "images or quotes added by the cluster" in manage.content.decode()
    initial = manage.context["profile_form"].initial
    data = {
        "title": initial["title"],
        "kind": initial["kind"],
        "description": initial["description"],
        "offers": "logistics",
        "summary": "Only the summary changes.",
    }
    client.post(reverse("portal:organization_manage", args=[organization.pk]), data)
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert organization.summary == "Only the summary changes."
    assert [b.block_type for b in organization.description] == ["paragraph", "quote"]


def test_removing_the_logo(client, rich_organization):
    organization, admin = rich_organization
    client.force_login(admin)
    client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {"title": organization.title, "kind": "cooperative", "summary": "s", "remove_logo": "on"},
    )
    assert PartnerPage.objects.get(pk=organization.pk).logo is None


# --- The portal dashboard panel -------------------------------------------------------------


def test_dashboard_lists_my_organizations_with_their_state_and_invitations(client):
    person = UserFactory(email="me@example.org")
    reviewer = editor()
    published = organization_approve(
        organization=organization_apply(user=person, title="Publicada"), user=reviewer
    )
    organization_apply(user=person, title="En revisió")
    rejected = organization_apply(user=person, title="Per corregir")
    organization_reject(organization=rejected, user=reviewer, comment="Add a summary.")
    inviting = organization_approve(
        organization=organization_apply(user=UserFactory(), title="Convidant"), user=reviewer
    )
    invitation_create(
        organization=inviting,
        email="ME@example.org",
        invited_by=inviting.memberships.get().user,
    )
    client.force_login(person)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "My organizations" in html
    for title, state in (
        ("Publicada", "Published"),
        ("En revisió", "Awaiting review"),
        ("Per corregir", "Changes requested"),
    ):
        assert title in html
        fragment = html.split(title, 1)[1].split("</li>", 1)[0]
        assert state in fragment, title
    assert "Convidant invites you as member." in html
    assert "/portal/organizations/invitations/" in html
    assert reverse("portal:organization_apply") in html
    assert reverse("portal:organization_manage", args=[published.pk]) in html


def test_manage_page_shows_the_reviewers_comment(client):
    person = UserFactory()
    organization = organization_apply(user=person, title="Per corregir")
    organization_reject(organization=organization, user=editor(), comment="Add a logo, please.")
    client.force_login(person)
    html = client.get(
        reverse("portal:organization_manage", args=[organization.pk])
    ).content.decode()
    assert "Changes requested" in html and "Add a logo, please." in html


# --- The Wagtail admin's dashboard panel ----------------------------------------------------


def test_admin_dashboard_lists_organizations_awaiting_review(client):
    reviewer = editor()
    reviewer.is_staff = True
    reviewer.save()
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    organization_apply(user=UserFactory(), title="Esperant Revisió")
    organization_approve(
        organization=organization_apply(user=UserFactory(), title="Ja Aprovada"), user=reviewer
    )
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "Organizations awaiting review" in html
    assert "Esperant Revisió" in html
    assert (
        "Ja Aprovada"
        not in html.split("Organizations awaiting review", 1)[1].split("</section>", 1)[0]
    )


def test_editors_edit_and_revert_in_the_wagtail_admin(client):
    from wagtail.models import Revision
    from wagtail.test.utils.form_data import inline_formset

    approved_organization_title = "Fundació Arxiu"
    admin = UserFactory()
    organization = organization_approve(
        organization=organization_apply(
            user=admin, title=approved_organization_title, summary="v1"
        ),
        user=editor(),
    )
    organization_update(organization=organization, user=admin, summary="v2")
    organization_apply(user=UserFactory(), title="Associació Veïna")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)

    def post(title, summary, action="action-publish"):
        data = nested_form_data(
            {
                "title": title,
                "slug": organization.slug,
                "kind": "foundation",
                "original_language": "en",
                "summary": summary,
                "description": streamfield([]),
                "offers": "",
                "seeks": "",
                "comments": inline_formset([]),
            }
        )
        data[action] = "action-publish"
        return client.post(f"/admin/pages/{organization.pk}/edit/", data)

    refused = post("associacio veina", "v3")
    assert refused.status_code == 200
    assert "An organization with this name is already registered." in refused.content.decode()
    assert PartnerPage.objects.get(pk=organization.pk).summary == "v2"

    assert post("Fundació Arxiu Nou", "v3").status_code == 302
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert (organization.title, organization.summary) == ("Fundació Arxiu Nou", "v3")
    assert organization.name_key == "fundacio arxiu nou"

    # Revert: publish the first revision again, as the admin's history does.
    first = Revision.objects.filter(object_id=str(organization.pk)).order_by("pk").first()
    first.publish(user=superuser)
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert (organization.title, organization.summary) == (approved_organization_title, "v1")
    assert organization.name_key == "fundacio arxiu"
