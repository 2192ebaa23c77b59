"""The value map as a spreadsheet (XLSX), in and out.

Practitioners keep their impact maps in the SROI Network's spreadsheet template; nobody types
a 40-row map twice. ``value_map_xlsx()`` writes a map with the template's columns (stage 2:
stakeholders and inputs; stages 3 and 4: outcomes, indicators, proxies, deadweight,
displacement, attribution and drop-off), and ``read_value_map()`` reads such a file back. A file
it writes is a file it reads (round trip).

Reading never writes: it returns what an import would create and every row it cannot read,
with the reason, so the coordinator sees a dry run first. ``impact.services.value_map_import``
then creates all of it or nothing.
"""

import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .models import Input, Outcome

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
OUTCOMES_SHEET = "Value map"
INPUTS_SHEET = "Inputs"

# (key, header in the file, required). The headers follow the SROI Network's template; the
# last columns (negative, justifications) are this portal's, optional on import.
OUTCOME_COLUMNS = (
    ("stakeholder", "Stakeholders", True),
    ("stakeholder_number", "Number of stakeholders", False),
    ("description", "The outcomes (what changes)", True),
    ("indicator", "Indicator", True),
    ("indicator_source", "Source", False),
    ("quantity", "Quantity", True),
    ("duration_years", "Duration (years)", True),
    ("starts", "Outcomes start (during / after)", False),
    ("proxy_description", "Financial proxy", False),
    ("proxy_value", "Value of the proxy", True),
    ("proxy_source", "Source of the proxy", True),
    ("deadweight", "Deadweight %", False),
    ("displacement", "Displacement %", False),
    ("attribution", "Attribution %", False),
    ("drop_off", "Drop off %", False),
    ("negative", "Negative outcome (yes / no)", False),
    ("deadweight_justification", "Why this deadweight", False),
    ("displacement_justification", "Why this displacement", False),
    ("attribution_justification", "Why this attribution", False),
    ("drop_off_justification", "Why this drop off", False),
    ("proxy_year", "Year of the proxy's prices", False),
)
INPUT_COLUMNS = (
    ("description", "Inputs (description)", True),
    ("kind", "Kind (money / in_kind / volunteer_hours)", False),
    ("contributor_name", "Contributed by", True),
    ("year", "Year of the activity", False),
    ("amount", "Value", False),
    ("hours", "Hours", False),
)
NUMBERS = {"stakeholder_number", "quantity", "proxy_value", "amount", "hours"}
WHOLE_NUMBERS = {"stakeholder_number", "duration_years", "year", "proxy_year"}
PERCENTAGES = {"deadweight", "displacement", "attribution", "drop_off"}
# What a cell may say, in English, Spanish or Catalan (compared lower-cased, accents kept and
# dropped): the words this file writes, the choices' labels as the portal shows them in each
# language, and the short forms people type.
YES = {"yes", "y", "sí", "si", "s", "true", "1", "x", "verdadero", "cert"}
NO = {"no", "n", "false", "0", "", "falso", "fals"}
STARTS = {
    "during": "during",
    "durante": "during",
    "durant": "during",
    "after": "after",
    "después": "after",
    "despues": "after",
    "després": "after",
    "despres": "after",
}
KINDS = {
    "money": "money",
    "dinero": "money",
    "diners": "money",
    "in_kind": "in_kind",
    "in kind": "in_kind",
    "en especie": "in_kind",
    "en espècie": "in_kind",
    "volunteer_hours": "volunteer_hours",
    "volunteer hours": "volunteer_hours",
    "horas de voluntariado": "volunteer_hours",
    "hores de voluntariat": "volunteer_hours",
}


@functools.cache
def _choice_words(field):
    """Each label of ``field``'s choices (``"starts"`` or ``"kind"``) in every language of the
    interface, lower-cased, to its value: built once per process, not once per cell."""
    choices = {"starts": Outcome.Starts.choices, "kind": Input.Kind.choices}[field]
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                words[str(label).lower()] = value
    return words


SHEET_NAMES = {
    OUTCOMES_SHEET: gettext_lazy("Value map"),
    INPUTS_SHEET: gettext_lazy("Inputs"),
}


@dataclass
class RowProblem:
    sheet: str
    row: int  # as the spreadsheet numbers it (the header is row 1)
    message: str


@dataclass
class ParsedValueMap:
    outcomes: list = field(default_factory=list)  # dicts of cleaned values
    inputs: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # RowProblem
    file_problem: str = ""  # the whole file is refused

    @property
    def ok(self):
        return not self.problems and not self.file_problem

    @property
    def stakeholders(self):
        """The stakeholders named, in first-seen order, with their number when given."""
        seen = {}
        for row in self.outcomes:
            seen.setdefault(row["stakeholder"], row.get("stakeholder_number"))
        return seen

    def as_data(self):
        """JSON-ready, to keep between the dry run and the confirmation."""

        def plain(row):
            return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()}

        return {
            "outcomes": [plain(r) for r in self.outcomes],
            "inputs": [plain(r) for r in self.inputs],
        }


# --- Writing ---------------------------------------------------------------------------------


def _number(value):
    return None if value is None else float(value) if isinstance(value, Decimal) else value


def value_map_xlsx(impact_map):
    """The map (rows prefetched) as XLSX bytes that ``read_value_map`` accepts."""
    book = Workbook()
    outcomes = book.active
    outcomes.title = OUTCOMES_SHEET
    outcomes.append([header for _key, header, _required in OUTCOME_COLUMNS])
    for stakeholder in impact_map.stakeholders.all():
        for outcome in stakeholder.outcomes.all():
            values = {
                "stakeholder": stakeholder.name,
                "stakeholder_number": stakeholder.number,
                "negative": "yes" if outcome.negative else "no",
                **{
                    key: getattr(outcome, key)
                    for key, _header, _required in OUTCOME_COLUMNS
                    if hasattr(outcome, key) and key not in ("stakeholder", "negative")
                },
            }
            outcomes.append([_text_or_number(values.get(key)) for key, *_ in OUTCOME_COLUMNS])
    inputs = book.create_sheet(INPUTS_SHEET)
    inputs.append([header for _key, header, _required in INPUT_COLUMNS])
    for row in impact_map.inputs.all():
        values = {
            "description": row.description,
            "kind": row.kind,
            "contributor_name": row.organization.title
            if row.organization_id
            else row.contributor_name,
            "year": row.year,
            "amount": row.amount,
            "hours": row.hours,
        }
        inputs.append([_text_or_number(values.get(key)) for key, *_ in INPUT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_or_number(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # Never let a spreadsheet run text as a formula (the reader strips the guard).
        return "'" + value
    return _number(value)


# --- Reading ---------------------------------------------------------------------------------


class _Refused(Exception):
    pass


def _cell_text(cell):
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        return value[1:] if value.startswith("'") else value
    return value


def _decimal(value, key):
    if isinstance(value, bool):
        raise _Refused(_("%(column)s must be a number.") % {"column": key})
    if isinstance(value, int | float):
        value = str(value)
    text = str(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # 12,5 as written in Spanish and Catalan
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Refused(
            _("%(column)s must be a number, not “%(value)s”.") % {"column": key, "value": value}
        ) from None
    if not number.is_finite():
        raise _Refused(_("%(column)s must be a number.") % {"column": key})
    return number


def _clean(key, value, header, required):
    if value in ("", None):
        if required:
            raise _Refused(_("“%(column)s” is empty.") % {"column": header})
        return None
    if key in NUMBERS or key in PERCENTAGES or key in WHOLE_NUMBERS:
        number = _decimal(value, header)
        if number < 0:
            raise _Refused(_("“%(column)s” must be 0 or more.") % {"column": header})
        if key in PERCENTAGES and number > 100:
            raise _Refused(_("“%(column)s” must be between 0 and 100.") % {"column": header})
        if key in WHOLE_NUMBERS:
            if number != number.to_integral_value():
                raise _Refused(_("“%(column)s” must be a whole number.") % {"column": header})
            if key == "proxy_year" and not 1990 <= number <= 2100:
                raise _Refused(
                    _("“%(column)s” must be a year between 1990 and 2100.") % {"column": header}
                )
            return int(number)
        if abs(number) >= Decimal("1e12"):
            raise _Refused(_("“%(column)s” is too large.") % {"column": header})
        return number.quantize(Decimal("0.01"))
    text = str(value)
    if key == "negative":
        lowered = text.lower()
        if lowered in YES:
            return True
        if lowered in NO:
            return False
        raise _Refused(_("“%(column)s” must be yes or no.") % {"column": header})
    if key == "starts":
        lowered = " ".join(text.lower().split())
        starts = STARTS.get(lowered) or _choice_words("starts").get(lowered)
        if starts is None:
            raise _Refused(_("“%(column)s” must be during or after.") % {"column": header})
        return starts
    if key == "kind":
        lowered = " ".join(text.lower().split())
        kind = KINDS.get(lowered) or _choice_words("kind").get(lowered)
        if kind is None:
            raise _Refused(
                _("“%(column)s” must be money, in_kind or volunteer_hours.") % {"column": header}
            )
        return kind
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise _Refused(_("“%(column)s” contains control characters.") % {"column": header})
    limit = 2000 if key.endswith("_justification") else 300
    if len(text) > limit:
        raise _Refused(
            _("“%(column)s” is longer than %(limit)s characters.")
            % {"column": header, "limit": limit}
        )
    return text


def _read_sheet(sheet, columns, parsed, name):
    rows = sheet.iter_rows()
    try:
        header_row = next(rows)
    except StopIteration:
        raise _Refused(_("The sheet “%(sheet)s” is empty.") % {"sheet": name}) from None
    headers = [str(_cell_text(c)).strip().lower() for c in header_row]
    positions = {}
    missing = []
    for key, header, required in columns:
        if header.lower() in headers:
            positions[key] = headers.index(header.lower())
        elif required:
            missing.append(header)
    if missing:
        raise _Refused(
            _("The sheet “%(sheet)s” lacks the columns: %(columns)s.")
            % {"sheet": name, "columns": ", ".join(f"“{m}”" for m in missing)}
        )
    found = []
    for number, row in enumerate(rows, start=2):
        if all(c.value in (None, "") for c in row):
            continue
        if len(found) + len(parsed.problems) >= MAX_ROWS:
            raise _Refused(
                _("The file has more than %(max)s rows in “%(sheet)s”: split it.")
                % {"max": MAX_ROWS, "sheet": name}
            )
        cleaned, problems = {}, []
        for key, header, required in columns:
            cell = row[positions[key]] if key in positions and positions[key] < len(row) else None
            if cell is not None and cell.data_type == "f":
                problems.append(
                    _("“%(column)s” holds a formula: paste its value instead.")
                    % {"column": header}
                )
                continue
            try:
                cleaned[key] = _clean(
                    key, _cell_text(cell) if cell is not None else "", header, required
                )
            except _Refused as refusal:
                problems.append(str(refusal))
        for message in problems:
            parsed.problems.append(RowProblem(name, number, message))
        if not problems:
            cleaned["row"] = number
            found.append(cleaned)
    return found


def _check_inputs(rows, parsed, name, period_years):
    for row in rows:
        row["kind"] = row.get("kind") or "money"
        row["year"] = row.get("year") or 1
        if row["kind"] == "volunteer_hours" and row.get("hours") is None:
            message = _("Volunteer hours need a number of hours.")
        elif row["kind"] != "volunteer_hours" and row.get("amount") is None:
            message = _("Money and in-kind inputs need a value.")
        elif not 1 <= row["year"] <= period_years:
            message = _("The year must be between 1 and %(years)s.") % {"years": period_years}
        else:
            continue
        parsed.problems.append(RowProblem(name, row["row"], message))


def read_value_map(upload, *, period_years=1):
    """Read an uploaded XLSX value map; see the module. Never raises for a bad file."""
    parsed = ParsedValueMap()
    if upload.size > MAX_BYTES:
        parsed.file_problem = _("The file is larger than 2 MB.")
        return parsed
    try:
        upload.seek(0)
        book = load_workbook(upload, read_only=True, data_only=False)
    except (InvalidFileException, Exception):  # a broken zip raises anything from zipfile
        parsed.file_problem = _(
            "This is not a spreadsheet the portal can read: upload an .xlsx file."
        )
        return parsed
    try:
        if OUTCOMES_SHEET not in book.sheetnames:
            raise _Refused(
                _("The file has no sheet named “%(sheet)s”.") % {"sheet": OUTCOMES_SHEET}
            )
        parsed.outcomes = _read_sheet(
            book[OUTCOMES_SHEET], OUTCOME_COLUMNS, parsed, OUTCOMES_SHEET
        )
        if INPUTS_SHEET in book.sheetnames:
            parsed.inputs = _read_sheet(book[INPUTS_SHEET], INPUT_COLUMNS, parsed, INPUTS_SHEET)
            _check_inputs(parsed.inputs, parsed, INPUTS_SHEET, period_years)
        if not parsed.outcomes and not parsed.inputs and not parsed.problems:
            raise _Refused(_("The file has no rows to import."))
    except _Refused as refusal:
        parsed.file_problem = str(refusal)
        parsed.outcomes, parsed.inputs = [], []
    finally:
        book.close()
    return parsed
