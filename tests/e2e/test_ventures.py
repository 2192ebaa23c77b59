"""An accepted venture in Chromium against a live daphne: the call's manager names a mentor and
sets milestones, the team marks one done, the mentor records a check-in that shows among the
mentor's verified hours, and the managers see the ventures with overdue milestones first; an
outsider is told the venture does not exist. An applicant withdraws before the decision through
the confirmation page (with and without JavaScript) and the managers see it withdrawn. Every
page at 1280 and 360 px: axe finds nothing serious, and nothing scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.chat.conftest import session_cookie
from tests.e2e.pages import sign_in
from tests.e2e.test_accessibility import AXE, BLOCKING, WIDTHS, _describe, run_axe
from tests.factories import UserFactory
from tests.services import missing
from tests.utils import approved_organization
from volunteers import calls, services, ventures
from volunteers.models import CallApplication, HoursLog, VentureCheckin, VentureMilestone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate


def _page_problems(page, name):
    """Serious axe violations and sideways scrolling of the page as it is now."""
    problems = []
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    if violations:
        problems.append(f"{name}:\n{_describe(violations)}")
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        problems.append(f"{name} scrolls sideways: {scroll}>{client}")
    return problems


RADIO_TEXT_UNDER_ITS_BUTTON = """() => [...document.querySelectorAll('input[type=radio]')]
  .filter(radio => {
    const label = radio.closest('label') || document.querySelector(`label[for="${radio.id}"]`);
    const right = radio.getBoundingClientRect().right;
    const range = document.createRange();
    return [...label.childNodes].some(node => {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) return false;
      range.selectNodeContents(node);
      return [...range.getClientRects()].some(rect => rect.left < right);
    });
  }).length"""


def _build():
    manager = UserFactory(username="v_manager", first_name="Núria", last_name="Vidal")
    organization = approved_organization(admin=manager, title="Fundació Impuls")
    team = UserFactory(username="v_team", first_name="Pau", last_name="Serra")
    late_team = UserFactory(username="v_late", first_name="Laia", last_name="Puig")
    mentor = UserFactory(username="v_mentor", first_name="Marta", last_name="Roca")
    services.profile_save(user=mentor, university="UdG", open_to_mentoring_ventures=True)
    outsider = UserFactory(username="v_outsider")
    leavers = [
        UserFactory(username=f"v_leaver{n}", first_name=name, last_name="Font")
        for n, name in enumerate(("Joan", "Anna"))
    ]
    call = calls.call_open(
        user=manager,
        organization=organization,
        title="Ventures for digital inclusion",
        challenge="Bring older people online.",
        deadline=TODAY() + timedelta(days=20),
    )
    venture = calls.application_decide(
        user=manager,
        application=calls.application_submit(
            user=team, call=call, team="Digital companions", proposal="Weekly visits."
        ),
        accept=True,
    )
    # Accepted later, but with a milestone already overdue: first on the managers' page.
    late = calls.application_decide(
        user=manager,
        application=calls.application_submit(
            user=late_team, call=call, team="Repair café", proposal="Fix laptops together."
        ),
        accept=True,
    )
    ventures.milestone_add(
        user=manager, venture=late, title="Find a venue", due_on=TODAY() - timedelta(days=5)
    )
    pending = [
        calls.application_submit(
            user=person, call=call, team=f"{person.first_name}'s team", proposal="An idea."
        )
        for person in leavers
    ]
    return {
        "manager": manager,
        "team": team,
        "mentor": mentor,
        "outsider": outsider,
        "leavers": leavers,
        "call": call,
        "venture": venture,
        "late": late,
        "pending": pending,
    }


def test_a_venture_gets_a_mentor_milestones_and_check_ins_and_stays_private(
    daphne_factory, new_page
):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    site = _build()
    server = daphne_factory()
    venture, call = site["venture"], site["call"]
    venture_url = f"{server.url}/calls/ventures/{venture.pk}/"
    problems = []

    # Núria names Marta as the mentor and sets two milestones, one already overdue.
    nuria = new_page()
    sign_in(nuria, server, "v_manager")
    nuria.goto(venture_url)
    assign = nuria.locator("main form:has(button:text('Assign the mentor'))")
    assign.get_by_label("Mentor").select_option(str(site["mentor"].pk))
    assign.get_by_role("button", name="Assign the mentor").click()
    nuria.wait_for_selector("text=The mentor is assigned.")
    for title, due in (
        ("First ten visits", TODAY() - timedelta(days=2)),
        ("Volunteer training", TODAY() + timedelta(days=30)),
    ):
        add = nuria.locator("main form:has(button:text('Set the milestone'))")
        add.get_by_label("Milestone").fill(title)
        add.get_by_label("Due on").fill(due.isoformat())
        add.get_by_role("button", name="Set the milestone").click()
        nuria.wait_for_selector("text=The milestone is set.")
    assert list(
        VentureMilestone.objects.filter(application=venture).values_list("title", flat=True)
    ) == ["First ten visits", "Volunteer training"]
    assert nuria.locator("li.overdue").filter(has_text="First ten visits").count() == 1
    problems += _page_problems(nuria, "the venture to its manager at 1280")

    # Pau, the team, marks the overdue milestone done with a note.
    pau = new_page()
    sign_in(pau, server, "v_team")
    pau.goto(venture_url)
    first = VentureMilestone.objects.get(title="First ten visits")
    mark = pau.locator(f"main form[action$='/milestones/{first.pk}/mark/']")
    mark.get_by_label("Done").check()
    mark.get_by_label("Note").fill("Ten neighbours visited twice.")
    mark.get_by_role("button", name="Save “First ten visits”").click()
    pau.wait_for_selector("text=The milestone is updated.")
    first.refresh_from_db()
    assert (first.done, first.note, first.done_by) == (
        True,
        "Ten neighbours visited twice.",
        site["team"],
    )

    # Marta, the mentor, records a check-in; it shows among her verified hours.
    marta = new_page()
    sign_in(marta, server, "v_mentor")
    marta.goto(venture_url)
    checkin = marta.locator("main form:has(button:text('Record the check-in'))")
    checkin.get_by_label("Held on").fill(TODAY().isoformat())
    checkin.get_by_label("Duration (minutes)").fill("90")
    checkin.get_by_label("Note").fill("Planned the next visits.")
    checkin.get_by_role("button", name="Record the check-in").click()
    marta.wait_for_selector("text=The check-in is recorded.")
    assert VentureCheckin.objects.get(application=venture).minutes == 90
    assert HoursLog.objects.get(user=site["mentor"]).status == HoursLog.Status.VERIFIED
    marta.goto(f"{server.url}/volunteer/hours/")
    row = marta.locator("tbody tr").filter(has_text="Mentoring a venture of")
    assert row.count() == 1
    assert "1.5" in row.inner_text() and "Verified" in row.inner_text()

    # The managers' page puts the venture with an overdue milestone first.
    nuria.goto(f"{server.url}/calls/{call.pk}/ventures/")
    titles = nuria.locator("ul.ventures > li h2").all_inner_texts()
    assert titles == ["Repair café", "Digital companions"]
    assert nuria.locator("ul.overdue").first.inner_text().startswith("Find a venue")

    # An outsider learns nothing: the venture does not exist for them.
    outsider = new_page()
    sign_in(outsider, server, "v_outsider")
    assert outsider.goto(venture_url).status == 404

    # Each page at both widths.
    for width, pixels in WIDTHS.items():
        for who, path, name in (
            ("manager", f"/calls/ventures/{venture.pk}/", "the venture to its manager"),
            ("team", f"/calls/ventures/{venture.pk}/", "the venture to its team"),
            ("mentor", f"/calls/ventures/{venture.pk}/", "the venture to its mentor"),
            ("manager", f"/calls/{call.pk}/ventures/", "the call's ventures"),
            ("mentor", "/calls/ventures/", "my ventures"),
        ):
            page = new_page({"width": pixels, "height": 800})
            page.context.add_cookies(
                [{"name": "sessionid", "value": session_cookie(site[who]), "url": server.url}]
            )
            assert page.goto(server.url + path).status == 200
            problems += _page_problems(page, f"{name} at {width}")
    assert problems == [], "\n".join(problems)


def test_an_applicant_withdraws_through_the_confirmation_page_with_or_without_javascript(
    daphne_factory, browser, new_page
):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    site = _build()
    server = daphne_factory()
    call = site["call"]
    first, second = site["pending"]
    problems = []

    # Joan, with JavaScript, from the call's page.
    joan = new_page({"width": 360, "height": 800})
    sign_in(joan, server, "v_leaver0")
    joan.goto(f"{server.url}/calls/{call.pk}/")
    joan.get_by_role("link", name="Withdraw the application").click()
    joan.wait_for_selector("text=Withdraw your application to “Ventures for digital inclusion”?")
    assert CallApplication.objects.filter(pk=first.pk).exists()
    problems += _page_problems(joan, "the withdrawal confirmation at 360")
    joan.get_by_role("button", name="Withdraw the application").click()
    joan.wait_for_selector("text=Your application is withdrawn.")
    assert not CallApplication.objects.filter(pk=first.pk).exists()

    # Anna, without JavaScript: the confirmation is a plain form.
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(site["leavers"][1]), "url": server.url}]
    )
    try:
        anna = context.new_page()
        anna.goto(f"{server.url}/calls/applications/{second.pk}/withdraw/")
        anna.get_by_role("button", name="Withdraw the application").click()
        anna.wait_for_selector("text=Your application is withdrawn.")
    finally:
        context.close()
    assert not CallApplication.objects.filter(pk=second.pk).exists()

    # Núria's list says both withdrew.
    nuria = new_page()
    sign_in(nuria, server, "v_manager")
    nuria.goto(f"{server.url}/calls/{call.pk}/applications/")
    withdrawn = nuria.locator("ul.withdrawals").inner_text()
    assert "Joan Font withdrew their application" in withdrawn
    assert "Anna Font withdrew their application" in withdrawn
    assert nuria.locator("ul.applications").filter(has_text="Joan's team").count() == 0
    for width, pixels in WIDTHS.items():
        page = new_page({"width": pixels, "height": 800})
        page.context.add_cookies(
            [{"name": "sessionid", "value": session_cookie(site["manager"]), "url": server.url}]
        )
        page.goto(f"{server.url}/calls/{call.pk}/applications/")
        problems += _page_problems(page, f"the applications at {width}")
    assert problems == [], "\n".join(problems)


def test_venture_withdrawal_and_vocabulary_screens_read_in_catalan_on_a_phone(
    daphne_factory, browser
):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from taggit.models import Tag

    from taxonomy import services as taxonomy

    site = _build()
    editor_user = UserFactory(username="v_admin", is_superuser=True, is_staff=True)
    ventures.mentor_assign(
        user=site["manager"], venture=site["venture"], mentor_id=site["mentor"].pk
    )
    ventures.milestone_add(
        user=site["manager"],
        venture=site["venture"],
        title="Primeres deu visites al barri",
        due_on=TODAY(),
    )
    from partners import capabilities
    from partners.models import CapabilityTerm

    # A transactional test empties the tables the migrations filled: one term of our own.
    CapabilityTerm.objects.get_or_create(
        facet=next(iter(capabilities.FACET_LABELS)),
        code="catalan-sign-language",
        defaults={
            "name": "Catalan Sign Language",
            "name_es": "Lengua de signos catalana",
            "name_ca": "Llengua de signes catalana",
        },
    )
    tag = Tag.objects.create(name="economia circular", slug="economia-circular")
    taxonomy.tag_proposals_record(names=["economia circular"], proposed_by=site["team"])
    server = daphne_factory()
    venture = site["venture"]
    screens = [
        ("manager", f"/ca/calls/ventures/{venture.pk}/", ["Fites", "Assigna el mentor"]),
        ("mentor", f"/ca/calls/ventures/{venture.pk}/", ["Desa «Primeres deu visites"]),
        ("manager", f"/ca/calls/{site['call'].pk}/ventures/", ["Fites vençudes", "Find a venue"]),
        ("manager", f"/ca/calls/{site['call'].pk}/applications/", ["Assigna un avaluador"]),
        ("mentor", "/ca/calls/ventures/", ["Digital companions"]),
        (
            "leavers",
            f"/ca/calls/applications/{site['pending'][0].pk}/withdraw/",
            ["Retirar la sol·licitud"],
        ),
        ("admin", "/admin/taxonomy/proposed-tags/", ["Etiquetes proposades"]),
        ("admin", f"/admin/taxonomy/proposed-tags/{tag.pk}/", ["Decisió", "Nom (català)"]),
        (
            "admin",
            "/admin/snippets/partners/capabilityterm/",
            ["Nom (català)", "Llengua de signes catalana"],
        ),
    ]
    people = {**site, "leavers": site["leavers"][0], "admin": editor_user}
    problems = []
    for who, path, texts in screens:
        context = browser.new_context(
            locale="ca",
            viewport={"width": 360, "height": 800},
            extra_http_headers={"Accept-Language": "ca"},
        )
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie(people[who]), "url": server.url}]
        )
        try:
            page = context.new_page()
            assert page.goto(server.url + path).status == 200, path
            scroll, client = page.evaluate(
                "() => [document.documentElement.scrollWidth, "
                "document.documentElement.clientWidth]"
            )
            if scroll > client:
                problems.append(f"{path} scrolls sideways at 360 px: {scroll}>{client}")
            # Lists of cards carry no bullets beside the cards.
            bulleted = page.evaluate(
                "() => [...document.querySelectorAll("
                "'main ul.milestones, main ul.ventures, main ul.applications')]"
                ".filter(ul => getComputedStyle(ul).listStyleType !== 'none').length"
            )
            if bulleted:
                problems.append(f"{path} shows bullets beside its cards")
            for text in texts:
                # Waited for, not read once: the admin draws some of its screens with scripts.
                try:
                    page.get_by_text(text).first.wait_for(state="attached", timeout=5_000)
                except PlaywrightTimeout:
                    problems.append(f"{path} lacks “{text}”")
            if "/proposed-tags/" in path and path.rstrip("/")[-1].isdigit():
                # Each choice's words stay right of its radio button, on every line they wrap to.
                assert page.locator("input[type=radio]").count() == 3
                under = page.evaluate(RADIO_TEXT_UNDER_ITS_BUTTON)
                if under:
                    problems.append(f"{path}: {under} choices wrap under their radio buttons")
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
