"""The Content Security Policy holds in real Chromium: public pages and the Wagtail admin."""

import re
from io import BytesIO

import pytest
from PIL import Image

from home.models import HomePage
from tests.e2e.csp import CSPWatcher
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_pages_run_without_csp_violations(daphne_factory, page):
    server = daphne_factory()
    watcher = CSPWatcher(page)
    paths = ("/", "/projects/", "/partners/", "/accounts/login/", "/accounts/signup/")
    for path in (*paths, "/privacy/", "/no-such-page/"):
        response = page.goto(f"{server.url}{path}")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert f"ws://127.0.0.1:{server.port}" in csp
    assert not watcher, str(watcher)


def sign_in_to_admin(page, server):
    UserFactory(username="boss", is_superuser=True, is_staff=True)
    page.goto(f"{server.url}/admin/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_wagtail_page_editor_works_under_the_admin_policy(daphne_factory, page):
    home = HomePage.objects.get()
    server = daphne_factory()
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, server)

    response = page.goto(f"{server.url}/admin/pages/{home.pk}/edit/")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "script-src 'self';" in csp + ";"
    page.get_by_role("button", name=re.compile("Insert a block", re.I)).first.click()
    page.get_by_role("option", name=re.compile("Paragraph", re.I)).first.click()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("Written under a strict policy")
    # The scheduling dialog's date choosers are initialised without inline scripts.
    page.get_by_role("button", name=re.compile("Toggle status", re.I)).first.click()
    page.get_by_role("button", name=re.compile("Set schedule|Edit schedule", re.I)).first.click()
    page.locator("#id_go_live_at").click()
    page.locator(".xdsoft_datetimepicker").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    page.goto(f"{server.url}/admin/pages/{home.pk}/edit/")
    page.get_by_role("button", name=re.compile("Toggle preview", re.I)).first.click()
    page.frame_locator("iframe").first.locator("main").wait_for()
    assert not watcher, str(watcher)


def test_wagtail_image_upload_works_under_the_admin_policy(daphne_factory, page, tmp_path):
    server = daphne_factory()
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, server)
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    (tmp_path / "teal.png").write_bytes(buffer.getvalue())

    page.goto(f"{server.url}/admin/images/multiple/add/")
    page.set_input_files("input[type=file]", str(tmp_path / "teal.png"))
    page.locator("#upload-list .upload-success").first.wait_for()
    page.goto(f"{server.url}/admin/images/")
    page.locator("img[alt='teal.png'], .image-choice img").first.wait_for()
    assert not watcher, str(watcher)


def test_django_admin_runs_under_the_site_policy(daphne_factory, page):
    server = daphne_factory()
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, server)
    page.goto(f"{server.url}/django-admin/auth/user/")
    page.locator("#result_list").wait_for()
    page.goto(f"{server.url}/django-admin/auth/user/add/")
    page.locator("#id_username").wait_for()
    assert not watcher, str(watcher)
