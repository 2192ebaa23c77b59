"""Editors read and correct a partner's or project's texts in the other languages in the admin,
where they review and publish the page."""

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import querydict_from_html

from partners.models import PartnerPage
from projects.models import ProjectPage
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project, editor

pytestmark = pytest.mark.django_db

CATALAN = {"summary": "Fem de mentors de joves.", "description": "Primer.\n\nSegon."}
SPANISH = {"summary": "Hacemos de mentores de jóvenes.", "description": "Primero."}


def partner():
    return approved_organization(
        title="Fundació Pont",
        summary="We mentor young people.",
        original_language="en",
        text_translations={"ca": CATALAN},
    )


def project():
    return approved_project(
        title="Mentoring",
        summary="Young people find mentors.",
        original_language="en",
        text_translations={"ca": CATALAN},
    )


BUILDERS = {"partner": partner, "project": project}
MODELS = {"partner": PartnerPage, "project": ProjectPage}


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def edit_form(client, page):
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamField inputs are drawn by JavaScript; the HTML holds none for an empty body.
    for name in ("body-count", "description-count"):
        data.setdefault(name, "0")
    return response, data


@pytest.mark.parametrize("kind", ["partner", "project"])
def test_editor_reads_the_translations_in_the_edit_form(client, kind):
    page = BUILDERS[kind]()
    client.force_login(editor())
    response, data = edit_form(client, page)
    html = response.content.decode()
    assert "Texts in other languages" in html
    assert "Summary in català" in html and "Description in español" in html
    assert data["summary_ca"].strip() == CATALAN["summary"]
    assert data["description_ca"].strip() == CATALAN["description"]
    assert data["summary_es"].strip() == ""


@pytest.mark.parametrize("kind", ["partner", "project"])
def test_editor_corrects_and_adds_translations_and_publishes(client, kind):
    page = BUILDERS[kind]()
    client.force_login(editor())
    _response, data = edit_form(client, page)
    data["summary_ca"] = "Fem de mentors de joves i d'adults."
    data["summary_es"], data["description_es"] = SPANISH["summary"], SPANISH["description"]
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = MODELS[kind].objects.get(pk=page.pk)
    assert page.text_translations == {
        "ca": {
            "summary": "Fem de mentors de joves i d'adults.",
            "description": CATALAN["description"],
        },
        "es": SPANISH,
    }
    html = client.get(f"/es{page.url}").content.decode()
    assert SPANISH["summary"] in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"summary_en": "Also English."}, "summary_en", "already in English"),
        (
            {"description_es": "Solo descripción."},
            "summary_es",
            "Add the summary in this language",
        ),
        ({"summary_es": "x" * 301}, "summary_es", "at most 300 characters"),
    ],
)
def test_bad_translations_are_refused_and_nothing_changes(client, change, field, message):
    page = partner()
    client.force_login(editor())
    revisions = Revision.objects.count()
    _response, data = edit_form(client, page)
    data.update(change)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert Revision.objects.count() == revisions
    assert PartnerPage.objects.get(pk=page.pk).text_translations == {"ca": CATALAN}


def test_a_draft_keeps_the_translations_for_review(client):
    page = partner()
    client.force_login(editor())
    _response, data = edit_form(client, page)
    data["summary_es"] = SPANISH["summary"]
    response = client.post(edit_url(page), data)  # saved as a draft, not published
    assert response.status_code == 302
    live = PartnerPage.objects.get(pk=page.pk)
    assert "es" not in live.text_translations
    draft = live.get_latest_revision_as_object()
    assert draft.text_translations["es"] == {"summary": SPANISH["summary"], "description": ""}


def test_people_without_admin_access_cannot_open_the_edit_form(client):
    page = partner()
    client.force_login(UserFactory())
    response = client.get(edit_url(page))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]


def test_comparing_revisions_shows_what_changed_in_the_translations(client):
    page = partner()
    first = page.latest_revision
    client.force_login(editor())
    _response, data = edit_form(client, page)
    data["summary_ca"] = "Acompanyem joves."
    assert client.post(edit_url(page), data).status_code == 302
    second = PartnerPage.objects.get(pk=page.pk).latest_revision
    assert second.pk != first.pk
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, second.pk))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Summary in català" in html
    # The diff marks words: what went and what came.
    assert '<span class="deletion">Fem de mentors de</span>' in html
    assert '<span class="addition">Acompanyem</span>' in html
    # An unchanged translation is not listed as a change.
    assert "Description in català" not in html
