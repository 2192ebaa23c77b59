"""A volunteer's availability, as they wrote it, against the times of a role's shifts.

The profile keeps availability as free text ("weekday evenings", "dissabtes al matí",
"martes y jueves por la tarde"). ``slots`` reads it, in English, Spanish or Catalan, into the
times of the week it names: (weekday 0–6, part of the day). Each comma-, semicolon- or
line-separated piece names days and parts of the day (by name, or by a range of hours such as
"17-19"); a piece with days only means those whole days, with parts only means those parts
every day. Text that names no day nor part of the day says nothing (None), so it neither helps
nor hurts a match.

A shift fits when it overlaps a part of the day on its weekday that the volunteer named (in the
portal's time zone). The parts overlap as people use the words: morning 6:00–14:00 ("mañana",
"matí" run until lunch), afternoon 12:00–20:00 ("tarde", "tarda" run until dinner), evening from
19:00.
"""

import re
import unicodedata

from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
PARTS = (MORNING, AFTERNOON, EVENING)
PART_HOURS = {MORNING: (6, 14), AFTERNOON: (12, 20), EVENING: (19, 24)}
# How a fitting time is told, with the weekday's name.
PART_LABELS = {
    MORNING: _("%(day)s mornings"),
    AFTERNOON: _("%(day)s afternoons"),
    EVENING: _("%(day)s evenings"),
}

WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))

# Words (accents removed, lower case) and what they name: a set of weekdays or a part of the day.
_DAY_WORDS = {
    WEEKDAYS: (
        "weekday",
        "weekdays",
        "week days",
        "workday",
        "workdays",
        "entre semana",
        "entresemana",
        "laborable",
        "laborables",
        "dias laborables",
        "feiners",
        "dies feiners",
        "entre setmana",
    ),
    WEEKEND: (
        "weekend",
        "weekends",
        "fin de semana",
        "fines de semana",
        "cap de setmana",
        "caps de setmana",
    ),
    EVERY_DAY: ("every day", "everyday", "daily", "todos los dias", "cada dia", "tots els dies"),
}
_WEEKDAY_WORDS = (
    ("monday", "mondays", "mon", "lunes", "dilluns"),
    ("tuesday", "tuesdays", "tue", "tues", "martes", "dimarts"),
    ("wednesday", "wednesdays", "wed", "miercoles", "dimecres"),
    ("thursday", "thursdays", "thu", "thurs", "jueves", "dijous"),
    ("friday", "fridays", "fri", "viernes", "divendres"),
    ("saturday", "saturdays", "sat", "sabado", "sabados", "dissabte", "dissabtes"),
    ("sunday", "sundays", "sun", "domingo", "domingos", "diumenge", "diumenges"),
)
_PART_WORDS = {
    MORNING: ("morning", "mornings", "manana", "mananas", "mati", "matins"),
    AFTERNOON: ("afternoon", "afternoons", "tarde", "tardes", "tarda"),
    EVENING: (
        "evening",
        "evenings",
        "night",
        "nights",
        "noche",
        "noches",
        "vespre",
        "vespres",
        "nit",
        "nits",
    ),
}
# A range of hours, "17-19", "17:00–19:30", "de 17 a 19" (the 24-hour clock).
_HOURS = re.compile(r"(?<!\d)(\d{1,2})(?::\d\d)?\s*(?:-|–|to|a)\s*(\d{1,2})(?::\d\d)?(?!\d)")
_ANY_WORDS = ("any time", "anytime", "flexible", "cualquier", "qualsevol", "whenever")


def _plain(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in text if not unicodedata.combining(char))


def _has(piece, word):
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", piece) is not None


def slots(text):
    """The set of ``(weekday, part)`` the text names, or None when it names none."""
    found = set()
    for piece in re.split(r"[,;\n/]", _plain(text or "")):
        if any(_has(piece, word) for word in _ANY_WORDS):
            found |= {(day, part) for day in EVERY_DAY for part in PARTS}
            continue
        days = set()
        for named, words in _DAY_WORDS.items():
            if any(_has(piece, word) for word in words):
                days |= named
        for day, words in enumerate(_WEEKDAY_WORDS):
            if any(_has(piece, word) for word in words):
                days.add(day)
        parts = {part for part, words in _PART_WORDS.items() if any(_has(piece, w) for w in words)}
        for first, last in _HOURS.findall(piece):
            first, last = int(first), int(last)
            if 0 <= first < last <= 24:
                parts |= {
                    part
                    for part, (start, end) in PART_HOURS.items()
                    if first < end and last > start
                }
        if not days and not parts:
            continue
        found |= {(day, part) for day in (days or EVERY_DAY) for part in (parts or PARTS)}
    return found or None


def shift_slots(starts_at, ends_at):
    """The ``(weekday, part)`` a shift overlaps, in the portal's time zone (a shift past
    midnight counts on its starting day)."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    start_hour = start.hour + start.minute / 60
    end_hour = 24 if end.date() != start.date() else end.hour + end.minute / 60
    return {
        (start.weekday(), part)
        for part, (first, last) in PART_HOURS.items()
        if start_hour < last and end_hour > first
    }


def fit_labels(available, shifts):
    """How the shifts that fit ``available`` are told, once each, in the week's order:
    ``["Tuesday afternoons", "Saturday mornings"]``."""
    if not available:
        return []
    fitting = set()
    for shift in shifts:
        fitting |= shift_slots(shift.starts_at, shift.ends_at) & available
    return [
        str(PART_LABELS[part]) % {"day": WEEKDAY_NAMES[day]}
        for day, part in sorted(fitting, key=lambda slot: (slot[0], PARTS.index(slot[1])))
    ]
