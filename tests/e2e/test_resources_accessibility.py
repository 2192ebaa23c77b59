"""The shared-resources pages in real Chromium at 1280 and 360 px, checked by axe-core like
every other page (``tests/e2e/test_accessibility.py``): no serious or critical violation, and no
sideways scrolling on the phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from resources import bookings, services
from tests.chat.conftest import session_cookie
from tests.e2e.test_accessibility import AXE, BLOCKING, WIDTHS, _describe, run_axe
from tests.factories import UserFactory
from tests.resources.conftest import at
from tests.security.test_uploads import jpeg_with_gps
from tests.services import missing
from tests.utils import organization_with_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _build():
    owner_admin = UserFactory(username="rosa")
    owner, _ = organization_with_member(admin=owner_admin, title="Casal del Barri")
    other_admin = UserFactory(username="pau")
    other, _ = organization_with_member(admin=other_admin, title="Coop Pau")
    listing = services.listing_create(
        user=owner_admin,
        organization=owner,
        type="offer",
        kind="room",
        title="Meeting room",
        description="A room for twelve, step-free.",
        audience="public",
        address="Carrer Major 1",
        accessibility="Step-free entrance, hearing loop.",
        value_per_hour=Decimal("15"),
        expires_on=timezone.localdate() + timedelta(days=60),
    )
    request = services.listing_create(
        user=other_admin,
        organization=other,
        type="request",
        kind="vehicle",
        title="A van for a weekend",
        description="To move furniture.",
        audience="cluster",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    start, end = at(2, 10)
    (booking,) = bookings.booking_request(
        user=other_admin, listing=listing, organization=other, starts_at=start, ends_at=end
    )
    series = bookings.booking_series_request(
        user=other_admin,
        listing=listing,
        organization=other,
        starts_at=start,
        ends_at=end,
        weeks=3,
    )
    # The Photos page: a cover and two more, each with its moves.
    for alt in ("The room from the door", "Twelve chairs", "The projector"):
        services.listing_photo_add(
            listing=listing, user=owner_admin, file=jpeg_with_gps(), alt=alt
        )
    # The ledger shows its entries and its monthly totals.
    services.hours_entry_create(
        user=owner_admin,
        giver=owner,
        receiver=other,
        category="expertise",
        hours=Decimal("3"),
        date=timezone.localdate() - timedelta(days=3),
    )
    return {
        "owner": session_cookie(owner_admin),
        "other": session_cookie(other_admin),
        "listing": listing,
        "request": request,
        "series": series,
    }


# name: (who, path)
PAGES = {
    "directory": (None, lambda s: "/resources/"),
    "directory filtered": (None, lambda s: "/resources/?kind=room&type=offer"),
    "listing to a visitor": (None, lambda s: f"/resources/{s['listing'].pk}/"),
    "listing to a member": ("other", lambda s: f"/resources/{s['listing'].pk}/"),
    "request with its answer form": ("owner", lambda s: f"/resources/{s['request'].pk}/"),
    "new listing form": ("owner", lambda s: "/resources/new/"),
    "listing edit form": ("owner", lambda s: f"/resources/{s['listing'].pk}/edit/"),
    "photos": ("owner", lambda s: f"/resources/{s['listing'].pk}/photos/"),
    "availability": ("owner", lambda s: f"/resources/{s['listing'].pk}/availability/"),
    "booking form": ("other", lambda s: f"/resources/{s['listing'].pk}/book/"),
    "booking desk": ("owner", lambda s: f"/resources/{s['listing'].pk}/bookings/"),
    "series": ("other", lambda s: f"/resources/series/{s['series'].pk}/"),
    "my resources": ("owner", lambda s: "/resources/mine/"),
    "hours ledger": ("owner", lambda s: "/resources/hours/"),
}


def test_resources_pages_have_no_serious_accessibility_violations(
    daphne_factory, browser, settings, tmp_path
):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    settings.MEDIA_ROOT = tmp_path / "media"
    server = daphne_factory(DJANGO_MEDIA_ROOT=tmp_path / "media")
    site = _build()
    problems = []
    for width, pixels in WIDTHS.items():
        for name, (who, path) in PAGES.items():
            context = browser.new_context(
                locale="en-GB", viewport={"width": pixels, "height": 800}
            )
            context.set_default_timeout(15_000)
            if who:
                context.add_cookies([{"name": "sessionid", "value": site[who], "url": server.url}])
            page = context.new_page()
            try:
                response = page.goto(server.url + path(site))
                if response.status != 200:
                    problems.append(f"{name} at {width}: {response.status}")
                    continue
                violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
                if violations:
                    problems.append(f"{name} at {width}:\n{_describe(violations)}")
                if width == "phone":
                    scroll, client = page.evaluate(
                        "() => [document.scrollingElement.scrollWidth, "
                        "document.scrollingElement.clientWidth]"
                    )
                    if scroll > client:
                        problems.append(f"{name} scrolls sideways at 360 px: {scroll}>{client}")
            finally:
                context.close()
    assert problems == [], "\n".join(problems)
