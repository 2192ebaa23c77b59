"""An item in several languages: Wagtail translations of one page, proposed by members."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from knowledge import services
from knowledge.models import KnowledgeItemPage

pytestmark = pytest.mark.django_db


def _url(world, item=None):
    item = item or world.item
    return reverse("knowledge:item_translate", args=[world.community.slug, item.pk])


def _versions(item):
    return KnowledgeItemPage.objects.filter(translation_key=item.translation_key)


def test_member_translates_an_item_permitted(client, world):
    client.force_login(world.member)
    form = client.get(_url(world)).context["form"]
    assert [code for code, _name in form.fields["language"].choices] == ["es", "ca"]
    response = client.post(
        _url(world),
        {"language": "es", "title": "Clubs de programación", "body": "Empezad poco a poco."},
    )
    assert response.status_code == 302
    spanish = _versions(world.item).get(locale__language_code="es")
    assert spanish.translation_key == world.item.translation_key
    assert spanish.title == "Clubs de programación" and spanish.language == "es"
    assert not spanish.live and spanish.owner == world.member
    assert spanish.current_workflow_state.workflow == world.community.workflow
    services.item_review(item=spanish, user=world.facilitator, approve=True)
    spanish.refresh_from_db()
    assert spanish.live and spanish.url.startswith("/es/")
    page = Client().get(spanish.url)
    assert page.status_code == 200 and "Empezad poco a poco." in page.content.decode()
    # Each version names the other, in its own language.
    original = Client().get(world.item.url).content.decode()
    assert 'hreflang="es"' in original
    # The Spanish knowledge base and community page show one version of each item.
    spanish_index = Client().get("/es/knowledge/").content.decode()
    assert "Clubs de programación" in spanish_index and "Running coding clubs" not in spanish_index
    english_index = Client().get("/knowledge/").content.decode()
    assert "Running coding clubs" in english_index and "Clubs de programación" not in english_index


def test_facilitator_translates_and_the_body_is_kept_when_left_empty(world):
    catalan = services.item_translate(
        item=world.item, user=world.facilitator, language="ca", title="Clubs de programació"
    )
    assert catalan.locale == Locale.objects.get(language_code="ca")
    assert catalan.body.raw_data[0]["value"] == world.item.body.raw_data[0]["value"]


@pytest.mark.parametrize("role", ["outsider", "editor"])
def test_non_members_cannot_translate_denied(client, world, role):
    client.force_login(getattr(world, role))
    response = client.post(_url(world), {"language": "es", "title": "Hijacked"})
    assert response.status_code == 403
    assert _versions(world.item).count() == 1


def test_anonymous_cannot_translate_denied(client, world):
    response = client.post(_url(world), {"language": "es", "title": "Hijacked"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert _versions(world.item).count() == 1


def test_members_only_items_are_not_found_by_outsiders_denied(client, world):
    client.force_login(world.outsider)
    assert client.get(_url(world, world.private_item)).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"language": "en", "title": "Same language"},
        {"language": "xx", "title": "Unknown language"},
        {"language": "es", "title": "   "},
        {"language": "es", "title": "x" * 256},
    ],
)
def test_bad_translations_are_refused_and_store_nothing(client, world, data):
    client.force_login(world.member)
    assert client.post(_url(world), data).status_code == 400
    assert _versions(world.item).count() == 1


def test_a_second_version_in_one_language_is_refused(world):
    services.item_translate(item=world.item, user=world.member, language="es", title="Uno")
    with pytest.raises(ValidationError):
        services.item_translate(item=world.item, user=world.member, language="es", title="Dos")
    assert _versions(world.item).count() == 2
    with pytest.raises(PermissionDenied):
        services.item_translate(item=world.item, user=world.outsider, language="ca", title="Tres")
