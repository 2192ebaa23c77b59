"""Open data: the one writer every public export uses (directories, impact reports).

CSV is written for spreadsheets as much as for programs, so it starts with a byte-order mark
(Excel otherwise reads UTF-8 as the local code page) and every cell is defused: a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
spreadsheet programs (CSV injection, OWASP), so it gets a leading apostrophe. List columns
(partners, needs, sectors…) are joined with "; " after each item is defused, and the joined
cell is defused again. Plain numbers, negative ones included, stay numbers. JSON is UTF-8,
dates in ISO 8601. Both may be read by any site (``Access-Control-Allow-Origin: *``).

An export view asks :func:`requested_format` which format the URL wants; a format it does not
know gets :func:`unknown_format`, a 400 that says which formats there are.
"""

import csv
import datetime
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

FORMATS = ("csv", "json")
BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def defuse(text):
    """``text`` as a spreadsheet will show it, never run it."""
    if text[:1] in FORMULA_PREFIXES and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value):
    """One CSV cell: None is empty, dates ISO 8601, lists joined, every text defused."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return defuse(LIST_SEPARATOR.join(str(csv_cell(item)) for item in value))
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return defuse(str(value))


def csv_rows(rows):
    """``rows`` (iterables of values), each cell through :func:`csv_cell`."""
    for row in rows:
        yield [csv_cell(value) for value in row]


def write_csv(out, rows):
    """Write defused ``rows`` to ``out`` (a file, or an HttpResponse) with a CSV writer."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(csv_rows(rows))


def csv_response(rows, *, filename):
    """A CSV download with a byte-order mark: ``rows`` is the header row, then the records."""
    response = HttpResponse(BOM, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, rows)
    return _open(response)


def records_csv_response(fields, records, *, filename):
    """Records (dicts) as CSV, one column per name in ``fields``, in that order."""
    rows = [list(fields)]
    rows.extend([record[name] for name in fields] for record in records)
    return csv_response(rows, filename=filename)


def json_response(document, *, filename=None, attachment=False, indent=None, status=200):
    """``document`` as UTF-8 JSON (dates ISO 8601), with a file name when one is given."""
    response = JsonResponse(
        document,
        status=status,
        encoder=DjangoJSONEncoder,
        safe=False,
        json_dumps_params={"ensure_ascii": False, "indent": indent},
    )
    if filename:
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _open(response)


def requested_format(request, param="format"):
    """The export format the URL asks for ("" when it asks for none: the HTML page)."""
    return (request.GET.get(param) or "").strip()


def unknown_format(export_format, formats=FORMATS):
    """400: the format is not one there is, and which ones there are."""
    message = _("Unknown format “%(format)s”: use one of %(formats)s.") % {
        "format": export_format[:20],
        "formats": ", ".join(formats),
    }
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def error_response(messages):
    """400 in plain text: what was wrong with the request, one message a line."""
    return HttpResponse(
        "\n".join(str(message) for message in messages),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _open(response):
    # Open data: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response
