"""The tag boxes suggest the approved vocabulary in the member's language, after each comma
too (``static/js/tag-suggestions.js``), and never a proposed tag."""

import pytest

from taxonomy.services import tag_proposals_record, vocabulary_translate
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import approved_organization, vocabulary

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_tag_box_suggests_approved_tags_after_each_comma(daphne_factory, new_page):
    server = daphne_factory()
    vocabulary("volunteers", "mentoring", "training")
    vocabulary_translate()
    admin = UserFactory(username="nuria")
    organization = approved_organization(admin=admin, title="Xarxa Jove")
    tag_proposals_record(names=[vocabulary("horts urbans")[0].name], proposed_by=admin)

    page = new_page()
    sign_in(page, server, "nuria")
    page.context.add_cookies([{"name": "django_language", "value": "ca", "url": server.url}])
    page.goto(f"{server.url}/portal/organizations/{organization.pk}/")
    assert page.evaluate("document.documentElement.lang") == "ca"
    box = page.locator("input[name=offers]")
    options = page.locator("#id_offers-vocabulary option")
    values = options.evaluate_all("options => options.map(o => o.value)")
    assert "voluntaris" in values and "mentoria" in values
    assert "horts urbans" not in values and "volunteers" not in values
    assert "revisa l'equip editor del clúster" in page.content()

    box.fill("")
    box.press_sequentially("mentoria, vol")
    values = options.evaluate_all("options => options.map(o => o.value)")
    assert "mentoria, voluntaris" in values
    assert all(value.startswith("mentoria, ") for value in values)
