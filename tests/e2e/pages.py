"""What the browser stories share: signing in through the real form."""

import re

from tests.factories import PASSWORD


def sign_in(page, server, username):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("main form input[name=login]", username)
    page.fill("main form input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/$"))
