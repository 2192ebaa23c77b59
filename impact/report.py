"""The report of an impact map: one plain, JSON-ready dict for every way of showing it.

The portal preview, the public page, the CSV and the JSON download are all rendered from the
dict ``build_report()`` returns, with money already rounded to the cent (``sroi.money``), so
they cannot disagree. Publishing stores this dict in ``ImpactMap.published_report``; the public
report shows that frozen copy. Its schema is documented in ``docs/impact-report-schema.md``
(bump ``SCHEMA_VERSION`` on any incompatible change).
"""

import csv
import io
from decimal import Decimal

from . import sroi

SCHEMA_VERSION = 2


def _money(value):
    rounded = sroi.money(value)
    return None if rounded is None else str(rounded)


def _plain(value):
    """A stored decimal (a percentage, a quantity) as a string, as entered."""
    return None if value is None else str(value)


def _contributor(row):
    return row.organization.title if row.organization_id else row.contributor_name


def _proxy(outcome, analysis_year):
    """The proxy as entered and, when a price index brought it to the analysis year, the
    value used with what it takes to reproduce it."""
    used, factor = outcome.proxy_in_analysis_prices(analysis_year)
    index = outcome.price_index if factor is not None else None
    return {
        "description": outcome.proxy_description,
        "value": _money(outcome.proxy_value),
        "source": outcome.proxy_source,
        "library_id": outcome.shared_proxy_id,
        "year": outcome.proxy_year,
        "value_used": _money(used),
        "indexation": None
        if index is None
        else {
            "index": index.name,
            "source": index.source,
            "source_url": index.source_url,
            "from_year": outcome.proxy_year,
            "from_value": _plain(index.series()[outcome.proxy_year]),
            "to_year": analysis_year,
            "to_value": _plain(index.series()[analysis_year]),
        },
    }


def analysis_for(impact_map):
    """The ``sroi.Analysis`` of a map whose rows are prefetched (see selectors)."""
    rate = impact_map.volunteer_hourly_rate
    outcomes = tuple(
        sroi.Outcome(
            key=str(outcome.pk),
            stakeholder=str(stakeholder.pk),
            quantity=outcome.quantity,
            proxy=outcome.proxy_in_analysis_prices(impact_map.first_year)[0],
            duration=outcome.duration_years,
            starts=sroi.Start(outcome.starts),
            deadweight=outcome.deadweight,
            displacement=outcome.displacement,
            attribution=outcome.attribution,
            drop_off=outcome.drop_off,
            negative=outcome.negative,
        )
        for stakeholder in impact_map.stakeholders.all()
        for outcome in stakeholder.outcomes.all()
    )
    return sroi.Analysis(
        outcomes=outcomes,
        inputs=tuple(
            sroi.InputItem(amount=i.value(rate), year=i.year, funder=_contributor(i))
            for i in impact_map.inputs.all()
        ),
        discount_rate=impact_map.discount_rate,
        activity_years=impact_map.period_years,
        sensitivity_points=impact_map.sensitivity_points,
        sensitivity_proxy_percent=impact_map.sensitivity_proxy_percent,
    )


def build_report(impact_map):
    """The report dict of a map whose rows are prefetched; see the module docstring."""
    analysis = analysis_for(impact_map)
    result = sroi.calculate(analysis)
    rate = impact_map.volunteer_hourly_rate
    calendar = impact_map.first_year - 1  # year t of the analysis is calendar year calendar + t
    results = {r.key: r for r in result.outcomes}
    stakeholders = list(impact_map.stakeholders.all())
    names = {str(s.pk): s.name for s in stakeholders}

    outcomes = []
    descriptions = {}
    for stakeholder in stakeholders:
        for outcome in stakeholder.outcomes.all():
            r = results[str(outcome.pk)]
            descriptions[str(outcome.pk)] = (outcome.description, stakeholder.name)
            outcomes.append(
                {
                    "id": outcome.pk,
                    "stakeholder_id": stakeholder.pk,
                    "stakeholder": stakeholder.name,
                    "description": outcome.description,
                    "indicator": outcome.indicator,
                    "indicator_source": outcome.indicator_source,
                    "quantity": _plain(outcome.quantity),
                    "duration_years": outcome.duration_years,
                    "starts": outcome.starts,
                    "first_year": calendar + r.first_year,
                    "proxy": _proxy(outcome, impact_map.first_year),
                    **{
                        name.value: {
                            "percent": _plain(getattr(outcome, name.value)),
                            "justification": getattr(outcome, f"{name.value}_justification"),
                        }
                        for name in sroi.PERCENTAGES
                    },
                    "impact_first_year": _money(r.impact),
                    "values_by_year": [
                        {
                            "year": calendar + r.first_year + k,
                            "value": _money(value),
                            "present_value": _money(present),
                        }
                        for k, (value, present) in enumerate(
                            zip(r.values, r.present_values, strict=True)
                        )
                    ],
                    "total_value": _money(r.total_value),
                    "present_value": _money(r.present_value),
                    "negative": r.negative,
                    "break_even_quantity": _money(r.break_even_quantity),
                }
            )

    sensitivity = result.sensitivity
    items = []
    for item in sensitivity.items:
        description, stakeholder_name = descriptions[item.key]
        items.append(
            {
                "outcome_id": int(item.key),
                "outcome": description,
                "stakeholder": stakeholder_name,
                "assumption": item.assumption.value,
                "base": _money(item.base),
                "low_setting": _money(item.low_setting),
                "high_setting": _money(item.high_setting),
                "present_value_low": _money(item.present_value_low),
                "present_value_high": _money(item.present_value_high),
                "ratio_low": _money(item.ratio_low),
                "ratio_high": _money(item.ratio_high),
            }
        )

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": impact_map.kind,
        "currency": impact_map.currency,
        "discount_rate": _plain(impact_map.discount_rate),
        "first_year": impact_map.first_year,
        "period_years": impact_map.period_years,
        "volunteer_hourly_rate": _money(rate),
        "scope": impact_map.scope,
        "sensitivity_settings": {
            "percentage_points": _plain(impact_map.sensitivity_points),
            "proxy_percent": _plain(impact_map.sensitivity_proxy_percent),
        },
        "published_at": None,
        "summary": {
            "total_inputs": _money(result.total_inputs),
            "total_value": _money(result.total_value),
            "total_present_value": _money(result.total_present_value),
            "net_present_value": _money(result.net_present_value),
            "sroi_ratio": _money(result.ratio),
            "net_sroi_ratio": _money(result.net_ratio),
            "payback_years": _money(result.payback_years),
            "payback_months": _money(result.payback_months),
            "total_inputs_undiscounted": _money(result.total_inputs_undiscounted),
            "inputs_by_year": [
                {"year": calendar + year, "amount": _money(amount)}
                for year, amount in (result.inputs_by_year or {}).items()
            ],
            "positive_present_value": _money(result.positive_present_value),
            "negative_present_value": _money(result.negative_present_value),
            "break_even_share": _plain(
                None if result.break_even_share is None else sroi.ratio(result.break_even_share)
            ),
            "problems": list(result.problems),
        },
        "funders": [
            {
                "funder": f.funder,
                "inputs": _money(f.inputs),
                "inputs_present_value": _money(f.inputs_present_value),
                "share": _plain(sroi.ratio(f.share)),
                "value": _money(f.value),
                "leverage": _money(f.leverage),
            }
            for f in result.funders
        ],
        "stakeholders": [
            {
                "id": s.pk,
                "name": s.name,
                "description": s.description,
                "number": s.number,
                "present_value": _money(result.by_stakeholder.get(str(s.pk), Decimal(0))),
                "ratio": _money((result.stakeholder_ratios or {}).get(str(s.pk))),
            }
            for s in stakeholders
        ],
        "inputs": [
            {
                "kind": i.kind,
                "description": i.description,
                "contributor": _contributor(i),
                "organization_id": i.organization_id,
                "year": calendar + i.year,
                "amount": _money(i.amount),
                "hours": _plain(i.hours),
                "value": _money(i.value(rate)),
            }
            for i in impact_map.inputs.all()
        ],
        "outputs": [
            {
                "stakeholder": names.get(str(o.stakeholder_id), ""),
                "description": o.description,
                "quantity": _plain(o.quantity),
                "unit": o.unit,
            }
            for o in impact_map.outputs.all()
        ],
        "outcomes": outcomes,
        "years": [
            {
                "year": calendar + y.year,
                "value": _money(y.value),
                "present_value": _money(y.present_value),
                "cumulative_present_value": _money(y.cumulative_present_value),
            }
            for y in result.years
        ],
        "sensitivity": {
            "ratio_low": _money(sensitivity.ratio_low),
            "ratio_high": _money(sensitivity.ratio_high),
            "scenario_present_value_low": _money(sensitivity.scenario_present_value_low),
            "scenario_present_value_high": _money(sensitivity.scenario_present_value_high),
            "scenario_ratio_low": _money(sensitivity.scenario_ratio_low),
            "scenario_ratio_high": _money(sensitivity.scenario_ratio_high),
            "most_sensitive": items[0] if sensitivity.most_sensitive else None,
            "items": items,
        },
    }


# --- CSV ------------------------------------------------------------------------------------

OUTCOME_COLUMNS = [
    "stakeholder",
    "outcome",
    "indicator",
    "indicator_source",
    "quantity",
    "duration_years",
    "starts",
    "first_year",
    "proxy",
    "proxy_value",
    "proxy_source",
    "deadweight_percent",
    "deadweight_justification",
    "displacement_percent",
    "displacement_justification",
    "attribution_percent",
    "attribution_justification",
    "drop_off_percent",
    "drop_off_justification",
    "impact_first_year",
    "total_value",
    "present_value",
]


def report_csv_rows(report, *, title=""):
    """The report as CSV rows in sections, each a heading row, a header row and rows, for
    ``core.opendata`` to write (formulas defused, negative numbers kept).

    Spreadsheets open it as it is; programs should prefer the JSON (same figures).
    """
    rows = []

    def section(name, header, section_rows):
        rows.append([f"# {name}"])
        rows.append(header)
        rows.extend(section_rows)
        rows.append([])

    summary = report["summary"]
    section(
        "summary",
        ["metric", "value"],
        [
            ["project", title],
            ["kind", report["kind"]],
            ["currency", report["currency"]],
            ["discount_rate_percent", report["discount_rate"]],
            ["first_year", report["first_year"]],
            ["period_years", report["period_years"]],
            ["volunteer_hourly_rate", report["volunteer_hourly_rate"]],
            ["published_at", report["published_at"]],
            ["total_inputs", summary["total_inputs"]],
            ["total_value", summary["total_value"]],
            ["total_present_value", summary["total_present_value"]],
            ["net_present_value", summary["net_present_value"]],
            ["sroi_ratio", summary["sroi_ratio"]],
            ["net_sroi_ratio", summary["net_sroi_ratio"]],
            ["payback_years", summary["payback_years"]],
            ["sensitivity_ratio_low", report["sensitivity"]["ratio_low"]],
            ["sensitivity_ratio_high", report["sensitivity"]["ratio_high"]],
            ["scenario_ratio_low", report["sensitivity"]["scenario_ratio_low"]],
            ["scenario_ratio_high", report["sensitivity"]["scenario_ratio_high"]],
            ["problems", " ".join(summary["problems"])],
        ],
    )
    section(
        "stakeholders",
        ["stakeholder", "description", "number", "present_value"],
        [
            [s["name"], s["description"], s["number"], s["present_value"]]
            for s in report["stakeholders"]
        ],
    )
    section(
        "inputs",
        ["kind", "description", "contributor", "amount", "hours", "value"],
        [
            [i["kind"], i["description"], i["contributor"], i["amount"], i["hours"], i["value"]]
            for i in report["inputs"]
        ],
    )
    section(
        "outputs",
        ["stakeholder", "output", "quantity", "unit"],
        [
            [o["stakeholder"], o["description"], o["quantity"], o["unit"]]
            for o in report["outputs"]
        ],
    )
    section(
        "outcomes",
        OUTCOME_COLUMNS,
        [
            [
                o["stakeholder"],
                o["description"],
                o["indicator"],
                o["indicator_source"],
                o["quantity"],
                o["duration_years"],
                o["starts"],
                o["first_year"],
                o["proxy"]["description"],
                o["proxy"]["value"],
                o["proxy"]["source"],
                o["deadweight"]["percent"],
                o["deadweight"]["justification"],
                o["displacement"]["percent"],
                o["displacement"]["justification"],
                o["attribution"]["percent"],
                o["attribution"]["justification"],
                o["drop_off"]["percent"],
                o["drop_off"]["justification"],
                o["impact_first_year"],
                o["total_value"],
                o["present_value"],
            ]
            for o in report["outcomes"]
        ],
    )
    section(
        "years",
        ["year", "value", "present_value", "cumulative_present_value"],
        [
            [y["year"], y["value"], y["present_value"], y["cumulative_present_value"]]
            for y in report["years"]
        ],
    )
    section(
        "sensitivity",
        [
            "stakeholder",
            "outcome",
            "assumption",
            "base",
            "low_setting",
            "high_setting",
            "present_value_low",
            "present_value_high",
            "ratio_low",
            "ratio_high",
        ],
        [
            [
                s["stakeholder"],
                s["outcome"],
                s["assumption"],
                s["base"],
                s["low_setting"],
                s["high_setting"],
                s["present_value_low"],
                s["present_value_high"],
                s["ratio_low"],
                s["ratio_high"],
            ]
            for s in report["sensitivity"]["items"]
        ],
    )
    return rows


def parse_csv_sections(text):
    """Read the CSV download back: {section: [dict rows]} (used by tests and scripts)."""
    sections, current, header = {}, None, None
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
        if not row:
            current = None
            continue
        if current is None and row[0].startswith("# "):
            current, header = row[0][2:], None
            sections[current] = []
        elif header is None:
            header = row
        else:
            sections[current].append(dict(zip(header, row, strict=False)))
    return sections


# --- The cluster as a whole -------------------------------------------------------------------


def cluster_totals(entries):
    """Totals over published reports, per currency, by SDG and by calendar year.

    ``entries``: dicts with ``report`` (a report dict) and ``sdgs`` (a list of
    ``(number, name, colour)``; a project counts fully under each of its SDGs, so SDG rows
    overlap). Inputs go to the years the report gives them (schema 2); older reports' inputs
    are spread evenly over the years of their analysis period.

    Present values are only comparable when discounted to the same base year (the year
    before a map's first year): ``base_years`` lists them and ``same_base_year`` says whether
    the total adds like with like; the page says so when it does not.
    """
    zero = Decimal(0)
    currencies = {}
    for entry in entries:
        report = entry["report"]
        summary = report["summary"]
        total = currencies.setdefault(
            report["currency"],
            {
                "currency": report["currency"],
                "projects": 0,
                "present_value": zero,
                "value": zero,
                "inputs": zero,
                "sdgs": {},
                "years": {},
                "base_years": set(),
            },
        )
        total["base_years"].add(report["first_year"] - 1)
        present_value = Decimal(summary["total_present_value"])
        inputs = Decimal(summary["total_inputs"])
        total["projects"] += 1
        total["present_value"] += present_value
        total["value"] += Decimal(summary["total_value"])
        total["inputs"] += inputs
        for sdg in entry["sdgs"] or [(None, None, None)]:
            row = total["sdgs"].setdefault(
                sdg[0],
                {
                    "number": sdg[0],
                    "name": sdg[1],
                    "colour": sdg[2],
                    "projects": 0,
                    "present_value": zero,
                    "inputs": zero,
                },
            )
            row["projects"] += 1
            row["present_value"] += present_value
            row["inputs"] += inputs

        def year_row(year, total=total):
            return total["years"].setdefault(
                year, {"year": year, "value": zero, "present_value": zero, "inputs": zero}
            )

        for year in report["years"]:
            row = year_row(year["year"])
            row["value"] += Decimal(year["value"])
            row["present_value"] += Decimal(year["present_value"])
        by_year = summary.get("inputs_by_year")
        if by_year:
            for row in by_year:
                year_row(row["year"])["inputs"] += Decimal(row["amount"])
        else:
            share = inputs / report["period_years"]
            for offset in range(report["period_years"]):
                year_row(report["first_year"] + offset)["inputs"] += share

    def rounded(row):
        return {k: _money(v) if isinstance(v, Decimal) else v for k, v in row.items()}

    result = []
    for currency in sorted(currencies):
        total = currencies[currency]
        sdgs = sorted(
            total.pop("sdgs").values(), key=lambda r: (r["number"] is None, r["number"] or 0)
        )
        by_year = total.pop("years")
        years = [by_year[y] for y in sorted(by_year)]
        base_years = sorted(total.pop("base_years"))
        result.append(
            {
                **rounded(total),
                "base_years": base_years,
                "same_base_year": len(base_years) == 1,
                "sdgs": [rounded(r) for r in sdgs],
                "years": [rounded(r) for r in years],
            }
        )
    return result
