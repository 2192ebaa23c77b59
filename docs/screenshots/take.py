"""Screenshots of every page type at 360 px and 1280 px, from a server with the demo cluster.

    .venv/bin/python manage.py seed_demo                     # once, in the server's database
    .venv/bin/python -m daphne -p 8000 cluster.asgi:application &
    .venv/bin/python docs/screenshots/take.py --url http://127.0.0.1:8000 [--out DIR]

The script reads the demo's ids from the same database as the server (run it with the
server's settings and database variables), signs in as the demo accounts through the sign-in
form (password of README's demo accounts), and saves one full-page PNG per page and width:
``DIR/<width>/<NN>-<page>.png`` (default DIR: docs/screenshots/png, not committed when large).
It uses Chromium at /usr/bin/chromium through Playwright, as the browser tests do.
"""

import argparse
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WIDTHS = (360, 1280)
CHROMIUM = "/usr/bin/chromium"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster.settings.dev")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def pages():
    """(name, who, path, what to wait for): every page type, each with demo content."""
    from knowledge.models import Community
    from partners.models import PartnerPage
    from projects.models import ProjectPage, TeamMembership

    project = ProjectPage.objects.live().get(title="Digital skills for young people")
    partner = PartnerPage.objects.get(pk=project.lead_organization_id)
    member = TeamMembership.objects.filter(project=project, is_coordinator=False).first()
    community = Community.objects.order_by("pk").first()
    chat = "[data-chat].is-connected"
    found = [
        ("home", None, "/", None),
        ("project-directory", None, "/projects/", None),
        ("partner-directory", None, "/partners/", None),
        ("project-page", None, project.url, None),
        ("partner-page", None, partner.url, None),
        ("impact-report", None, f"/impact/projects/{project.pk}/", None),
        ("cluster-impact", None, "/impact/", None),
        ("search", None, "/search/?q=young", None),
        ("communities", None, "/communities/", None),
        ("resources", None, "/resources/", None),
        ("sign-in", None, "/accounts/login/", None),
        ("sign-up", None, "/accounts/signup/", None),
        ("not-found", None, "/no-such-page/", None),
        ("dashboard", "coordinator", "/portal/", None),
        ("profile", "coordinator", "/portal/profile/", None),
        ("profile-form", "coordinator", "/portal/profile/edit/", None),
        ("notifications", "coordinator", "/portal/notifications/", None),
        ("organization", "coordinator", f"/portal/organizations/{partner.pk}/", None),
        ("workspace", "coordinator", f"/portal/projects/{project.pk}/", chat),
        ("project-form", "coordinator", f"/portal/projects/{project.pk}/edit/", None),
        ("chat", "member", f"/portal/projects/{project.pk}/chat/", chat),
        ("chat-without-javascript", "member", f"/portal/projects/{project.pk}/chat/plain/", None),
    ]
    if community:
        found.insert(9, ("community", None, f"/communities/{community.slug}/", None))
    if member:
        found.append(
            (
                "confirmation",
                "coordinator",
                f"/portal/projects/{project.pk}/team/{member.user_id}/remove/",
                None,
            )
        )
    return found


def sign_in(context, url, username, password):
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("main form input[name=login]", username)
    page.fill("main form input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "png")
    args = parser.parse_args()
    setup_django()
    from playwright.sync_api import sync_playwright

    from core.demo import DEMO_PASSWORD

    todo = pages()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for width in WIDTHS:
            folder = args.out / str(width)
            folder.mkdir(parents=True, exist_ok=True)
            contexts = {}
            for number, (name, who, path, ready) in enumerate(todo, start=1):
                if who not in contexts:
                    contexts[who] = browser.new_context(
                        locale="en-GB",
                        viewport={"width": width, "height": 800},
                        is_mobile=width < 400,
                    )
                    contexts[who].set_default_timeout(20_000)
                    if who:
                        sign_in(contexts[who], args.url, who, DEMO_PASSWORD)
                page = contexts[who].new_page()
                response = page.goto(args.url + path)
                if ready:
                    page.wait_for_selector(ready)
                target = folder / f"{number:02d}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(f"{width:>5} {response.status} {path} -> {target.relative_to(args.out)}")
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
