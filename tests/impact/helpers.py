"""Impact test data, built through the services as coordinators would."""

from decimal import Decimal

from impact import services
from impact.models import FinancialProxy, ImpactMap, Input, Outcome, Stakeholder
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team, reread


class Team:
    def __init__(self):
        self.coordinator = UserFactory()
        self.project, self.partner, self.member = project_with_partner_on_team(
            coordinator=self.coordinator
        )
        self.outsider = UserFactory()

    def fresh(self):
        """The same people and project read again from the database."""
        copy = object.__new__(Team)
        vars(copy).update(reread(vars(self)))
        return copy


def build_map(
    project,
    user,
    *,
    outcomes=3,
    kind=ImpactMap.Kind.FORECAST,
    publish=False,
    inputs=Decimal("10000.00"),
    **fields,
):
    """A map with two stakeholders, one money input and ``outcomes`` outcomes."""
    impact_map = services.impact_map_create(
        project=project, user=user, kind=kind, first_year=2025, **fields
    )
    young = Stakeholder(name="Young people", number=100)
    mentors = Stakeholder(name="Mentors", number=10)
    services.impact_rows_save(impact_map=impact_map, user=user, rows=[young, mentors])
    rows = []
    if inputs:
        rows.append(
            Input(
                kind=Input.Kind.MONEY,
                description="Grant",
                amount=inputs,
                contributor_name="City council",
            )
        )
    for n in range(outcomes):
        rows.append(
            Outcome(
                stakeholder=young if n % 2 == 0 else mentors,
                description=f"Outcome {n}",
                indicator=f"Indicator {n}",
                quantity=Decimal(10 + n),
                duration_years=1 + n % 3,
                proxy_value=Decimal("333.33") + n,
                proxy_source=f"Source {n}",
                deadweight=Decimal("12.5"),
                deadweight_justification="Some would have happened anyway.",
                displacement=Decimal(n % 2 * 5),
                displacement_justification="Some displacement." if n % 2 else "",
                attribution=Decimal("20"),
                attribution_justification="Others helped.",
                drop_off=Decimal("33.3"),
                drop_off_justification="It fades.",
            )
        )
    services.impact_rows_save(impact_map=impact_map, user=user, rows=rows)
    if publish:
        services.impact_map_publish(impact_map=impact_map, user=user)
    impact_map.refresh_from_db()
    return impact_map


def make_proxy():
    return FinancialProxy.objects.create(
        outcome="Young person finds a job",
        indicator="In work after six months",
        value=Decimal("9100.00"),
        currency="EUR",
        year=2024,
        source="A study",
        source_url="https://example.org/study",
    )
