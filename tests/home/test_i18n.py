"""Content in English, Spanish and Catalan: Wagtail locales, language-prefixed page URLs with a
fallback to the default locale, hreflang links, and profiles written in several languages."""

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, Locale

from core import pagecache
from home.models import HomePage
from home.permissions import EDITORS_GROUP
from partners.models import PartnerIndexPage, PartnerPage
from projects.models import ProjectIndexPage, ProjectPage
from projects.services import project_propose
from tests.factories import UserFactory
from tests.home.builders import standard_page
from tests.home.i18n import PAGE_STRINGS, SKIP_LINK, english_url, page_html
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db


def _translate(page, code):
    """What an editor's "Translate" does: a copy in the locale, published."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=code))
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


def test_locales_exist_for_every_content_language():
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "es", "ca"}


@translation.override("en")
def test_english_urls_stay_unprefixed_and_others_are_prefixed():
    assert resolve("/partners/").url_name == "wagtail_serve"
    assert resolve("/es/partners/").url_name == "wagtail_serve"
    with translation.override("ca"):
        assert reverse("wagtail_serve", args=["projects/"]) == "/ca/projects/"
    with translation.override("en"):
        assert reverse("wagtail_serve", args=["projects/"]) == "/projects/"
    assert HomePage.objects.get().get_url() == "/"
    assert reverse("portal:dashboard") == "/portal/"


def test_portal_and_accounts_keep_one_url_and_follow_the_visitor(client):
    assert Client().get("/es/portal/").status_code == 404
    html = page_html(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ca"))
    assert '<html lang="ca">' in html
    client.cookies["django_language"] = "es"
    html = page_html(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ca"))
    assert '<html lang="es">' in html


def test_partner_and_project_pages_are_reached_in_translated_trees(client):
    """Home and both directories translated, the partner and project pages not copied."""
    project = approved_project(title="Shared kitchens")
    organization = project.lead_organization
    home = HomePage.objects.get()
    for code in ("es", "ca"):
        _translate(home, code)
        _translate(PartnerIndexPage.objects.get(locale__language_code="en"), code)
        _translate(ProjectIndexPage.objects.get(locale__language_code="en"), code)
    assert PartnerPage.objects.count() == 1 and ProjectPage.objects.count() == 1
    for code in ("es", "ca"):
        html = page_html(client.get(f"/{code}/partners/{organization.slug}/"))
        assert f'<html lang="{code}">' in html and SKIP_LINK[code] in html
        html = page_html(client.get(f"/{code}/projects/{project.slug}/"))
        assert f'<html lang="{code}">' in html and PAGE_STRINGS["project"][code] in html
    assert client.get("/es/projects/no-such-project/").status_code == 404
    # The translated directory links to the one partner page in its own language.
    html = page_html(client.get("/es/partners/"))
    assert f'href="/es/partners/{organization.slug}/"' in html


def test_a_draft_stays_private_through_the_fallback(client):
    admin = UserFactory()
    lead = approved_organization(admin=admin)
    draft = project_propose(user=admin, lead_organization=lead, title="Secret plan")
    assert client.get(f"/es/projects/{draft.slug}/").status_code == 404
    client.force_login(admin)
    assert client.get(f"/es/projects/{draft.slug}/").status_code == 200


def test_translated_home_page_shows_its_own_content(client):
    home = HomePage.objects.get()
    spanish = home.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.hero_heading = "Juntos por la innovación social"
    spanish.save_revision().publish()
    assert "Juntos por la innovación social" in page_html(client.get("/es/"))
    assert "Juntos por la innovación social" not in page_html(client.get("/"))
    assert "Juntos por la innovación social" not in page_html(client.get("/ca/"))


def _alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_hreflang_links_list_the_translations(client):
    home = HomePage.objects.get()
    assert _alternates(page_html(client.get("/"))) == {}
    _translate(home, "es")
    links = _alternates(page_html(client.get("/es/")))
    assert links == {
        "en": "http://localhost/",
        "es": "http://localhost/es/",
        "x-default": "http://localhost/",
    }
    assert _alternates(page_html(client.get("/"))) == links


def test_partner_pages_have_every_language_as_alternate(client):
    organization = approved_organization(title="Fundació Pas a Pas")
    links = _alternates(page_html(client.get(f"/ca/partners/{organization.slug}/")))
    assert links == {
        "en": f"http://localhost/partners/{organization.slug}/",
        "es": f"http://localhost/es/partners/{organization.slug}/",
        "ca": f"http://localhost/ca/partners/{organization.slug}/",
        "x-default": f"http://localhost/partners/{organization.slug}/",
    }


def test_the_demo_makes_locales_and_translates_the_home_page(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    homes = {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
    assert set(homes) == {"en", "es", "ca"}
    assert homes["ca"].hero_heading == "Junts per la innovació social"
    assert "Junts per la innovació social" in page_html(Client().get("/ca/"))
    html = page_html(Client().get("/es/projects/digital-skills-for-young-people/"))
    assert "Talleres gratuitos después de clase" in html
    # At least half of the partners describe themselves in Spanish and Catalan too.
    partners = list(PartnerPage.objects.live())
    described = [
        partner
        for partner in partners
        if all(partner.text_translations.get(code, {}).get("description") for code in ("es", "ca"))
    ]
    assert len(described) * 2 >= len(partners) > 0
    html = page_html(Client().get("/ca/partners/fundacio-impuls-digital/"))
    assert "Organitzem clubs de programació" in html
    # The editors may work on every locale's tree.
    group_pages = set(
        GroupPagePermission.objects.filter(group__name=EDITORS_GROUP).values_list(
            "page_id", flat=True
        )
    )
    assert {page.pk for page in homes.values()} <= group_pages


# --- Profiles in several languages ------------------------------------------------------------

CATALAN_SUMMARY = "Acompanyem joves en la recerca de feina."
SPANISH_SUMMARY = "Acompañamos a jóvenes en la búsqueda de empleo."


@pytest.fixture
def catalan_organization():
    return approved_organization(
        title="Joves en Xarxa",
        summary=CATALAN_SUMMARY,
        original_language="ca",
        text_translations={
            "es": {"summary": SPANISH_SUMMARY, "description": "Trabajo.\n\nFuturo."}
        },
    )


def test_profile_is_shown_in_the_visitors_language(client, catalan_organization):
    html = page_html(client.get(f"/es/partners/{catalan_organization.slug}/"))
    assert f'<p class="lead" lang="es">{SPANISH_SUMMARY}</p>' in html
    assert "<p>Trabajo.</p>" in html and "<p>Futuro.</p>" in html
    assert CATALAN_SUMMARY not in html
    assert "original-language-note" not in html


def test_original_is_shown_and_marked_when_no_translation(client, catalan_organization):
    html = page_html(client.get(f"/partners/{catalan_organization.slug}/"))
    assert f'<p class="lead" lang="ca">{CATALAN_SUMMARY}</p>' in html
    assert 'Shown in its original language: <span lang="ca">català</span>' in html.replace(
        "Català", "català"
    )
    html = page_html(client.get(f"/ca/partners/{catalan_organization.slug}/"))
    assert CATALAN_SUMMARY in html and "original-language-note" not in html


def test_the_note_is_translated(client):
    organization = approved_organization(title="Youth Link", summary="We mentor young people.")
    html = page_html(client.get(f"/es/partners/{organization.slug}/"))
    assert "Se muestra en su idioma original" in html
    assert '<p class="lead" lang="en">We mentor young people.</p>' in html


def test_directory_cards_show_the_visitors_language(client, catalan_organization):
    html = page_html(client.get("/es/partners/"))
    assert f'<p lang="es">{SPANISH_SUMMARY}</p>' in html
    html = page_html(client.get("/partners/"))
    assert f'<p lang="ca">{CATALAN_SUMMARY}</p>' in html


def test_project_texts_in_the_visitors_language(client):
    project = approved_project(
        title="Cuines compartides",
        summary="Cuines per a tothom.",
        original_language="ca",
        text_translations={"en": {"summary": "Kitchens for everyone.", "description": ""}},
    )
    html = page_html(client.get(english_url(project)))
    assert '<p class="lead-text" lang="en">Kitchens for everyone.</p>' in html
    html = page_html(client.get(f"/es{english_url(project)}"))
    assert '<p class="lead-text" lang="ca">Cuines per a tothom.</p>' in html
    assert "Se muestra en su idioma original" in html


def test_search_finds_a_profile_by_its_translation(client, catalan_organization):
    html = page_html(client.get("/search/", {"q": "búsqueda empleo"}))
    assert catalan_organization.title in html


def test_api_carries_the_texts_and_their_language(client, catalan_organization):
    data = client.get(
        f"/api/v2/pages/{catalan_organization.pk}/", {"fields": "original_language"}
    ).json()
    assert data["original_language"] == "ca"
    assert data["text_translations"]["es"]["summary"] == SPANISH_SUMMARY


# --- Portal forms -----------------------------------------------------------------------------


def _profile_post(organization, **extra):
    return {
        "title": organization.title,
        "kind": organization.kind,
        "summary": organization.summary or "A summary",
        **extra,
    }


def test_admin_writes_the_profile_in_other_languages_permitted(client):
    admin = UserFactory()
    organization = approved_organization(admin=admin, summary="We mentor young people.")
    client.force_login(admin)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        _profile_post(
            organization,
            original_language="en",
            summary_ca="Fem de mentors de joves.",
            description_ca="Primer.\n\nSegon.",
        ),
    )
    assert response.status_code == 302
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert organization.original_language == "en"
    assert organization.text_translations == {
        "ca": {"summary": "Fem de mentors de joves.", "description": "Primer.\n\nSegon."}
    }
    html = page_html(Client().get(f"/ca/partners/{organization.slug}/"))
    assert "Fem de mentors de joves." in html


def test_member_cannot_write_the_profile_in_other_languages_denied(client):
    admin, member = UserFactory(), UserFactory()
    organization = approved_organization(admin=admin, summary="We mentor young people.")
    from partners.services import membership_add

    membership_add(organization=organization, user=member)
    client.force_login(member)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        _profile_post(organization, summary_ca="Fem de mentors de joves."),
    )
    assert response.status_code == 403
    assert PartnerPage.objects.get(pk=organization.pk).text_translations == {}


def test_translation_in_the_original_language_is_refused(client):
    admin = UserFactory()
    organization = approved_organization(admin=admin, summary="We mentor young people.")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "es"
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        _profile_post(organization, original_language="en", summary_en="Other words."),
    )
    assert response.status_code == 200
    assert "Los textos de arriba ya están en" in response.content.decode()
    assert PartnerPage.objects.get(pk=organization.pk).text_translations == {}


def test_proposal_records_the_language_and_translations(client):
    admin = UserFactory()
    lead = approved_organization(admin=admin)
    client.force_login(admin)
    response = client.post(
        reverse("portal:project_new"),
        {
            "lead_organization": lead.pk,
            "title": "Horts urbans",
            "summary": "Horts per als barris.",
            "status": "idea",
            "original_language": "ca",
            "summary_es": "Huertos para los barrios.",
        },
    )
    assert response.status_code == 302
    project = ProjectPage.objects.get(title="Horts urbans")
    assert project.original_language == "ca"
    assert project.text_translations == {
        "es": {"summary": "Huertos para los barrios.", "description": ""}
    }


@pytest.fixture
def coordinated():
    coordinator = UserFactory()
    project = approved_project(coordinator=coordinator, summary="Digital skills.")
    return project, coordinator


def test_coordinator_writes_project_texts_permitted(client, coordinated):
    project, coordinator = coordinated
    client.force_login(coordinator)
    url = reverse("portal:project_texts", args=[project.pk])
    assert "Summary in" in page_html(client.get(url))
    response = client.post(
        url, {"original_language": "en", "summary_es": "Competencias digitales."}
    )
    assert response.status_code == 302
    project = ProjectPage.objects.get(pk=project.pk)
    assert project.text_translations["es"]["summary"] == "Competencias digitales."
    assert "Competencias digitales." in page_html(Client().get(f"/es{english_url(project)}"))


@pytest.mark.parametrize("who", ["anonymous", "outsider", "lead_member", "editor"])
def test_others_cannot_write_project_texts_denied(client, coordinated, who):
    from django.contrib.auth.models import Group

    from partners.services import membership_add

    project, _ = coordinated
    url = reverse("portal:project_texts", args=[project.pk])
    if who != "anonymous":
        user = UserFactory()
        if who == "lead_member":
            membership_add(organization=project.lead_organization, user=user)
        if who == "editor":
            user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        client.force_login(user)
    response = client.post(url, {"original_language": "en", "summary_es": "Hackeado."})
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert ProjectPage.objects.get(pk=project.pk).text_translations == {}


def test_project_texts_bad_input_changes_nothing(client, coordinated):
    project, coordinator = coordinated
    client.force_login(coordinator)
    response = client.post(
        reverse("portal:project_texts", args=[project.pk]),
        {"original_language": "xx", "description_ca": "Sense resum."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert ProjectPage.objects.get(pk=project.pk).text_translations == {}


def test_project_texts_refuse_control_characters(client, coordinated):
    project, coordinator = coordinated
    client.force_login(coordinator)
    response = client.post(
        reverse("portal:project_texts", args=[project.pk]),
        {
            "original_language": "en",
            "summary_es": "Resumen.",
            "description_es": "Texto\x1b[31m con escape.",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "control characters" in response.content.decode()
    assert ProjectPage.objects.get(pk=project.pk).text_translations == {}


@pytest.mark.parametrize("text", ["NUL\x00", "bell\x07", "lone \ud800 surrogate", "C1\x85"])
def test_model_refuses_translations_that_cannot_be_stored_or_shown(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        approved_organization(text_translations={"es": {"description": text}})


def test_model_keeps_line_breaks_and_tabs_in_translations():
    organization = approved_organization(
        text_translations={"es": {"description": "Uno.\r\n\tDos.\nTres."}}
    )
    assert organization.text_translations["es"]["description"] == "Uno.\r\n\tDos.\nTres."


def test_model_refuses_a_translation_into_the_original_language():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        approved_organization(original_language="es", text_translations={"es": {"summary": "x"}})


# --- The anonymous page cache and languages ---------------------------------------------------


def test_page_cache_never_serves_one_language_to_another(client):
    organization = approved_organization(title="Xarxa Jove")
    english, spanish = f"/partners/{organization.slug}/", f"/es/partners/{organization.slug}/"
    assert Client().get(english)[pagecache.HEADER] == "miss"
    response = client.get(spanish, HTTP_ACCEPT_LANGUAGE="en")
    assert response[pagecache.HEADER] == "miss"
    assert '<html lang="es">' in response.content.decode()
    hit = Client().get(spanish, HTTP_ACCEPT_LANGUAGE="en")
    assert hit[pagecache.HEADER] == "hit" and '<html lang="es">' in hit.content.decode()
    # Someone who chose English with the switcher reads the English page, whatever the browser.
    chose_english = Client()
    chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    hit = chose_english.get(english, HTTP_ACCEPT_LANGUAGE="es")
    assert hit[pagecache.HEADER] == "hit" and '<html lang="en">' in hit.content.decode()


def test_page_cache_key_follows_the_language_the_page_is_rendered_in():
    factory = RequestFactory()

    def key(path, **headers):
        return pagecache._request_key(factory.get(path, **headers))

    # A page's URL decides its language, whatever the browser asks for.
    assert key("/es/partners/", HTTP_ACCEPT_LANGUAGE="en") == key("/es/partners/")
    assert key("/es/partners/") != key("/ca/partners/")
    # A door with one URL in every language is rendered in the browser's: one entry each.
    assert key("/search/", HTTP_ACCEPT_LANGUAGE="es") != key("/search/", HTTP_ACCEPT_LANGUAGE="en")


def test_profile_posted_without_translation_fields_keeps_them(client, catalan_organization):
    client.force_login(catalan_organization.memberships.get().user)
    response = client.post(
        reverse("portal:organization_manage", args=[catalan_organization.pk]),
        _profile_post(catalan_organization, summary="Acompanyem joves."),
    )
    assert response.status_code == 302
    organization = PartnerPage.objects.get(pk=catalan_organization.pk)
    assert organization.summary == "Acompanyem joves."
    assert organization.original_language == "ca"
    assert organization.text_translations["es"]["summary"] == SPANISH_SUMMARY


# --- Editors translate pages in the admin -----------------------------------------------------


def test_editors_translate_pages_in_the_admin(client):
    from django.contrib.auth.models import Group

    from home.models import StandardPage

    about = standard_page("About the cluster")
    catalan = Locale.objects.get(language_code="ca")
    # The superuser translates the home page (a new tree); the editors may then work in it.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("simple_translation:submit_page_translation", args=[HomePage.objects.get().pk])
    assert client.post(url, {"locales": [catalan.pk]}).status_code == 302
    catalan_home = HomePage.objects.get(locale=catalan)
    # Translations start as drafts; the Catalan tree is served once its home is published.
    catalan_home.save_revision().publish()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=[about.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"locales": [catalan.pk]}).status_code == 302
    translation_page = StandardPage.objects.get(locale=catalan)
    assert translation_page.get_parent().pk == catalan_home.pk
    assert translation_page.permissions_for_user(editor).can_edit()
    translation_page.title = "Sobre el clúster"
    translation_page.save_revision().publish()
    assert "Sobre el clúster" in page_html(Client().get(f"/ca/{about.slug}/"))


# --- The language switcher follows translations -----------------------------------------------


def _switch(client, html, language):
    """Submit the header's language form as a browser would, choosing ``language``."""
    form = html.split('class="language-switcher"')[1].split("</form>")[0]
    data = dict(re.findall(r'<input name="([^"]+)" type="hidden" value="([^"]*)">', form))
    return client.post("/i18n/setlang/", {**data, "language": language})


def test_switcher_goes_to_the_translation_even_with_another_slug(client):
    about = standard_page("About the cluster")
    _translate(HomePage.objects.get(), "es")
    spanish = _translate(about, "es")
    spanish.slug = "sobre-el-cluster"
    spanish.title = "Sobre el clúster"
    spanish.save_revision().publish()
    about_url = english_url(about)
    response = _switch(client, page_html(client.get(about_url)), "es")
    assert response.status_code == 302
    assert response["Location"] == "/es/sobre-el-cluster/"
    assert "Sobre el clúster" in page_html(client.get(response["Location"]))
    # And back: from the Spanish page to the English one.
    back = _switch(client, page_html(client.get("/es/sobre-el-cluster/")), "en")
    assert back["Location"] == about_url


def test_switcher_without_translations_keeps_djangos_translated_path(client):
    response = _switch(client, page_html(client.get("/projects/")), "ca")
    assert response["Location"] == "/ca/projects/"


@pytest.mark.parametrize(
    ("alternate", "location"),
    [
        # Another site's URL is reduced to its path on this one.
        ("https://evil.example/es/", "/es/"),
        ("//evil.example/es/", "/es/"),
        # Not a path at all: Django's own translation of ``next``.
        ("javascript:alert(1)", "/es/projects/"),
    ],
)
def test_switcher_never_redirects_off_the_site(client, alternate, location):
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/projects/", "next_es": alternate}
    )
    assert response.status_code == 302
    assert response["Location"] == location
