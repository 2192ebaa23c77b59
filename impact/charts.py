"""Geometry of the report's charts, drawn as inline SVG by the templates (no JavaScript).

Plain numbers in, plain dicts out: the templates only place what is computed here. Every chart
also exists as a table on the same page, so the SVG is a picture of data that is readable
without it.
"""

from decimal import Decimal


def _short(label, limit):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _fraction(value, top):
    value, top = Decimal(value), Decimal(top)
    if top <= 0 or value <= 0:
        return 0.0
    return float(value / top)


def hbar(rows, *, width=640, label_width=210, value_width=120, bar_height=22, gap=10):
    """Horizontal bars. ``rows``: (label, value, text shown at the bar's end)."""
    rows = list(rows)
    top = max((Decimal(v) for _, v, _ in rows), default=Decimal(0))
    area = width - label_width - value_width
    bars = []
    for index, (label, value, text) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        length = round(_fraction(value, top) * area, 2)
        bars.append(
            {
                "label": _short(label, 28),
                "full_label": str(label),
                "text": text,
                "x": label_width,
                "y": y,
                "width": length,
                "height": bar_height,
                "text_x": round(label_width + length + 6, 2),
                "text_y": round(y + bar_height * 0.72, 2),
                "label_x": label_width - 8,
            }
        )
    return {"width": width, "height": gap + len(rows) * (bar_height + gap), "bars": bars}


def vbar(columns, *, width=640, height=240, top=24, bottom=36, side=12):
    """Vertical bars, one per column. ``columns``: (label, value, text)."""
    columns = list(columns)
    peak = max((Decimal(v) for _, v, _ in columns), default=Decimal(0))
    plot = height - top - bottom
    slot = (width - 2 * side) / max(len(columns), 1)
    show_text = len(columns) <= 10
    bars = []
    for index, (label, value, text) in enumerate(columns):
        size = round(_fraction(value, peak) * plot, 2)
        x = side + index * slot
        bars.append(
            {
                "label": str(label),
                "text": text,
                "show_text": show_text,
                "x": round(x + slot * 0.15, 2),
                "width": round(slot * 0.7, 2),
                "y": round(top + plot - size, 2),
                "height": size,
                "center": round(x + slot / 2, 2),
                "text_y": round(top + plot - size - 6, 2),
                "label_y": height - bottom + 18,
            }
        )
    return {"width": width, "height": height, "baseline": top + plot, "bars": bars}


def tornado(items, base, *, width=640, label_width=250, bar_height=20, gap=8, margin=16):
    """Sensitivity bars around the base value. ``items``: (label, low, high, low_text, high_text).

    Each bar runs from the value with the assumption at its low setting to the value at its
    high setting; the line is the base case. Largest swing first, as given.
    """
    items = list(items)
    values = [Decimal(base)] + [Decimal(v) for item in items for v in item[1:3]]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    area = width - label_width - 2 * margin

    def x(value):
        return round(label_width + margin + float((Decimal(value) - low) / span) * area, 2)

    bars = []
    for index, (label, down, up, down_text, up_text) in enumerate(items):
        y = gap + index * (bar_height + gap)
        bars.append(
            {
                "label": _short(label, 34),
                "full_label": str(label),
                "low_text": down_text,
                "high_text": up_text,
                "y": y,
                "height": bar_height,
                "low_x": x(down),
                "low_width": round(x(base) - x(down), 2),
                "high_x": x(base),
                "high_width": round(x(up) - x(base), 2),
                "label_y": round(y + bar_height * 0.72, 2),
            }
        )
    height = gap + len(items) * (bar_height + gap)
    return {
        "width": width,
        "height": height + 24,
        "axis_y": height + 16,
        "label_x": label_width - 8,
        "base_x": x(base),
        "low_x": x(low),
        "high_x": x(high),
        "plot_height": height,
        "bars": bars,
    }
