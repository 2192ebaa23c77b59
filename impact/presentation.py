"""What the templates need around a report dict: translated labels, problems, chart geometry.

Formatting only; the figures come from the report dict (``impact.report``) unchanged.
"""

from decimal import Decimal

from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from . import sroi
from .charts import hbar, tornado, vbar
from .models import ImpactMap, Input, Outcome

ASSUMPTION_LABELS = {
    sroi.Assumption.DEADWEIGHT.value: gettext_lazy("Deadweight"),
    sroi.Assumption.DISPLACEMENT.value: gettext_lazy("Displacement"),
    sroi.Assumption.ATTRIBUTION.value: gettext_lazy("Attribution"),
    sroi.Assumption.DROP_OFF.value: gettext_lazy("Drop-off"),
    sroi.Assumption.PROXY.value: gettext_lazy("Financial proxy"),
}
KIND_LABELS = dict(ImpactMap.Kind.choices)
INPUT_KIND_LABELS = dict(Input.Kind.choices)
STARTS_LABELS = dict(Outcome.Starts.choices)
PROBLEM_LABELS = {
    sroi.NO_INPUTS: gettext_lazy(
        "No inputs are recorded, so there is no ratio: add what was invested (money, in-kind "
        "resources, volunteer hours)."
    ),
    sroi.NO_OUTCOMES: gettext_lazy("No outcomes are recorded yet."),
}
TORNADO_ITEMS = 10


def format_money(value):
    if value is None or value == "":
        return ""
    return number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


def format_number(value):
    """A stored decimal without its trailing zeros: "20.00" → "20", "3.50" → "3.5"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    places = max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, places, use_l10n=True, force_grouping=True)


def report_summary(report):
    summary = report["summary"]
    return {
        "kind": report["kind"],
        "kind_label": KIND_LABELS.get(report["kind"], report["kind"]),
        "currency": report["currency"],
        "problems": [PROBLEM_LABELS[p] for p in summary["problems"]],
        **{k: v for k, v in summary.items() if k != "problems"},
        "ratio_low": report["sensitivity"]["ratio_low"],
        "ratio_high": report["sensitivity"]["ratio_high"],
    }


def report_context(report):
    """Everything the report templates show of one report: labels, problems, charts."""
    ratio_based = report["summary"]["sroi_ratio"] is not None
    sensitivity = report["sensitivity"]
    items = []
    for item in sensitivity["items"][:TORNADO_ITEMS]:
        if ratio_based:
            low, high = item["ratio_low"], item["ratio_high"]
            low_text, high_text = format_money(low), format_money(high)
        else:
            low, high = item["present_value_low"], item["present_value_high"]
            low_text, high_text = format_money(low), format_money(high)
        label = f"{ASSUMPTION_LABELS[item['assumption']]}: {item['outcome']}"
        items.append((label, Decimal(low), Decimal(high), low_text, high_text))
    base = (
        report["summary"]["sroi_ratio"]
        if ratio_based
        else report["summary"]["total_present_value"]
    )
    extremes = [Decimal(base)] + [v for item in items for v in item[1:3]]
    charts = {
        "stakeholders": hbar(
            (s["name"], Decimal(s["present_value"]), format_money(s["present_value"]))
            for s in report["stakeholders"]
        ),
        "years": vbar(
            (y["year"], Decimal(y["present_value"]), format_money(y["present_value"]))
            for y in report["years"]
        ),
        "tornado": tornado(items, Decimal(base)) if items else None,
        "tornado_ratio_based": ratio_based,
        "tornado_base": format_money(base),
        "tornado_low": format_money(min(extremes)),
        "tornado_high": format_money(max(extremes)),
    }
    return {
        "report": report,
        "summary": report_summary(report),
        "charts": charts,
        "kind_label": KIND_LABELS.get(report["kind"], report["kind"]),
        # Shown with the reader's date format, not as the stored ISO text.
        "published_at": parse_datetime(report.get("published_at") or ""),
        "most_sensitive_label": (
            ASSUMPTION_LABELS[sensitivity["most_sensitive"]["assumption"]]
            if sensitivity["most_sensitive"]
            else None
        ),
    }
