"""A refused venture or call form shows its page again (400) with the problem next to the field
and what the person typed kept; nothing is stored. A withdrawn application stays visible to
the call's managers as withdrawn."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from volunteers import calls, services, ventures
from volunteers.models import (
    CallApplication,
    CallReview,
    HoursLog,
    VentureCheckin,
    VentureMilestone,
)

TODAY = timezone.localdate
# Typed text that must come back as typed: longer than each field allows.
TOO_LONG_NOTE = "Tested with five people; " * 90


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _call(net):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=TODAY() + timedelta(days=30),
    )


@pytest.fixture
def world(net):
    call = _call(net)
    application = calls.application_submit(
        user=net.volunteer, call=call, team="Repair café team", proposal="A repair café"
    )
    venture = calls.application_decide(user=net.coordinator, application=application, accept=True)
    mentor = UserFactory(username="f_mentor")
    services.profile_save(user=mentor, university="UdG", open_to_mentoring_ventures=True)
    ventures.mentor_assign(user=net.coordinator, venture=venture, mentor_id=mentor.pk)
    milestone = ventures.milestone_add(
        user=net.coordinator, venture=venture, title="First prototype", due_on=TODAY()
    )
    return {"net": net, "call": call, "venture": venture, "mentor": mentor, "milestone": milestone}


def _field_error(page, field_id):
    """The field's error is tied to it (``aria-describedby`` names its error)."""
    return f'id="{field_id}_error"' in page


@pytest.mark.parametrize("who", ["applicant", "mentor"])
def test_a_too_long_milestone_note_comes_back_typed_with_nothing_stored(world, who):
    person = world["net"].volunteer if who == "applicant" else world["mentor"]
    milestone = world["milestone"]
    url = reverse("calls:venture_milestone_mark", args=[milestone.pk])
    response = client_for(person).post(url, {"done": "on", "note": TOO_LONG_NOTE})
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_LONG_NOTE.strip() in page
    assert "Ensure this value has at most 2000 characters" in page
    assert _field_error(page, f"id_milestone_{milestone.pk}_note")
    # The checkbox keeps its tick too.
    assert f'id="id_milestone_{milestone.pk}_done" checked' in page or (
        f'checked id="id_milestone_{milestone.pk}_done"' in page
    )
    milestone.refresh_from_db()
    assert (milestone.done, milestone.note, milestone.done_at) == (False, "", None)


def test_a_refused_milestone_note_leaves_the_other_milestones_forms_as_stored(world):
    net = world["net"]
    other = ventures.milestone_add(
        user=net.coordinator, venture=world["venture"], title="Pilot", due_on=TODAY()
    )
    ventures.milestone_mark(user=net.volunteer, milestone=other, done=True, note="Went well")
    url = reverse("calls:venture_milestone_mark", args=[world["milestone"].pk])
    page = client_for(net.volunteer).post(url, {"note": TOO_LONG_NOTE}).content.decode()
    assert "Went well</textarea>" in page
    assert page.count("Ensure this value has at most 2000 characters") == 2  # summary + field


def test_a_too_long_checkin_note_comes_back_typed_with_nothing_stored(world):
    url = reverse("calls:venture_checkin_add", args=[world["venture"].pk])
    data = {"held_on": TODAY().isoformat(), "minutes": "60", "note": TOO_LONG_NOTE}
    response = client_for(world["mentor"]).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert TOO_LONG_NOTE.strip() in page
    assert _field_error(page, "id_note")
    assert not VentureCheckin.objects.exists()
    assert not HoursLog.objects.exists()


def test_a_too_long_milestone_title_comes_back_typed_with_nothing_stored(world):
    url = reverse("calls:venture_milestone_add", args=[world["venture"].pk])
    title = "A milestone with a title far too long " * 6
    response = client_for(world["net"].coordinator).post(
        url, {"title": title, "due_on": TODAY().isoformat()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{title}"' in page
    assert _field_error(page, "id_title")
    assert VentureMilestone.objects.count() == 1


@pytest.fixture
def submitted(net):
    call = _call(net)
    application = calls.application_submit(
        user=net.volunteer, call=call, team="Two students", proposal="A repair café"
    )
    return call, application


def test_too_long_feedback_comes_back_typed_and_nothing_is_decided(net, submitted):
    call, application = submitted
    feedback = "Promising, but the budget needs work. " * 100
    url = reverse("calls:application_decide", args=[application.pk, "accept"])
    response = client_for(net.coordinator).post(url, {"feedback": feedback})
    assert response.status_code == 400
    page = response.content.decode()
    assert feedback.strip() in page
    assert "Ensure this value has at most 3000 characters" in page
    assert _field_error(page, f"id_application_{application.pk}_feedback")
    application.refresh_from_db()
    assert (application.status, application.feedback) == (CallApplication.Status.SUBMITTED, "")


def test_an_unknown_reviewer_comes_back_typed_and_nobody_is_assigned(net, submitted):
    call, application = submitted
    url = reverse("calls:review_assign", args=[application.pk])
    response = client_for(net.coordinator).post(url, {"username": "nobody_by_that_name"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="nobody_by_that_name"' in page
    assert "Nobody has that username." in page
    assert _field_error(page, f"id_application_{application.pk}_username")
    assert not CallReview.objects.exists()


def test_managers_see_a_withdrawn_application_as_withdrawn(net, submitted):
    call, application = submitted
    calls.application_withdraw(user=net.volunteer, application=application)
    page = client_for(net.coordinator).get(reverse("calls:call_applications", args=[call.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Withdrawn before the decision" in text
    name = net.volunteer.get_full_name() or net.volunteer.username
    assert f"{name} withdrew their application on" in text


def test_a_withdrawal_from_another_call_is_not_listed(net, submitted):
    call, application = submitted
    other = calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Another call",
        challenge="Something else",
        deadline=TODAY() + timedelta(days=30),
    )
    calls.application_withdraw(user=net.volunteer, application=application)
    page = client_for(net.coordinator).get(reverse("calls:call_applications", args=[other.pk]))
    assert "Withdrawn before the decision" not in page.content.decode()
