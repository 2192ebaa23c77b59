"""Sign-up, e-mail confirmation and sign-in in real Chromium against a live daphne."""

import re
import time

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_for_mail(mail_dir, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if files:
            return files[-1].read_text()
        time.sleep(0.1)
    raise AssertionError("no e-mail was sent")


def test_sign_up_confirm_email_and_sign_in(daphne_factory, page):
    server = daphne_factory()
    page.goto(f"{server.url}/accounts/signup/")
    page.fill("input[name=first_name]", "Núria")
    page.fill("input[name=last_name]", "Serra")
    page.fill("input[name=email]", "nuria@example.org")
    page.fill("input[name=username]", "nuria")
    page.fill("input[name=password1]", "Un-bon-secret-2026")
    page.fill("input[name=password2]", "Un-bon-secret-2026")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    mail = wait_for_mail(server.mail_dir)
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+", mail).group(0)
    link = re.sub(r"^http://[^/]+", server.url, link)
    page.goto(link)
    page.click("main form button[type=submit]")
    # Confirming in the browser that signed up signs in, and lands on the profile.
    page.wait_for_url(re.compile(r"/portal/profile/$"))
    assert page.locator(".who").inner_text() == "Núria Serra"

    page.locator(".who").click()
    page.click("text=Sign out")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=login]", "nuria")
    page.fill("input[name=password]", "Un-bon-secret-2026")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/"))
    assert page.locator(".who").inner_text() == "Núria Serra"
