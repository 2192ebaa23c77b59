"""No two holding bookings of the same unit overlap: a PostgreSQL exclusion constraint.

It needs btree_gist (equality on integers inside a GiST index). SQLite has neither, so both
operations do nothing there and ``resources.bookings`` relies on its row lock and check alone;
the constraint is kept out of the model state so that the embedded SQLite default still migrates
and ``makemigrations`` stays quiet on either database.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q

NAME = "resources_booking_no_overlap"
HOLDING = ("pending", "approved", "checked_out")


class _TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _constraint():
    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("listing", RangeOperators.EQUAL),
            ("unit", RangeOperators.EQUAL),
            (_TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=HOLDING),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("resources", "Booking"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("resources", "Booking"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [
        # Django's extension operations already do nothing on other databases.
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
