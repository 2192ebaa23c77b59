"""A Catalan and a Spanish visitor walk the portal in real Chromium against a live daphne:
from ``/`` through home, the directories, a partner, a project, its impact report, search,
sign-up, then signed in the dashboard, the project's workspace and its chat. No page shows an
English interface word and no link leads to another language.

An English interface word is a visible text (or a label read aloud: ``aria-label``,
``placeholder``, ``title``) that is one of the portal's English messages whose translation
differs, or that holds a common English interface word. Content written in another language is
marked with its ``lang`` and is not the interface: it is skipped, as are people's messages.
The demo texts here are proper names, so that a title written in English (which the pages
mark with ``lang="en"`` where they can) does not hide or fake an interface word.
"""

import json
import re
from pathlib import Path

import polib
import pytest

from impact import services as impact_services
from projects.services import participation_accept, participation_invite, team_add
from taxonomy.models import Sector
from taxonomy.services import vocabulary_translate
from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.impact.helpers import build_map
from tests.utils import approved_organization, approved_project, organization_with_member

# Twelve pages in two languages: a long walk on a busy machine.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]

# Doors with one URL in every language: they follow the language cookie, then the browser.
NEUTRAL = (
    "/portal/",
    "/accounts/",
    "/search/",
    "/feeds/",
    "/impact/",
    "/privacy/",
    "/i18n/",
    "/static/",
    "/media/",
    "/documents/",
    "/manifest.webmanifest",
    "/account/",
)

# Words of the English interface that are not words of Catalan or Spanish.
ENGLISH_WORDS = frozenset(
    """the your you and with from this that these those sign search project projects partner
    partners dashboard workspace show send save edit delete next previous members member tasks
    task events event impact report join about more view read here what how who when where
    which our my people settings profile help back skip page home new add log password email
    account messages message notifications language directory contact upload download share
    open close hours year years for not has have will are were been find all none some
    write reply older newer loading connected offline online today yesterday ago""".split()
)

# Visible texts of the page and the labels read aloud, outside content marked with another
# language and outside what people wrote (chat messages, names).
VISIBLE_TEXTS = """
(lang) => {
  const skip = (el) => {
    for (let node = el; node && node !== document.documentElement; node = node.parentElement) {
      if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "svg"].includes(node.tagName)) return true;
      if (node.matches("[data-user-content], .chat-body, .chat-author")) return true;
      const code = node.getAttribute("lang");
      if (code !== null) return !code.startsWith(lang);
    }
    return false;
  };
  const shown = (el) => el.checkVisibility ? el.checkVisibility() : !!el.offsetParent;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (text && !skip(el) && shown(el)) texts.push(text);
  }
  for (const el of document.body.querySelectorAll("[aria-label], [placeholder], [title]")) {
    if (skip(el)) continue;
    for (const name of ["aria-label", "placeholder", "title"]) {
      const value = (el.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}
"""


def english_messages(lang):
    """The portal's English messages that read differently once translated into ``lang``."""
    messages, translations = set(), set()
    for domain in ("django", "djangojs"):
        po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"))
        for entry in po:
            if entry.obsolete:
                continue
            translated = {entry.msgstr, *entry.msgstr_plural.values()}
            translations |= {text.strip() for text in translated}
            if "%" not in entry.msgid and "{" not in entry.msgid:
                if entry.msgid not in translated:
                    messages.add(entry.msgid.strip())
    # "Any" is English for "Qualsevol" and Catalan for "Year": a translation is never English.
    return messages - translations


def english_on(page, lang, messages):
    found = []
    for text in page.evaluate(VISIBLE_TEXTS, lang):
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
        if text in messages or words & ENGLISH_WORDS:
            found.append(text)
    return sorted(set(found))


def links_leaving(page, lang):
    hrefs = page.eval_on_selector_all(
        "a[href^='/']:not([hreflang]), form[action^='/']",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('action'))",
    )
    return sorted({h for h in hrefs if not h.startswith((f"/{lang}/", *NEUTRAL))})


class Walk:
    def __init__(self, page, server, lang):
        self.page, self.server, self.lang = page, server, lang
        self.messages = english_messages(lang)
        self.problems = {}

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == self.lang, page.url
        path = page.url.removeprefix(self.server.url)
        english = english_on(page, self.lang, self.messages)
        leaving = links_leaving(page, self.lang)
        if english or leaving:
            self.problems[path] = {"english": english, "links": leaving}

    def visit(self, path):
        self.page.goto(f"{self.server.url}{path}")
        self.check()

    def follow(self, selector, url):
        self.page.locator(selector).first.click()
        self.page.wait_for_url(url)
        self.check()


@pytest.fixture
def portal(transactional_db):
    """A project with a partner on its team, a published impact report, and its people."""
    education = Sector.objects.create(name="Education", slug="education")
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project = approved_project(
        coordinator=coordinator,
        lead=approved_organization(admin=coordinator, title="Esplai Sant Martí"),
        title="Codi Jove",
        summary="Coding clubs after school",
        needs=["volunteers"],
        sectors=[education],
    )
    partner, member = organization_with_member(title="Associació Veïns del Barri", member=member)
    participation = participation_invite(project=project, organization=partner, user=coordinator)
    admin = partner.memberships.filter(role="admin").order_by("pk").first().user
    participation_accept(participation=participation, user=admin)
    team_add(project=project, user=member, organization=partner, added_by=coordinator)
    approved_organization(title="Fundació Horta Viva")
    impact_map = build_map(project, coordinator, outcomes=2)
    impact_services.impact_map_publish(impact_map=impact_map, user=coordinator)
    vocabulary_translate()
    return project, partner, member


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_the_whole_walk_stays_in_the_visitors_language(daphne_factory, browser, portal, lang):
    project, partner, member = portal
    server = daphne_factory()
    context = browser.new_context(locale=f"{lang}-ES", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        walk = Walk(context.new_page(), server, lang)
        walk.visit("/")
        assert walk.page.url == f"{server.url}/{lang}/"
        walk.follow(".hero .actions a.secondary", f"{server.url}/{lang}/projects/")
        walk.follow(
            f"main a[href='/{lang}/projects/{project.slug}/']",
            re.compile(rf"/{lang}/projects/{project.slug}/$"),
        )
        walk.visit(f"/impact/projects/{project.pk}/")
        walk.visit(f"/{lang}/partners/")
        walk.visit(f"/{lang}/partners/{partner.slug}/")
        walk.visit("/search/?q=Codi")
        walk.visit("/accounts/signup/")

        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie(member), "url": server.url}]
        )
        walk.visit("/portal/")
        walk.visit(f"/portal/projects/{project.pk}/")
        walk.visit(f"/portal/projects/{project.pk}/chat/")
        walk.page.wait_for_selector("[data-chat].is-connected")
        walk.check()

        assert walk.problems == {}, json.dumps(walk.problems, indent=1, ensure_ascii=False)
    finally:
        context.close()
