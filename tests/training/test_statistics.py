"""The funder export and the public statistics: figures only, and no group under 5 shown."""

import csv
import io

from django.test import Client
from django.urls import reverse
from django.utils import translation

from training import services, statistics

from .builders import learner


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def test_funder_export_permitted(world):
    response = _client(world.coordinator).get(
        reverse("portal:training_export", args=[world.programme.pk])
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["cohort"], r["places"], r["active"], r["sessions"]) for r in rows] == [
        ("Spring", "3", "2", "4")
    ]
    assert world.minor.alias not in response.content.decode()
    assert world.minor.code not in response.content.decode()


def test_funder_export_denied(world):
    url = reverse("portal:training_export", args=[world.programme.pk])
    assert _client(world.trainer).get(url).status_code == 403
    assert _client(world.outsider).get(url).status_code == 404


def test_the_public_summary_answers_at_training_and_each_language_prefix(world):
    for path in ("/training/", "/ca/training/", "/es/training/"):
        page = _client().get(path)
        assert page.status_code == 200, path
        assert "Code club" in page.content.decode()
        assert world.minor.code not in page.content.decode()
    with translation.override("en"):
        assert reverse("training:index") == "/training/"


def test_public_statistics_suppress_groups_under_five(world):
    page = _client().get(reverse("training:statistics"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Code club" in text and "fewer than 5" in text
    assert world.minor.code not in text and world.minor.alias not in text
    [row] = statistics.public_statistics()["rows"]
    assert row["learners"] is None and row["completion_rate"] is None
    for n in range(4):
        learner(world.programme, world.coordinator, alias=f"Extra{n}")
    [row] = statistics.public_statistics()["rows"]
    assert row["learners"] == 6
    assert all(c["learners"] in (None, 6) for c in statistics.public_statistics()["categories"])


def test_public_statistics_show_a_rate_only_over_groups_of_five(world):
    cohort = services.cohort_create(
        programme=world.programme,
        user=world.coordinator,
        name="Big",
        starts_on=world.cohort.starts_on,
        ends_on=world.cohort.ends_on,
        capacity=20,
        language="es",
    )
    for n in range(10):
        enrolment = learner(
            world.programme, world.coordinator, cohort=cohort, alias=f"D{n}"
        ).enrolments.get()
        services.enrolment_set_status(
            enrolment=enrolment, user=world.coordinator, status="dropped", drop_reason="Moved"
        )
    [row] = statistics.public_statistics()["rows"]
    assert (row["dropped"], row["completed"], row["completion_rate"]) == (10, 0, 0)


def test_public_statistics_query_count_is_constant(world, django_assert_max_num_queries):
    for n in range(3):
        learner(world.programme, world.coordinator, alias=f"Q{n}")
    with django_assert_max_num_queries(8):
        _client().get(reverse("training:statistics"))
    for n in range(30):
        learner(world.programme, world.coordinator, alias=f"R{n}")
    with django_assert_max_num_queries(8):
        _client().get(reverse("training:statistics"))
