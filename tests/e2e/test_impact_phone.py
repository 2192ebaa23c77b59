"""The open impact report on a phone: its wide tables become one card per row, each value under
its column's name, so nothing has to be scrolled sideways."""

import pytest

from tests.impact.helpers import Team, build_map

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_tables_fit_a_phone(daphne_factory, browser):
    team = Team()
    build_map(team.project, team.coordinator, outcomes=3, publish=True)
    server = daphne_factory()
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/impact/projects/{team.project.pk}/")
        tables = page.locator("table.impact-table.stacks")
        assert tables.count() >= 3  # value map, stakeholders, inputs
        widths = page.evaluate(
            """() => [...document.querySelectorAll('table.stacks')].map((table) => {
                const wrap = table.closest('.table-wrap');
                return [wrap.scrollWidth, wrap.clientWidth];
            })"""
        )
        assert all(scroll <= client + 1 for scroll, client in widths), widths
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        quantity = page.locator("table.stacks tbody td[data-label='Quantity']").first
        assert quantity.is_visible() and quantity.inner_text().strip() == "10"
        label = page.evaluate(
            """() => getComputedStyle(
                document.querySelector("table.stacks td[data-label='Quantity']"), '::before'
            ).content"""
        )
        assert label == '"Quantity"'

        page.set_viewport_size({"width": 1280, "height": 800})
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('table.stacks tbody tr')).display"
            )
            == "table-row"
        )
    finally:
        context.close()
