"""Sectors, regions and offer/seek/need tags read in Spanish and Catalan, and a tag typed in
any language is the same tag, so matchmaking pairs a Catalan offer with an English need."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from partners.models import PartnerPage
from projects.matchmaking import organizations_for_project
from taxonomy.models import Region, Sector, TagTranslation
from taxonomy.services import vocabulary_translate
from taxonomy.tags import canonical_names, tag_label
from tests.factories import UserFactory
from tests.projects.builders import published_project
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary():
    education = Sector.objects.create(name="Education", slug="education")
    Region.objects.create(name="Barcelonès", slug="barcelones")
    for name in ("volunteers", "training", "funding"):
        Tag.objects.create(name=name, slug=name)
    vocabulary_translate()
    return {"education": education}


def test_shipped_vocabulary_gets_spanish_and_catalan_names(vocabulary):
    education = Sector.objects.get(slug="education")
    assert (education.name_es, education.name_ca) == ("Educación", "Educació")
    assert Region.objects.get().name_es == "Barcelonés"
    volunteers = TagTranslation.objects.get(tag__name="volunteers")
    assert (volunteers.name_es, volunteers.name_ca) == ("voluntarios", "voluntaris")


def test_an_editors_wording_is_kept(vocabulary):
    Sector.objects.filter(slug="education").update(name_ca="Ensenyament")
    vocabulary_translate()
    assert Sector.objects.get(slug="education").name_ca == "Ensenyament"


def test_names_follow_the_active_language(vocabulary):
    education = Sector.objects.get(slug="education")
    volunteers = Tag.objects.get(name="volunteers")
    for language, sector, tag in (
        ("ca", "Educació", "voluntaris"),
        ("es", "Educación", "voluntarios"),
        ("en", "Education", "volunteers"),
    ):
        with translation.override(language):
            assert str(education) == sector
            assert tag_label(volunteers) == tag
    untranslated = Sector.objects.create(name="Circus", slug="circus")
    with translation.override("ca"):
        assert str(untranslated) == "Circus"


def test_a_tag_typed_in_any_language_is_the_known_tag(vocabulary):
    assert canonical_names(["Voluntaris", "formación", "voluntarios", "circ"]) == [
        "volunteers",
        "training",
        "circ",
    ]
    assert canonical_names([]) == []


def test_catalan_offer_meets_english_need(vocabulary):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {
            "title": organization.title,
            "kind": organization.kind,
            "summary": "Fem de mentors.",
            "offers": "voluntaris, formació",
        },
    )
    assert response.status_code == 302
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert sorted(organization.offers.names()) == ["training", "volunteers"]
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead")
    project = published_project(coordinator, lead, needs=["volunteers"])
    matches = organizations_for_project(project)
    assert [match.object.pk for match in matches] == [organization.pk]


@pytest.mark.parametrize(
    ("language", "sector", "tag", "kind"),
    [("ca", "Educació", "voluntaris", "ONG"), ("es", "Educación", "voluntarios", "ONG")],
)
def test_partner_pages_show_the_vocabulary_in_the_page_language(
    client, vocabulary, language, sector, tag, kind
):
    organization = approved_organization(
        title="Xarxa Jove", sectors=[vocabulary["education"]], offers=["volunteers"]
    )
    html = client.get(f"/{language}/partners/{organization.slug}/").content.decode()
    assert sector in html and tag in html and kind in html
    assert ">volunteers<" not in html and ">Education<" not in html
    directory = client.get(f"/{language}/partners/").content.decode()
    assert sector in directory and tag in directory and kind in directory
    assert ">volunteers<" not in directory and ">NGO<" not in directory


def test_an_untranslated_tag_is_marked_as_english(client, vocabulary):
    organization = approved_organization(title="Xarxa Jove", offers=["volunteers", "circus"])
    html = client.get(f"/ca/partners/{organization.slug}/").content.decode()
    assert '<span lang="en">circus</span>' in html
    assert '<span lang="en">volunteers</span>' not in html and "voluntaris" in html
    english = client.get(f"/partners/{organization.slug}/").content.decode()
    assert '<span lang="en">' not in english
