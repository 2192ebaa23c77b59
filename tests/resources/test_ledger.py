"""Hours recorded by hand: an admin of the giving or receiving organization enters hours given
outside a booking, with category and date; bad input is refused with nothing stored. The ledger
exports as an Excel workbook beside the CSV."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from resources import services
from resources.models import HoursEntry
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


def record(cluster, user=None, **changes):
    values = {
        "giver": cluster.owner,
        "receiver": cluster.other,
        "category": "expertise",
        "hours": Decimal("6.5"),
        "date": timezone.localdate() - timedelta(days=2),
    }
    values.update(changes)
    return services.hours_entry_create(user=user or cluster.owner_admin, **values)


def test_an_admin_of_either_side_records_hours(cluster):
    entry = record(cluster)
    assert (entry.giver, entry.receiver, entry.hours, entry.booking) == (
        cluster.owner,
        cluster.other,
        Decimal("6.5"),
        None,
    )
    record(cluster, user=cluster.other_admin, category="volunteer")
    assert HoursEntry.objects.count() == 2


@pytest.mark.parametrize("who", ["owner_member", "no_org", "editor"])
def test_others_cannot_record_hours(cluster, who):
    with pytest.raises(PermissionDenied):
        record(cluster, user=getattr(cluster, who))
    assert not HoursEntry.objects.exists()


def test_a_third_organization_admin_cannot_record_hours_between_two_others(cluster):
    third_admin = approved_organization(title="Third org").memberships.get().user
    with pytest.raises(PermissionDenied):
        record(cluster, user=third_admin)
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("-3")}, "hours"),
        ({"hours": Decimal("1001")}, "hours"),
        ({"category": "room"}, "category"),
        ({"date": timezone.localdate() + timedelta(days=1)}, "date"),
        ({"date": timezone.localdate() - timedelta(days=6 * 366)}, "date"),
        ({"receiver": "giver"}, "receiver"),
    ],
)
def test_bad_input_is_refused_with_nothing_stored(cluster, changes, field):
    if changes.get("receiver") == "giver":
        changes = {"receiver": cluster.owner}
    with pytest.raises(ValidationError) as error:
        record(cluster, **changes)
    assert field in error.value.message_dict
    assert not HoursEntry.objects.exists()


def test_the_form_records_and_refuses_over_http(cluster):
    client = Client()
    client.force_login(cluster.owner_admin)
    url = reverse("resources:hours_entry_create")
    data = {
        "giver": cluster.owner.pk,
        "receiver": cluster.other.pk,
        "category": "volunteer",
        "hours": "3",
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    bad = client.post(url, {**data, "hours": "abc"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    future = client.post(url, {**data, "date": (timezone.localdate() + timedelta(days=3))})
    assert "cannot be in the future" in future.content.decode()
    assert not HoursEntry.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert HoursEntry.objects.get().recorded_by == cluster.owner_admin
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(
        page=cluster.owner, action="resources.hours.record"
    ).exists()


def test_the_ledger_exports_as_excel(cluster):
    evil = approved_organization(title="=HYPERLINK(1)")
    record(cluster, hours=Decimal("2.25"))
    HoursEntry.objects.create(
        giver=evil,
        receiver=cluster.other,
        category="volunteer",
        hours=1,
        date=timezone.localdate(),
    )
    client = Client()
    client.force_login(cluster.other_member)
    response = client.get(reverse("resources:hours_ledger") + "?format=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("date", "category", "hours", "giver", "receiver", "resource", "project")
    assert len(rows) == 3
    owner_row = next(row for row in rows[1:] if row[3] == "Owner org")
    assert owner_row[2] == 2.25 and owner_row[1] == "Professional expertise"
    assert any(row[3] == "'=HYPERLINK(1)" for row in rows[1:])
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    filtered = client.get(reverse("resources:hours_ledger") + "?category=volunteer&format=xlsx")
    assert len(list(load_workbook(BytesIO(filtered.content)).active.iter_rows())) == 2


def test_the_ledger_totals_hours_by_month_and_category(cluster):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    record(cluster, hours=Decimal("2"), date=this_month)
    record(cluster, hours=Decimal("1.5"), date=this_month, category="volunteer")
    record(cluster, hours=Decimal("4"), date=last_month)
    client = Client()
    client.force_login(cluster.other_member)
    page = client.get(reverse("resources:hours_ledger")).content.decode()
    assert f'datetime="{this_month:%Y-%m}"' in page and f'datetime="{last_month:%Y-%m}"' in page
    response = client.get(reverse("resources:hours_ledger") + "?format=xlsx")
    months = load_workbook(BytesIO(response.content))["By month"]
    rows = list(months.iter_rows(values_only=True))
    assert rows == [
        ("month", "volunteer", "expertise", "total"),
        (f"{this_month:%Y-%m}", 1.5, 2, 3.5),
        (f"{last_month:%Y-%m}", 0, 4, 4),
    ]


def test_the_ledger_filters_by_period_and_refuses_one_that_ends_before_it_starts(cluster):
    today = timezone.localdate()
    record(cluster, hours=Decimal("3"), date=today - timedelta(days=40))
    record(cluster, hours=Decimal("5"), date=today - timedelta(days=2))
    client = Client()
    client.force_login(cluster.other_member)
    url = reverse("resources:hours_ledger")
    since = (today - timedelta(days=10)).isoformat()
    lines = client.get(url, {"date_from": since, "format": "csv"}).content.decode().splitlines()
    assert len(lines) == 2 and "5.00" in lines[1]
    backwards = {"date_from": today.isoformat(), "date_to": since}
    page = client.get(url, backwards).content.decode()
    assert "The period must end on or after the day it starts." in page
    assert "Owner org" not in page
    export = client.get(url, {**backwards, "format": "csv"})
    assert export["Content-Type"].startswith("text/html")


def test_the_ledger_page_costs_the_same_for_3_and_60_entries(
    cluster, django_assert_max_num_queries
):
    client = Client()
    client.force_login(cluster.other_admin)
    for count in (3, 60):
        have = HoursEntry.objects.count()
        HoursEntry.objects.bulk_create(
            HoursEntry(
                giver=cluster.owner,
                receiver=cluster.other,
                category=("volunteer", "expertise")[n % 2],
                hours=Decimal("1.5"),
                date=timezone.localdate() - timedelta(days=7 * n),
            )
            for n in range(have, count)
        )
        with django_assert_max_num_queries(10):
            page = client.get(reverse("resources:hours_ledger"))
        assert page.status_code == 200
        assert page.content.decode().count("<tr><td>") == count
