"""The impact map editor in the portal: who may do what, validation, the library, publishing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impact import services
from impact.models import FinancialProxy, ImpactMap, Input, Outcome, Stakeholder
from tests.factories import UserFactory
from tests.impact.helpers import Team, build_map
from tests.utils import editor, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built_team(django_db_setup, django_db_blocker):
    """Built once for this module through the services; each test's changes are rolled back."""
    with rolled_back(django_db_blocker):
        yield Team()


@pytest.fixture
def team(built_team, db):
    return built_team.fresh()


def url(name, project, kind=None):
    args = [project.pk] + ([kind] if kind else [])
    return reverse(f"portal:{name}", args=args)


def rows_data(rows, *, extra=()):
    """POST data of a rows formset: existing ``rows`` (dicts with "id") then ``extra`` new."""
    forms = list(rows) + list(extra)
    data = {
        "rows-TOTAL_FORMS": str(len(forms)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(forms):
        for key, value in form.items():
            data[f"rows-{index}-{key}"] = "" if value is None else str(value)
    return data


def outcome_data(outcome=None, **change):
    fields = {
        "stakeholder": outcome.stakeholder_id if outcome else None,
        "description": "Finds a job",
        "indicator": "In work after six months",
        "indicator_source": "Survey",
        "quantity": "10",
        "duration_years": "2",
        "starts": "during",
        "shared_proxy": "",
        "proxy_description": "Earnings",
        "proxy_value": "1000",
        "proxy_source": "A study",
        "deadweight": "20",
        "deadweight_justification": "Some find work anyway.",
        "displacement": "0",
        "displacement_justification": "",
        "attribution": "0",
        "attribution_justification": "",
        "drop_off": "0",
        "drop_off_justification": "",
    }
    if outcome:
        fields["id"] = outcome.pk
        for name in fields:
            if name not in ("id", "stakeholder", "shared_proxy") and hasattr(outcome, name):
                fields[name] = getattr(outcome, name)
        fields["shared_proxy"] = outcome.shared_proxy_id or ""
    fields.update(change)
    return fields


# --- Who may do what ------------------------------------------------------------------------

READ_VIEWS = [("impact_overview", None), ("impact_map", "forecast")]
EDIT_VIEWS = [
    ("impact_map_create", None),
    ("impact_stakeholders", "forecast"),
    ("impact_inputs", "forecast"),
    ("impact_outputs", "forecast"),
    ("impact_outcomes", "forecast"),
    ("impact_map_settings", "forecast"),
    ("impact_map_delete", "forecast"),
]


def login_as(client, team, role):
    user = {
        "coordinator": team.coordinator,
        "member": team.member,
        "outsider": team.outsider,
        "editor": editor(),
        "anonymous": None,
    }[role]
    if user:
        client.force_login(user)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", 200),
        ("member", 200),
        ("outsider", 404),
        ("editor", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize(("name", "kind"), READ_VIEWS)
def test_reading_the_working_copy(client, team, role, expected, name, kind):
    build_map(team.project, team.coordinator)
    login_as(client, team, role)
    response = client.get(url(name, team.project, kind))
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", 200),
        ("member", 403),
        ("outsider", 404),
        ("editor", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize(("name", "kind"), EDIT_VIEWS)
def test_editing_pages(client, team, role, expected, name, kind):
    build_map(team.project, team.coordinator)
    login_as(client, team, role)
    response = client.get(url(name, team.project, kind))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected", "published"),
    [
        ("coordinator", 302, True),
        ("member", 403, False),
        ("outsider", 404, False),
        ("editor", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_publishing(client, team, role, expected, published):
    impact_map = build_map(team.project, team.coordinator)
    login_as(client, team, role)
    response = client.post(url("impact_map_publish", team.project, "forecast"))
    assert response.status_code == expected
    impact_map.refresh_from_db()
    assert impact_map.published is published
    assert (client.get(reverse("impact:report", args=[team.project.pk])).status_code == 200) is (
        published
    )


@pytest.mark.parametrize(
    ("role", "expected", "still_published"),
    [("coordinator", 302, False), ("member", 403, True), ("outsider", 404, True)],
)
def test_unpublishing(client, team, role, expected, still_published):
    impact_map = build_map(team.project, team.coordinator, publish=True)
    login_as(client, team, role)
    response = client.post(url("impact_map_unpublish", team.project, "forecast"))
    assert response.status_code == expected
    impact_map.refresh_from_db()
    assert impact_map.published is still_published


def test_member_cannot_change_rows(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=1)
    outcome = Outcome.objects.get(stakeholder__impact_map=impact_map)
    client.force_login(team.member)
    data = rows_data([outcome_data(outcome, quantity="999")])
    response = client.post(url("impact_outcomes", team.project, "forecast"), data)
    assert response.status_code == 403
    outcome.refresh_from_db()
    assert outcome.quantity != Decimal(999)


def test_services_refuse_non_coordinators(team):
    impact_map = build_map(team.project, team.coordinator)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.impact_map_publish(impact_map=impact_map, user=team.member)
    with pytest.raises(PermissionDenied):
        services.impact_rows_save(
            impact_map=impact_map, user=team.outsider, rows=[Stakeholder(name="X")]
        )


def test_rows_of_another_map_are_refused(team):
    mine = build_map(team.project, team.coordinator)
    other_coordinator = UserFactory()
    from tests.utils import approved_project

    other_project = approved_project(coordinator=other_coordinator, title="Other")
    theirs = build_map(other_project, other_coordinator)
    stranger = theirs.stakeholders.first()
    stranger.name = "Hijacked"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.impact_rows_save(impact_map=mine, user=team.coordinator, rows=[stranger])
    stranger.refresh_from_db()
    assert stranger.name != "Hijacked"


def test_unknown_project_and_kind_answer_404(client, team):
    client.force_login(team.coordinator)
    assert client.get(reverse("portal:impact_overview", args=[999999])).status_code == 404
    assert client.get(url("impact_map", team.project, "forecast")).status_code == 404


# --- Creating and editing ---------------------------------------------------------------------


def test_coordinator_creates_a_map_then_cannot_create_the_same_kind(client, team):
    client.force_login(team.coordinator)
    data = {
        "kind": "forecast",
        "currency": "EUR",
        "discount_rate": "3.5",
        "first_year": "2025",
        "period_years": "1",
        "volunteer_hourly_rate": "15",
        "scope": "",
    }
    response = client.post(url("impact_map_create", team.project), data)
    assert response.status_code == 302
    impact_map = ImpactMap.objects.get(project=team.project)
    assert response["Location"] == url("impact_stakeholders", team.project, "forecast")
    assert impact_map.kind == "forecast" and impact_map.created_by == team.coordinator
    assert not impact_map.published

    response = client.post(url("impact_map_create", team.project), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ImpactMap.objects.filter(project=team.project).count() == 1
    with pytest.raises(ValidationError):
        services.impact_map_create(project=team.project, user=team.coordinator, kind="forecast")

    data["kind"] = "evaluative"
    assert client.post(url("impact_map_create", team.project), data).status_code == 302
    assert ImpactMap.objects.filter(project=team.project).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"discount_rate": "101"}, "Enter a percentage between 0 and 100."),
        ({"discount_rate": "-1"}, "Enter a percentage between 0 and 100."),
        ({"period_years": "0"}, "The analysis period is at least 1 year."),
        ({"volunteer_hourly_rate": "-5"}, "Enter 0 or more."),
        ({"currency": "XXX"}, "Select a valid choice"),
        ({"sensitivity_points": "150"}, "Enter a percentage between 0 and 100."),
    ],
)
def test_bad_settings_are_refused_with_a_message(client, team, change, message):
    impact_map = build_map(team.project, team.coordinator)
    client.force_login(team.coordinator)
    data = {
        "currency": "EUR",
        "discount_rate": "3.5",
        "first_year": "2025",
        "period_years": "1",
        "volunteer_hourly_rate": "15",
        "scope": "",
        "sensitivity_points": "10",
        "sensitivity_proxy_percent": "20",
        **change,
    }
    response = client.post(url("impact_map_settings", team.project, "forecast"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    before = impact_map.discount_rate, impact_map.period_years, impact_map.currency
    impact_map.refresh_from_db()
    assert (impact_map.discount_rate, impact_map.period_years, impact_map.currency) == before


def test_settings_are_saved(client, team):
    impact_map = build_map(team.project, team.coordinator)
    client.force_login(team.coordinator)
    data = {
        "currency": "EUR",
        "discount_rate": "0",
        "first_year": "2024",
        "period_years": "2",
        "volunteer_hourly_rate": "20",
        "scope": "Pilot",
        "sensitivity_points": "5",
        "sensitivity_proxy_percent": "10",
    }
    response = client.post(url("impact_map_settings", team.project, "forecast"), data)
    assert response.status_code == 302
    impact_map.refresh_from_db()
    assert impact_map.discount_rate == 0 and impact_map.period_years == 2
    assert impact_map.sensitivity_points == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadweight": "150"}, "Enter a percentage between 0 and 100."),
        ({"attribution": "-1"}, "Enter a percentage between 0 and 100."),
        ({"drop_off": "100.5"}, "Enter a percentage between 0 and 100."),
        ({"duration_years": "0"}, "An outcome lasts at least 1 year."),
        ({"quantity": "-3"}, "Enter 0 or more."),
        ({"proxy_value": "-1"}, "Enter 0 or more."),
        ({"deadweight_justification": ""}, "Explain this percentage"),
        ({"proxy_value": ""}, "Enter a proxy value or choose one from the library."),
        ({"proxy_source": ""}, "Say where the proxy value comes from"),
    ],
)
def test_bad_outcomes_are_refused_with_a_message_and_nothing_changes(
    client, team, change, message
):
    impact_map = build_map(team.project, team.coordinator, outcomes=2)
    first, second = Outcome.objects.filter(stakeholder__impact_map=impact_map)
    client.force_login(team.coordinator)
    # A valid change to the first row and a bad one to the second: neither is saved.
    data = rows_data([outcome_data(first, quantity="77"), outcome_data(second, **change)])
    response = client.post(url("impact_outcomes", team.project, "forecast"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    first.refresh_from_db()
    assert first.quantity != Decimal(77)


def test_outcomes_are_added_changed_and_deleted(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=2)
    first, second = Outcome.objects.filter(stakeholder__impact_map=impact_map)
    client.force_login(team.coordinator)
    data = rows_data(
        [outcome_data(first, quantity="77"), outcome_data(second, DELETE="on")],
        extra=[outcome_data(stakeholder=first.stakeholder_id, description="New one")],
    )
    response = client.post(url("impact_outcomes", team.project, "forecast"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    outcomes = Outcome.objects.filter(stakeholder__impact_map=impact_map).order_by("id")
    assert [(o.description, o.quantity) for o in outcomes] == [
        (first.description, Decimal(77)),
        ("New one", Decimal(10)),
    ]
    impact_map.refresh_from_db()
    assert impact_map.updated_at > impact_map.created_at


def test_untouched_blank_rows_are_ignored(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=1)
    client.force_login(team.coordinator)
    page = client.get(url("impact_outcomes", team.project, "forecast"))
    assert page.context["formset"].total_form_count() == 2  # one row and a blank one
    stakeholders = [
        {"id": s.pk, "name": s.name, "number": s.number, "description": ""}
        for s in impact_map.stakeholders.all()
    ]
    blank = {"name": "", "number": "0", "description": ""}
    response = client.post(
        url("impact_stakeholders", team.project, "forecast"),
        rows_data(stakeholders, extra=[blank]),
    )
    assert response.status_code == 302
    assert impact_map.stakeholders.count() == 2


def test_deleting_a_stakeholder_deletes_its_outcomes(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=3)
    young, mentors = impact_map.stakeholders.order_by("id")
    client.force_login(team.coordinator)
    rows = [
        {
            "id": young.pk,
            "name": young.name,
            "number": young.number,
            "description": "",
            "DELETE": "on",
        },
        {"id": mentors.pk, "name": mentors.name, "number": mentors.number, "description": ""},
    ]
    response = client.post(url("impact_stakeholders", team.project, "forecast"), rows_data(rows))
    assert response.status_code == 302
    assert list(Outcome.objects.filter(stakeholder__impact_map=impact_map)) == list(
        mentors.outcomes.all()
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "volunteer_hours", "hours": ""}, "Enter the number of volunteer hours."),
        ({"kind": "money", "amount": ""}, "Enter the value of this input."),
        ({"contributor_name": ""}, "Say who contributed it"),
        ({"amount": "-10"}, "Enter 0 or more."),
        ({"organization": "lead"}, "Choose an organization or type a name, not both."),
    ],
)
def test_bad_inputs_are_refused(client, team, row, message):
    build_map(team.project, team.coordinator, inputs=None)
    client.force_login(team.coordinator)
    fields = {
        "kind": "money",
        "description": "Grant",
        "amount": "100",
        "hours": "",
        "organization": "",
        "contributor_name": "City council",
        **row,
    }
    if fields["organization"] == "lead":
        fields["organization"] = team.project.lead_organization_id
    response = client.post(
        url("impact_inputs", team.project, "forecast"), rows_data([], extra=[fields])
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Input.objects.exists()


def test_inputs_by_organization_and_volunteer_hours(client, team):
    impact_map = build_map(team.project, team.coordinator, inputs=None, outcomes=1)
    client.force_login(team.coordinator)
    rows = [
        {
            "kind": "in_kind",
            "description": "Laptops",
            "amount": "1200",
            "hours": "",
            "organization": team.partner.pk,
            "contributor_name": "",
        },
        {
            "kind": "volunteer_hours",
            "description": "Mentoring",
            "amount": "",
            "hours": "40",
            "organization": "",
            "contributor_name": "Volunteers",
        },
    ]
    response = client.post(
        url("impact_inputs", team.project, "forecast"), rows_data([], extra=rows)
    )
    assert response.status_code == 302
    page = client.get(url("impact_map", team.project, "forecast"))
    report = page.context["report_ctx"]["report"]
    # 1,200 in kind + 40 hours × 15.00 (the default rate) = 1,800.00
    assert report["summary"]["total_inputs"] == "1800.00"
    assert [i["contributor"] for i in report["inputs"]] == [team.partner.title, "Volunteers"]
    assert impact_map.inputs.count() == 2


def test_an_organization_outside_the_project_cannot_be_named(client, team):
    from tests.utils import approved_organization

    build_map(team.project, team.coordinator, inputs=None)
    stranger = approved_organization()
    client.force_login(team.coordinator)
    row = {
        "kind": "money",
        "description": "Grant",
        "amount": "100",
        "hours": "",
        "organization": stranger.pk,
        "contributor_name": "",
    }
    response = client.post(
        url("impact_inputs", team.project, "forecast"), rows_data([], extra=[row])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# --- The shared proxy library -----------------------------------------------------------------


def test_choosing_a_library_proxy_fills_value_and_source(client, team, proxy):
    impact_map = build_map(team.project, team.coordinator, outcomes=0)
    stakeholder = impact_map.stakeholders.first()
    client.force_login(team.coordinator)
    page = client.get(url("impact_outcomes", team.project, "forecast")).content.decode()
    assert 'data-value="9100.00"' in page  # what impact.js fills in at once
    new = outcome_data(
        stakeholder=stakeholder.pk, shared_proxy=proxy.pk, proxy_value="", proxy_source=""
    )
    response = client.post(
        url("impact_outcomes", team.project, "forecast"), rows_data([], extra=[new])
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(stakeholder=stakeholder)
    assert outcome.proxy_value == Decimal("9100.00")
    assert "A study (2024)" in outcome.proxy_source and proxy.source_url in outcome.proxy_source
    assert outcome.shared_proxy == proxy

    # The library changing later does not change the map behind the coordinators' back.
    FinancialProxy.objects.filter(pk=proxy.pk).update(value=Decimal(1))
    same = outcome_data(outcome)
    assert (
        client.post(
            url("impact_outcomes", team.project, "forecast"), rows_data([same])
        ).status_code
        == 302
    )
    outcome.refresh_from_db()
    assert outcome.proxy_value == Decimal("9100.00")


def test_a_proxy_in_another_currency_is_refused(client, team, proxy):
    impact_map = build_map(team.project, team.coordinator, outcomes=0)
    proxy.currency = "USD"
    proxy.save()
    client.force_login(team.coordinator)
    new = outcome_data(stakeholder=impact_map.stakeholders.first().pk, shared_proxy=proxy.pk)
    response = client.post(
        url("impact_outcomes", team.project, "forecast"), rows_data([], extra=[new])
    )
    assert response.status_code == 200
    assert "This proxy is in USD but the map is in EUR" in response.content.decode()
    assert not Outcome.objects.exists()


# --- Publishing ---------------------------------------------------------------------------------


def test_publishing_without_inputs_is_refused_with_a_message(client, team):
    impact_map = build_map(team.project, team.coordinator, inputs=None)
    client.force_login(team.coordinator)
    response = client.post(url("impact_map_publish", team.project, "forecast"), follow=True)
    assert "Add the inputs" in response.content.decode()
    impact_map.refresh_from_db()
    assert not impact_map.published
    # The working copy still shows, with a clear message instead of a ratio.
    page = client.get(url("impact_map", team.project, "forecast")).content.decode()
    assert "No inputs are recorded, so there is no ratio" in page


def test_publishing_without_outcomes_is_refused(team):
    impact_map = build_map(team.project, team.coordinator, outcomes=0)
    with pytest.raises(ValidationError, match="at least one outcome"):
        services.impact_map_publish(impact_map=impact_map, user=team.coordinator)


def test_edits_after_publishing_stay_private_until_published_again(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=1, publish=True)
    public = reverse("impact:report", args=[team.project.pk])
    before = client.get(public).context["reports"][0]["report"]["summary"]["total_present_value"]
    outcome = Outcome.objects.get(stakeholder__impact_map=impact_map)
    client.force_login(team.coordinator)
    response = client.post(
        url("impact_outcomes", team.project, "forecast"),
        rows_data([outcome_data(outcome, quantity="1000")]),
    )
    assert response.status_code == 302
    impact_map.refresh_from_db()
    assert impact_map.has_unpublished_changes
    client.logout()
    assert (
        client.get(public).context["reports"][0]["report"]["summary"]["total_present_value"]
        == before
    )

    client.force_login(team.coordinator)
    client.post(url("impact_map_publish", team.project, "forecast"))
    impact_map.refresh_from_db()
    assert not impact_map.has_unpublished_changes
    client.logout()
    after = client.get(public).context["reports"][0]["report"]["summary"]["total_present_value"]
    assert Decimal(after) > Decimal(before)


def test_coordinator_deletes_a_map(client, team):
    build_map(team.project, team.coordinator, publish=True)
    client.force_login(team.coordinator)
    response = client.post(url("impact_map_delete", team.project, "forecast"))
    assert response.status_code == 302
    assert not ImpactMap.objects.exists() and not Stakeholder.objects.exists()
    assert client.get(reverse("impact:report", args=[team.project.pk])).status_code == 404
