"""The admin's CSP blocks inline scripts: the partner and project editors' choosers (logo,
lead organization) start from static JS (``core.choosers``), checked here without a browser and
in Chromium by ``tests/e2e/test_csp_portal.py``."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.home.test_editors import INLINE_SCRIPT
from tests.utils import approved_organization, approved_project, editor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["organization", "project"])
def test_partner_and_project_editors_start_without_inline_scripts(client, which):
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    page = (
        organization
        if which == "organization"
        else approved_project(coordinator=admin, lead=organization)
    )
    client.force_login(editor())
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    field = "logo" if which == "organization" else "lead_organization"
    assert 'data-cluster-chooser="{&quot;chooser&quot;: ' in html
    for name in (field, "region"):
        assert f"&quot;id&quot;: &quot;id_{name}&quot;" in html
    assert "/static/js/admin-choosers.js" in html
