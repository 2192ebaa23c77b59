"""The open-data writer every export uses (core/opendata.py)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.test import RequestFactory

from core import opendata


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        ("-12.50", "-12.50"),  # a number stays a number
        (-3, -3),
        (Decimal("-1.25"), "-1.25"),
        (None, ""),
        (datetime.date(2026, 1, 2), "2026-01-02"),
        (["=a", "b"], "'=a; b"),
        (["a", "=b", "\tc", "\rd"], "a; '=b; '\tc; '\rd"),
        # The joined cell is not a number any more: it is defused as a whole too.
        (["-1", "=b"], "'-1; '=b"),
        ([4, 9], "4; 9"),
        ([], ""),
    ],
)
def test_every_cell_is_defused(value, cell):
    assert opendata.csv_cell(value) == cell


def test_csv_has_a_bom_and_defused_rows():
    response = opendata.records_csv_response(
        ["name", "tags"], [{"name": "=1", "tags": ["x", "@y"]}], filename="x.csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffname,tags\r\n")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["name", "tags"], ["'=1", "x; '@y"]]


def test_json_is_utf8_with_iso_dates():
    response = opendata.json_response(
        {"name": "Fundació", "at": datetime.date(2026, 1, 2)}, filename="x.json"
    )
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="x.json"'
    assert "Fundació".encode() in response.content
    assert json.loads(response.content) == {"name": "Fundació", "at": "2026-01-02"}


def test_unknown_format_is_a_400_that_names_the_formats():
    response = opendata.unknown_format("xlsx")
    assert response.status_code == 400
    assert response.content.decode() == "Unknown format “xlsx”: use one of csv, json."


def test_requested_format_is_empty_without_one():
    factory = RequestFactory()
    assert opendata.requested_format(factory.get("/projects/")) == ""
    assert opendata.requested_format(factory.get("/projects/?format=csv")) == "csv"
