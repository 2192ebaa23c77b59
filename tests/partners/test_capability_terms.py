"""The capability vocabularies are editors' terms: added, renamed and retired in the Wagtail admin,
named in English, Spanish and Catalan, offered by the profile form and the directory's filters
in the reader's language; a retired term stays on the profiles that have it; bad codes are
refused with nothing stored; only editors manage terms."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from partners import capabilities
from partners.models import CapabilityTerm, PartnerCapability, PartnerPage
from partners.services import organization_apply, organization_approve, organization_update
from tests.factories import UserFactory
from tests.utils import approved_organization, editor

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_partners_capabilityterm:add")
LIST = reverse("wagtailsnippets_partners_capabilityterm:list")


def _add_term(client, **fields):
    data = {
        "facet": "service",
        "code": "mediation",
        "name": "Community mediation",
        "name_es": "Mediación comunitaria",
        "name_ca": "Mediació comunitària",
        "sort_order": "5",
    }
    data.update(fields)
    return client.post(ADD, data)


def _organization(capabilities_chosen, title="Entitat amb perfil"):
    admin = UserFactory()
    organization = organization_apply(
        user=admin,
        title=title,
        kind="ngo",
        summary="Social action.",
        capabilities=capabilities_chosen,
        submit=False,
    )
    return organization_approve(organization=organization, user=editor()), admin


def _retire(code, facet="service"):
    """Retire a term as an editor does: the admin's edit form."""
    term = CapabilityTerm.objects.get(facet=facet, code=code)
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailsnippets_partners_capabilityterm:edit", args=[term.pk]),
        {
            "facet": term.facet,
            "code": term.code,
            "name": term.name,
            "name_es": term.name_es,
            "name_ca": term.name_ca,
            "sort_order": term.sort_order,
            "retired": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term.refresh_from_db()
    assert term.retired


def _form_page(client, organization, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("portal:organization_manage", args=[organization.pk])
    return client.get(url).content.decode()


def test_the_shipped_terms_keep_their_codes_and_three_names():
    care = CapabilityTerm.objects.get(facet="service", code="care")
    assert (care.name, care.name_es, care.name_ca) == (
        "Care and home support",
        "Cuidados y atención domiciliaria",
        "Cures i atenció domiciliària",
    )
    counts = {facet: len(capabilities.terms()[facet]) for facet in capabilities.FACETS}
    assert counts == {"service": 14, "target_group": 12, "language": 10, "quality_label": 8}
    assert [code for code, _ in capabilities.choices("target_group")][:3] == [
        "children",
        "youth",
        "older",
    ]


def test_an_editor_adds_a_term_shown_in_the_profile_form_and_the_filter_in_es_and_ca(client):
    organization, admin = _organization({"service": ["care"]})
    client.force_login(editor())
    response = _add_term(client)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CapabilityTerm.objects.filter(facet="service", code="mediation").exists()

    visitor = Client()
    for prefix, name in (("/es", "Mediación comunitaria"), ("/ca", "Mediació comunitària")):
        html = visitor.get(f"{prefix}/partners/").content.decode()
        assert 'name="service" value="mediation"' in html and name in html
    # The new term comes first (order 5) and filters.
    organization_update(
        organization=organization, user=admin, capabilities={"service": ["mediation"]}
    )
    response = visitor.get("/ca/partners/?service=mediation")
    assert [o.title for o in response.context["organizations"]] == ["Entitat amb perfil"]

    member = Client()
    member.force_login(admin)
    for language, name in (("es", "Mediación comunitaria"), ("ca", "Mediació comunitària")):
        html = _form_page(member, organization, language)
        assert 'name="service" value="mediation"' in html and name in html
    page = visitor.get(f"/ca/partners/{organization.slug}/").content.decode()
    assert "Mediació comunitària" in page


def test_a_renamed_term_reads_anew_everywhere_with_the_same_code(client):
    organization, _admin = _organization({"service": ["care"]})
    term = CapabilityTerm.objects.get(facet="service", code="care")
    client.force_login(editor())
    response = client.post(
        reverse("wagtailsnippets_partners_capabilityterm:edit", args=[term.pk]),
        {
            "facet": "quality_label",  # fixed once saved: ignored
            "code": "cures",  # fixed once saved: ignored
            "name": "Care at home",
            "name_es": "Cuidados en casa",
            "name_ca": "Cures a casa",
            "sort_order": term.sort_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term.refresh_from_db()
    assert (term.facet, term.code, term.name_ca) == ("service", "care", "Cures a casa")
    assert "Cures a casa" in Client().get(f"/ca/partners/{organization.slug}/").content.decode()
    assert list(PartnerCapability.objects.filter(page=organization).values_list("value")) == [
        ("care",)
    ]


def test_a_retired_term_leaves_the_filter_and_the_form_but_stays_on_a_profile():
    organization, admin = _organization({"service": ["care", "legal"]})
    _retire("legal")
    visitor = Client()
    html = visitor.get("/partners/").content.decode()
    assert 'name="service" value="legal"' not in html
    assert 'name="service" value="care"' in html
    response = visitor.get("/partners/?service=legal")
    assert any("legal" in error for error in response.context["directory"].errors)

    # Still on the profile (its page names it, without a link to a filter that is gone).
    page = visitor.get(organization.url).content.decode()
    assert "Legal advice" in page and "?service=legal" not in page
    # The profile form offers it, checked, to the organization that has it; saving keeps it.
    member = Client()
    member.force_login(admin)
    form = _form_page(member, organization, "en")
    assert 'name="service" value="legal"' in form and "Legal advice (retired)" in form
    response = member.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {
            "title": organization.title,
            "kind": "ngo",
            "summary": "Social action.",
            "service": ["care", "legal"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = PartnerPage.objects.get(pk=organization.pk)
    assert sorted(row.value for row in fresh.capabilities.all()) == ["care", "legal"]
    # An organization without it is not offered it.
    newcomer, newcomer_admin = _organization({"service": ["care"]}, title="Nova entitat")
    member.force_login(newcomer_admin)
    assert 'value="legal"' not in _form_page(member, newcomer, "en")


@pytest.mark.parametrize("code", ["legal", "teleportation"])
def test_a_retired_or_unknown_code_is_refused_with_nothing_changed(client, code):
    _retire("legal")
    organization, admin = _organization({"service": ["care"]})
    before = sorted(PartnerCapability.objects.values_list("page_id", "facet", "value"))
    client.force_login(admin)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {"title": organization.title, "kind": "ngo", "summary": "Changed", "service": [code]},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        organization_update(
            organization=organization, user=admin, capabilities={"service": [code]}
        )
    message = " ".join(refused.value.message_dict["service"])
    assert ("no longer offered" in message) if code == "legal" else ("not in the list" in message)
    assert sorted(PartnerCapability.objects.values_list("page_id", "facet", "value")) == before
    assert PartnerPage.objects.get(pk=organization.pk).summary == "Social action."


def test_export_and_api_name_the_terms_in_the_readers_language():
    organization, _admin = _organization(
        {"service": ["care"], "language": ["ar"], "target_group": ["older"]}
    )
    client = Client()
    record = client.get("/ca/partners/?format=json").json()["results"][0]
    assert record["services"] == ["care"]
    assert record["service_names"] == ["Cures i atenció domiciliària"]
    assert record["language_names"] == ["Àrab"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    data = client.get(f"/api/v2/pages/{organization.pk}/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert data["capabilities"]["service"] == ["care"]
    assert data["capability_names"]["target_group"] == [
        {"code": "older", "name": "Personas mayores"}
    ]


# --- Who manages the terms -------------------------------------------------------------------


def test_editor_manages_terms_permitted(client):
    client.force_login(editor())
    assert client.get(LIST).status_code == 200
    assert client.get(ADD).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "member", "org_admin"])
def test_non_editors_cannot_manage_terms_denied(client, who):
    if who != "anonymous":
        admin = UserFactory()
        organization = approved_organization(admin=admin)
        member = UserFactory()
        from partners.services import membership_add

        membership_add(organization=organization, user=member)
        client.force_login(member if who == "member" else admin)
    before = CapabilityTerm.objects.count()
    for response in (client.get(LIST), client.get(ADD), _add_term(client)):
        assert response.status_code in (302, 403)
        assert (
            response.status_code == 403
            or "/login/" in response.url
            or (response.url == reverse("wagtailadmin_home"))
        )
    assert CapabilityTerm.objects.count() == before


def _delete(client, term):
    return client.post(reverse("wagtailsnippets_partners_capabilityterm:delete", args=[term.pk]))


def test_an_editor_deletes_a_term_nothing_has(client):
    term = CapabilityTerm.objects.create(facet="service", code="mediaton", name="Mediaton")
    client.force_login(editor())
    response = _delete(client, term)
    assert response.status_code == 302
    assert not CapabilityTerm.objects.filter(pk=term.pk).exists()
    assert capabilities.term("service", "mediaton") is None


def test_a_term_on_a_profile_is_retired_not_deleted(client):
    _organization({"service": ["care"]})
    term = CapabilityTerm.objects.get(facet="service", code="care")
    client.force_login(editor())
    response = _delete(client, term)
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_partners_capabilityterm:edit", args=[term.pk])
    assert CapabilityTerm.objects.filter(pk=term.pk).exists()
    page = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert "retire it instead" in page


def test_a_term_only_in_a_draft_profile_is_kept(client):
    organization, _admin = _organization({})
    draft = PartnerPage.objects.get(pk=organization.pk)
    draft.capabilities.add(PartnerCapability(facet="service", value="care"))
    draft.save_revision()
    term = CapabilityTerm.objects.get(facet="service", code="care")
    assert not PartnerCapability.objects.filter(facet="service", value="care").exists()
    client.force_login(editor())
    _delete(client, term)
    assert CapabilityTerm.objects.filter(pk=term.pk).exists()


def test_a_term_on_a_partner_search_post_is_kept(client):
    from opportunities.models import PartnerSearch

    organization, _admin = _organization({})
    PartnerSearch.objects.create(
        organization=organization,
        direction="seek",
        title="Care partner",
        purpose="Care.",
        service="care",
        expires_on=date.today() + timedelta(days=30),
    )
    term = CapabilityTerm.objects.get(facet="service", code="care")
    client.force_login(editor())
    _delete(client, term)
    assert CapabilityTerm.objects.filter(pk=term.pk).exists()


def test_non_editors_cannot_delete_terms(client):
    term = CapabilityTerm.objects.create(facet="service", code="spare", name="Spare")
    response = _delete(client, term)
    assert response.status_code == 302 and "login" in response.url
    client.force_login(UserFactory())
    assert _delete(client, term).status_code in (302, 403)
    assert CapabilityTerm.objects.filter(pk=term.pk).exists()


def test_a_duplicate_code_in_a_vocabulary_is_refused(client):
    client.force_login(editor())
    response = _add_term(client, code="care")
    assert response.status_code == 200
    assert CapabilityTerm.objects.filter(facet="service", code="care").count() == 1
    # The same code in another vocabulary is another term.
    assert _add_term(client, facet="quality_label", code="care").status_code == 302


def test_the_profile_lists_its_values_in_editors_order():
    organization, _admin = _organization({"service": ["care", "training"]})
    html = Client().get(organization.url).content.decode()
    # Training comes before care in the list editors keep, though "care" sorts first by code.
    assert html.index("Training and education") < html.index("Care and home support")
    CapabilityTerm.objects.filter(facet="service", code="care").update(sort_order=1)
    capabilities.terms_changed()
    html = Client().get(organization.url).content.decode()
    assert html.index("Care and home support") < html.index("Training and education")


def test_the_shipped_terms_come_back_where_missing_and_editors_wording_is_kept():
    """seed_demo runs ``ensure_terms``: a database emptied after its migrations (a flushed test
    database) gets the shipped terms again, and a term editors renamed keeps their name."""
    from partners.capability_vocabulary import TERMS, ensure_terms

    CapabilityTerm.objects.filter(facet="service").exclude(code="legal").delete()
    CapabilityTerm.objects.filter(facet="service", code="legal").update(name="Legal help")
    created = ensure_terms(CapabilityTerm)
    assert created == len(TERMS["service"]) - 1
    assert CapabilityTerm.objects.get(facet="service", code="legal").name == "Legal help"
    digital = CapabilityTerm.objects.get(facet="service", code="digital")
    assert digital.name_ca == "Competències digitals i tecnologia"
    assert ensure_terms(CapabilityTerm) == 0
