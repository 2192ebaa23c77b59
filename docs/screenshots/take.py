"""Screenshots of every page type at 360 px and 1280 px, from a portal with the demo cluster.

    scripts/run                         # in another terminal (or: PORT=8123 scripts/run)
    .venv/bin/python docs/screenshots/take.py [--url http://127.0.0.1:8000] [--jpeg]

Run from the repository's root (any directory works). The script needs only the server: it
finds the demo's pages by following links (the project "Digital skills for young people" in the
project directory, its lead organization and impact report, the first community, the
coordinator's workspace and chat, the first "Remove" on the team), signs in through the sign-in
form as the demo accounts (``coordinator``; ``member`` for the chat; password of README's demo
accounts), and saves one full-page PNG per page and width: ``png/<width>/<NN>-<page>.png`` beside
this file (git ignores it). ``--jpeg`` also writes the small copies kept in the repository,
``demo/<width>/<NN>-<page>.jpg`` (JPEG quality 45; the 1280 px pages scaled to 60 %).

One line per screenshot: width, HTTP status, path, file (and a note when a phone page is wider
than the screen). Exits non-zero if a page answers other than expected (200; 404 for the
not-found page). Chromium is Debian's, at /usr/bin/chromium, as in the browser tests; the
script never downloads a browser.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
WIDTHS = (360, 1280)
PHONE = 400  # narrower than this: a phone (is_mobile, touch)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "cluster-demo"  # core.demo.DEMO_PASSWORD, README's demo accounts
PROJECT = "Digital skills for young people"  # the demo project the coordinator coordinates
CHAT_READY = "[data-chat].is-connected"
JPEG_QUALITY = 45
JPEG_SCALE = {1280: 0.6}


class PageError(Exception):
    pass


def new_context(browser, width, javascript=True):
    context = browser.new_context(
        locale="en-GB",
        viewport={"width": width, "height": 800},
        is_mobile=width < PHONE,
        has_touch=width < PHONE,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(20_000)
    return context


def visit(page, url, expected=200):
    response = page.goto(url)
    status = response.status if response else 0
    if status != expected:
        raise PageError(f"{url} answered {status}, not {expected}")
    return page


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def href(page, selector, what):
    """The path of the first link matching ``selector`` on ``page``."""
    link = page.locator(selector).first
    if not link.count():
        raise PageError(f"no {what} on {page.url} ({selector})")
    return path_of(link.evaluate("a => a.href"))


def sign_in(context, url, username):
    page = visit(context.new_page(), f"{url}/accounts/login/")
    page.fill("main form input[name=login]", username)
    page.fill("main form input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/accounts/login/" in page.url:
        raise PageError(f"{username} could not sign in with the demo password")
    page.close()


def discover(browser, url, project_title):
    """The path of every page type, found by following the demo's links."""
    context = new_context(browser, 1280)
    page = context.new_page()
    visit(page, f"{url}/projects/")
    project = href(page, f'main a[href^="/projects/"]:text-is("{project_title}")', "project card")
    visit(page, url + project)
    report = href(page, 'main a[href^="/impact/projects/"]', "impact report link")
    lead = page.locator('main a[href^="/partners/"]:not([href="/partners/"])').first
    if not lead.count():
        raise PageError(f"no lead organization on {page.url}")
    partner, partner_name = path_of(lead.evaluate("a => a.href")), lead.inner_text().strip()
    visit(page, f"{url}/communities/")
    community = href(
        page, 'main a[href^="/communities/"]:not([href="/communities/"])', "community"
    )

    sign_in(context, url, "coordinator")
    visit(page, f"{url}/portal/")
    workspace = href(page, f'main a:text-is("{project_title}")', "workspace link")
    if not re.fullmatch(r"/portal/projects/\d+/", workspace):
        raise PageError(f"the dashboard's link to the project is {workspace}")
    organization = href(
        page,
        f'main a[href^="/portal/organizations/"]:text-is("{partner_name}")',
        "organization link",
    )
    visit(page, url + workspace)
    project_form = href(page, f'main a[href="{workspace}edit/"]', "edit link")
    confirmation = href(page, f'main a[href^="{workspace}team/"][href$="/remove/"]', "Remove")
    context.close()

    context = new_context(browser, 1280)
    sign_in(context, url, "member")
    page = visit(context.new_page(), f"{url}/portal/")
    chat = href(page, f'main a[href="{workspace}chat/"]', "chat link")
    visit(page, url + chat)
    plain = page.locator('main form[action$="/chat/plain/"]').first.get_attribute("action")
    context.close()

    # (file name, who signs in, path, what to wait for, expected status, JavaScript)
    return [
        ("home", None, "/", None, 200, True),
        ("project-directory", None, "/projects/", None, 200, True),
        ("partner-directory", None, "/partners/", None, 200, True),
        ("project-page", None, project, None, 200, True),
        ("partner-page", None, partner, None, 200, True),
        ("impact-report", None, report, None, 200, True),
        ("cluster-impact", None, "/impact/", None, 200, True),
        ("search", None, "/search/?q=young", None, 200, True),
        ("communities", None, "/communities/", None, 200, True),
        ("community", None, community, None, 200, True),
        ("resources", None, "/resources/", None, 200, True),
        ("sign-in", None, "/accounts/login/", None, 200, True),
        ("sign-up", None, "/accounts/signup/", None, 200, True),
        ("not-found", None, "/no-such-page/", None, 404, True),
        ("dashboard", "coordinator", "/portal/", None, 200, True),
        ("profile", "coordinator", "/portal/profile/", None, 200, True),
        ("profile-form", "coordinator", "/portal/profile/edit/", None, 200, True),
        ("notifications", "coordinator", "/portal/notifications/", None, 200, True),
        ("organization", "coordinator", organization, None, 200, True),
        ("workspace", "coordinator", workspace, CHAT_READY, 200, True),
        ("project-form", "coordinator", project_form, None, 200, True),
        ("chat", "member", chat, CHAT_READY, 200, True),
        ("chat-without-javascript", "member", plain, None, 200, False),
        ("confirmation", "coordinator", confirmation, None, 200, True),
    ]


def jpeg(png, target, width):
    from PIL import Image

    with Image.open(png) as image:
        image = image.convert("RGB")
        scale = JPEG_SCALE.get(width, 1)
        if scale != 1:
            size = (round(image.width * scale), round(image.height * scale))
            image = image.resize(size, Image.Resampling.LANCZOS)
        image.save(target, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running portal")
    parser.add_argument("--out", type=Path, default=HERE / "png", help="where the PNGs go")
    parser.add_argument("--jpeg", action="store_true", help=f"also write {HERE / 'demo'}")
    parser.add_argument("--project", default=PROJECT, help="title of the project to show")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            todo = discover(browser, url, args.project)
        except PageError as error:
            sys.exit(f"cannot find the demo's pages: {error}")
        for width in WIDTHS:
            folder = args.out / str(width)
            folder.mkdir(parents=True, exist_ok=True)
            if args.jpeg:
                (HERE / "demo" / str(width)).mkdir(parents=True, exist_ok=True)
            contexts = {}
            for number, (name, who, path, ready, expected, javascript) in enumerate(todo, 1):
                key = (who, javascript)
                if key not in contexts:
                    contexts[key] = new_context(browser, width, javascript)
                    if who:
                        sign_in(contexts[key], url, who)
                page = contexts[key].new_page()
                response = page.goto(url + path)
                status = response.status if response else 0
                if ready:
                    page.wait_for_selector(ready)
                page.evaluate("document.fonts.ready.then(() => true)")
                target = folder / f"{number:02d}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                note = ""
                if status != expected:
                    failures += 1
                    note = f"  FAILED: expected {expected}"
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    note += f"  wider than the screen: {wide} px"
                line = f"{width:>5} {status} {path} -> {target.relative_to(args.out.parent)}"
                if args.jpeg:
                    small = HERE / "demo" / str(width) / f"{number:02d}-{name}.jpg"
                    jpeg(target, small, width)
                    line += f", {small.relative_to(HERE)}"
                print(line + note, flush=True)
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()
    if failures:
        sys.exit(f"{failures} page(s) did not answer as expected")


if __name__ == "__main__":
    main()
