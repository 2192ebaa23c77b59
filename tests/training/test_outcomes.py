"""Digital-skill levels before and after, follow-ups after the cohort, and the funder figures
they feed."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from training import services
from training.models import FollowUp, SkillLevel


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_trainer_records_skill_levels_before_and_after(world):
    enrolment = world.enrolments[0]
    services.skill_level_record(enrolment=enrolment, user=world.trainer, area="content", before=2)
    services.skill_level_record(
        enrolment=enrolment, user=world.trainer, area="content", before=2, after=4
    )
    assert SkillLevel.objects.get().after == 4
    with pytest.raises(ValidationError):
        services.skill_level_record(
            enrolment=enrolment, user=world.trainer, area="safety", before=9
        )
    with pytest.raises(PermissionDenied):
        services.skill_level_record(
            enrolment=enrolment, user=world.mentor, area="safety", before=1
        )


def test_skill_level_view_permitted_and_denied(world):
    url = reverse("portal:training_skill_level", args=[world.enrolments[0].pk])
    data = {"area": "safety", "before": 1, "after": 3}
    assert _client(world.mentor).post(url, data).status_code == 403
    assert _client(world.outsider).post(url, data).status_code == 404
    assert not SkillLevel.objects.exists()
    assert _client(world.trainer).post(url, data).status_code == 302
    assert SkillLevel.objects.get().after == 3


def test_follow_up_view_permitted_and_denied(world):
    enrolment = world.enrolments[1]
    services.enrolment_set_status(
        enrolment=enrolment, user=world.coordinator, status="dropped", drop_reason="Got a job"
    )
    url = reverse("portal:training_follow_up", args=[enrolment.pk])
    data = {"months": 3, "situation": "working", "evidence": "Phone call"}
    assert _client(world.trainer).post(url, data).status_code == 403
    assert _client(world.partner_admin).post(url, data).status_code == 404
    assert not FollowUp.objects.exists()
    assert _client(world.coordinator).post(url, data).status_code == 302
    assert FollowUp.objects.get().situation == "working"
    learner_url = reverse("portal:training_learner", args=[world.adult.pk])
    page = _client(world.coordinator).get(learner_url)
    assert b"Phone call" in page.content


def test_follow_ups_only_after_the_cohort(world):
    with pytest.raises(ValidationError):
        services.follow_up_record(
            enrolment=world.enrolments[0], user=world.coordinator, months=3, situation="working"
        )


def test_funder_export_counts_outcomes(world):
    enrolment = world.enrolments[1]
    services.skill_level_record(
        enrolment=enrolment, user=world.trainer, area="content", before=2, after=4
    )
    services.enrolment_set_status(
        enrolment=enrolment, user=world.coordinator, status="dropped", drop_reason="Job"
    )
    services.follow_up_record(
        enrolment=enrolment, user=world.coordinator, months=6, situation="working"
    )
    response = _client(world.coordinator).get(
        reverse("portal:training_export", args=[world.programme.pk])
    )
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["improved_digital_skills"], row["working_or_studying_after"]) == ("1", "1")
