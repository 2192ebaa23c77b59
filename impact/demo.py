"""Demo impact maps: a published forecast and evaluation for "Digital skills for young people",
and a few shared proxies. Safe to run twice: everything is get-or-create.

The figures are plausible, not real: every source says it is demo data.
"""

from decimal import Decimal as D

from django.core.exceptions import PermissionDenied

from projects.models import ProjectPage

from . import selectors, services
from .models import (
    FinancialProxy,
    ImpactMap,
    Input,
    Outcome,
    Output,
    PriceIndex,
    PriceIndexValue,
    Stakeholder,
)

DEMO_SLUG = "digital-skills-for-young-people"

PROXIES = [
    # key, outcome, indicator, value, year, source
    (
        "job",
        "Young person finds a job",
        "In paid work six months after the course",
        D("9100.00"),
        2024,
        "Demo value: mean annual earnings of workers aged 20–24 less average unemployment "
        "assistance (after INE Encuesta anual de estructura salarial and SEPE figures).",
    ),
    (
        "education",
        "Young person returns to education or training",
        "Enrolled in vocational training or secondary education",
        D("3400.00"),
        2024,
        "Demo value: annualised earnings premium of a vocational qualification (after "
        "OECD Education at a Glance).",
    ),
    (
        "confidence",
        "More confidence using digital tools",
        "Self-assessed digital confidence up two or more points (0–10)",
        D("450.00"),
        2024,
        "Demo value: price of an equivalent 40-hour private digital-skills course.",
    ),
    (
        "volunteering",
        "Wellbeing from regular volunteering",
        "Volunteered at least monthly for six months",
        D("1200.00"),
        2023,
        "Demo value: wellbeing valuation of regular volunteering (after the UK Social Value "
        "Bank), converted to euros.",
    ),
]

# Per map kind: first year, stakeholders (name, number, description), inputs, outputs, outcomes.
MAPS = {
    ImpactMap.Kind.EVALUATIVE: {
        "first_year": 2024,
        "scope": "The 2024 pilot: two cohorts in Barcelona, measured with a survey at the end "
        "of the course and six months later (response rate 78 %).",
        "scale": D("0.4"),
        # The pilot placed fewer young people in work than the forecast now expects.
        "adjust": {"Finds a job": D("0.75"), "Spends less on unemployment assistance": D("0.75")},
    },
    ImpactMap.Kind.FORECAST: {
        "first_year": 2025,
        "scope": "The 2025 programme: six cohorts in Barcelona, Badalona and L'Hospitalet, "
        "forecast from the pilot's measured results.",
        "scale": D("1"),
        "adjust": {},
    },
}

STAKEHOLDERS = [
    (
        "young",
        "Young people aged 16–24 at risk of exclusion",
        120,
        "Neither in work nor in "
        "education when they join; referred by social services and youth centres.",
    ),
    ("mentors", "Volunteer mentors", 25, "Employees of partner companies who mentor a cohort."),
    ("state", "Public sector", 1, "Regional and national administrations that pay benefits."),
]

OUTCOMES = [
    # stakeholder, proxy key, description, indicator, indicator source, quantity, duration,
    # starts, own proxy (value, description, source) or None, deadweight, displacement,
    # attribution, drop-off, with justifications
    {
        "stakeholder": "young",
        "proxy": "job",
        "description": "Finds a job",
        "indicator": "In paid work six months after the course",
        "indicator_source": "Follow-up survey six months after the course",
        "quantity": 30,
        "duration": 3,
        "starts": "during",
        "deadweight": (
            "25",
            "Among similar young people in the area, about a quarter find "
            "work within six months without support (regional youth guarantee data).",
        ),
        "displacement": (
            "5",
            "A few of the jobs might otherwise have gone to other young jobseekers.",
        ),
        "attribution": (
            "20",
            "Participants also use job centres and family networks; they "
            "credit the course with most of the change.",
        ),
        "drop_off": ("20", "Youth jobs are unstable: one in five is lost each year."),
    },
    {
        "stakeholder": "young",
        "proxy": "education",
        "description": "Returns to education or training",
        "indicator": "Enrolled in vocational training or secondary education",
        "indicator_source": "Enrolment records shared with consent",
        "quantity": 18,
        "duration": 2,
        "starts": "after",
        "deadweight": ("30", "Some would have re-enrolled anyway (school return rates)."),
        "displacement": ("0", ""),
        "attribution": ("15", "Youth workers and families encourage the return too."),
        "drop_off": ("25", "A quarter drop out again each year."),
    },
    {
        "stakeholder": "young",
        "proxy": "confidence",
        "description": "More confidence using digital tools",
        "indicator": "Self-assessed digital confidence up two or more points (0–10)",
        "indicator_source": "Survey at the start and end of the course",
        "quantity": 80,
        "duration": 1,
        "starts": "during",
        "deadweight": ("10", "Digital confidence rises a little with age and use anyway."),
        "displacement": ("0", ""),
        "attribution": ("10", "Some also learn from friends and online courses."),
        "drop_off": ("0", ""),
    },
    {
        "stakeholder": "mentors",
        "proxy": "volunteering",
        "description": "Wellbeing from mentoring",
        "indicator": "Volunteered at least monthly for six months",
        "indicator_source": "Mentor attendance records",
        "quantity": 20,
        "duration": 1,
        "starts": "during",
        "deadweight": ("40", "Many mentors volunteer elsewhere already."),
        "displacement": ("0", ""),
        "attribution": ("30", "Their companies' volunteering programmes share the credit."),
        "drop_off": ("0", ""),
    },
    {
        "stakeholder": "state",
        "proxy": None,
        "own_proxy": (
            D("2800.00"),
            "Unemployment assistance not paid for a year",
            "Demo value: average annual youth unemployment assistance actually received "
            "(after SEPE statistics).",
        ),
        "description": "Spends less on unemployment assistance",
        "indicator": "Participants in work who no longer claim assistance",
        "indicator_source": "Follow-up survey six months after the course",
        "quantity": 30,
        "duration": 2,
        "starts": "during",
        "deadweight": ("25", "As for the jobs themselves."),
        "displacement": ("5", "As for the jobs themselves."),
        "attribution": ("20", "As for the jobs themselves."),
        "drop_off": ("30", "Jobs are lost and not all claim again at once."),
    },
]


def _proxies():
    result = {}
    for key, outcome, indicator, value, year, source in PROXIES:
        proxy, _ = FinancialProxy.objects.get_or_create(
            outcome=outcome,
            indicator=indicator,
            defaults={"value": value, "currency": "EUR", "year": year, "source": source},
        )
        result[key] = proxy
    return result


# Annual averages rebased to 2021 = 100 from the yearly changes of Spain's consumer price index
# (2019 +0.7 %, 2020 -0.3 %, 2021 +3.1 %, 2022 +8.4 %, 2023 +3.5 %, 2024 +2.8 %): demo data,
# for editors to replace with the statistics office's current series.
DEMO_INDEX = {
    2019: "97.2804",
    2020: "96.9932",
    2021: "100.0000",
    2022: "108.4000",
    2023: "112.1940",
    2024: "115.3354",
}


def _price_index():
    index, created = PriceIndex.objects.get_or_create(
        name="Consumer price index, Spain (annual average, 2021 = 100)",
        defaults={
            "source": "INE, Índice de Precios de Consumo (demo values: check the current series)",
            "source_url": "https://www.ine.es/",
        },
    )
    if created:
        PriceIndexValue.objects.bulk_create(
            PriceIndexValue(index=index, year=year, value=value)
            for year, value in DEMO_INDEX.items()
        )
    return index


def _rows(impact_map, project, user, proxies, scale, adjust):
    organizations = list(selectors.contributor_organizations(project))
    lead = project.lead_organization
    partner = next((o for o in organizations if o.pk != getattr(lead, "pk", None)), None)
    stakeholders = {
        key: Stakeholder(
            impact_map=impact_map,
            name=name,
            number=max(1, int(number * scale)) if key != "state" else 1,
            description=description,
        )
        for key, name, number, description in STAKEHOLDERS
    }
    services.impact_rows_save(impact_map=impact_map, user=user, rows=stakeholders.values())
    hours = (D(1000) * scale).quantize(D(1))
    inputs = [
        Input(
            kind=Input.Kind.MONEY,
            description="Programme grant",
            amount=(D(60000) * scale).quantize(D(1)),
            organization=lead,
            contributor_name="" if lead else "Lead foundation",
        ),
        Input(
            kind=Input.Kind.MONEY,
            description="Municipal youth employment grant",
            amount=(D(25000) * scale).quantize(D(1)),
            contributor_name="Barcelona City Council",
        ),
        Input(
            kind=Input.Kind.IN_KIND,
            description="Laptops and a classroom, lent for the courses",
            amount=(D(12000) * scale).quantize(D(1)),
            organization=partner,
            contributor_name="" if partner else "A partner company",
        ),
        Input(
            kind=Input.Kind.VOLUNTEER_HOURS,
            description="Mentoring by volunteers",
            hours=hours,
            contributor_name="Volunteer mentors of partner companies",
        ),
    ]
    outputs = [
        Output(
            description="Course cohorts run",
            quantity=(D(6) * scale).quantize(D(1)),
            unit="cohorts",
        ),
        Output(
            stakeholder=stakeholders["young"],
            description="Young people who completed the course",
            quantity=(D(96) * scale).quantize(D(1)),
            unit="people",
        ),
        Output(
            stakeholder=stakeholders["mentors"],
            description="Mentoring hours",
            quantity=hours,
            unit="hours",
        ),
    ]
    outcomes = []
    for spec in OUTCOMES:
        fields = {
            "stakeholder": stakeholders[spec["stakeholder"]],
            "description": spec["description"],
            "indicator": spec["indicator"],
            "indicator_source": spec["indicator_source"],
            "quantity": max(
                D(1),
                (D(spec["quantity"]) * scale * adjust.get(spec["description"], 1)).quantize(D(1)),
            ),
            "duration_years": spec["duration"],
            "starts": spec["starts"],
        }
        for name in ("deadweight", "displacement", "attribution", "drop_off"):
            percent, reason = spec[name]
            fields[name] = D(percent)
            fields[f"{name}_justification"] = reason
        if spec["proxy"]:
            fields["shared_proxy"] = proxies[spec["proxy"]]
            fields["proxy_value"] = None  # filled from the library by the service
        else:
            value, description, source = spec["own_proxy"]
            fields.update(proxy_value=value, proxy_description=description, proxy_source=source)
        outcomes.append(Outcome(**fields))
    services.impact_rows_save(
        impact_map=impact_map, user=user, rows=[*inputs, *outputs, *outcomes]
    )


def seed(ctx):
    proxies = _proxies()
    _price_index()
    project = ProjectPage.objects.filter(slug=DEMO_SLUG).first()
    if project is None:
        ctx.log(f"impact: no project {DEMO_SLUG!r}, skipping its impact maps")
        return
    user = ctx.users.get("coordinator")
    if user is None:
        ctx.log("impact: no demo coordinator account, skipping the impact maps")
        return
    try:
        for kind, spec in MAPS.items():
            impact_map = ImpactMap.objects.filter(project=project, kind=kind).first()
            if impact_map is None:
                impact_map = services.impact_map_create(
                    project=project,
                    user=user,
                    kind=kind,
                    first_year=spec["first_year"],
                    scope=spec["scope"],
                    currency="EUR",
                )
            if not impact_map.stakeholders.exists():
                _rows(impact_map, project, user, proxies, spec["scale"], spec["adjust"])
            if not impact_map.published:
                services.impact_map_publish(impact_map=impact_map, user=user)
    except PermissionDenied:
        ctx.log("impact: the demo coordinator does not coordinate the demo project, skipping")
        return
    ctx.log(
        f"impact: {len(proxies)} shared proxies, a price index, forecast and evaluation of "
        f"{project.title}"
    )
