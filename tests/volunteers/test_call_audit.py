"""The audit trail of calls for social entrepreneurship and their ventures: opening a call and
changing its form, applications, reviewers, reviews, decisions, mentors, milestones and
check-ins are recorded on the opening organization's page (its admins read them in their
activity), or on the call itself for a call the editors opened."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry, PageLogEntry

from privacy.services import account_delete
from tests.factories import UserFactory
from tests.utils import editor
from volunteers import audit, calls, services, ventures
from volunteers.models import Call

TODAY = timezone.localdate


def _open(user, organization=None, title="Social ventures 2027"):
    return calls.call_open(
        user=user,
        organization=organization,
        title=title,
        challenge="Ideas for digital inclusion",
        deadline=TODAY() + timedelta(days=30),
    )


def _trail(organization):
    return list(PageLogEntry.objects.filter(page_id=organization.pk).order_by("pk"))


def _entry(entries, action):
    found = [entry for entry in entries if entry.action == action]
    assert found, f"no {action} entry"
    return found[-1]


def test_a_calls_life_is_recorded_on_the_organizations_trail(net):
    organization = net.project.lead_organization
    applicant = net.volunteer
    applicant.first_name, applicant.last_name = "Aina", "Soler"
    applicant.save()
    call = _open(net.coordinator, organization)
    calls.question_add(user=net.coordinator, call=call, text="Who is on the team?")
    application = calls.application_submit(
        user=applicant,
        call=call,
        team="Repair café",
        proposal="A repair café",
        answers={call.questions.get().pk: "Two students"},
    )
    review = calls.review_assign(
        user=net.coordinator, application=application, username=net.team_member.username
    )
    calls.review_submit(user=net.team_member, review=review, score=4)
    application = calls.application_decide(
        user=net.coordinator, application=application, accept=True
    )
    mentor = UserFactory(username="v_mentor", first_name="Pau", last_name="Vidal")
    services.profile_save(user=mentor, university="UdG", open_to_mentoring_ventures=True)
    ventures.mentor_assign(user=net.coordinator, venture=application, mentor_id=mentor.pk)
    milestone = ventures.milestone_add(
        user=net.coordinator, venture=application, title="Prototype", due_on=TODAY()
    )
    ventures.milestone_mark(user=applicant, milestone=milestone, done=True)
    checkin = ventures.checkin_add(user=mentor, venture=application, held_on=TODAY(), minutes=60)
    ventures.checkin_delete(user=mentor, checkin=checkin)
    ventures.mentor_remove(user=net.coordinator, venture=application, mentor_id=mentor.pk)

    entries = _trail(organization)
    expected = {
        audit.CALL_OPEN: (net.coordinator, None),
        audit.CALL_FORM: (net.coordinator, None),
        audit.CALL_APPLY: (applicant, applicant),
        audit.CALL_REVIEWER: (net.coordinator, net.team_member),
        audit.CALL_REVIEW: (net.team_member, net.team_member),
        audit.CALL_DECIDE: (net.coordinator, applicant),
        audit.VENTURE_MENTOR_ADD: (net.coordinator, mentor),
        audit.VENTURE_MILESTONE_ADD: (net.coordinator, applicant),
        audit.VENTURE_MILESTONE_MARK: (applicant, applicant),
        audit.VENTURE_CHECKIN_ADD: (mentor, mentor),
        audit.VENTURE_CHECKIN_DELETE: (mentor, mentor),
        audit.VENTURE_MENTOR_REMOVE: (net.coordinator, mentor),
    }
    for action, (actor, person) in expected.items():
        entry = _entry(entries, action)
        assert entry.user_id == actor.pk, action
        assert entry.data["organization"] == organization.pk
        assert entry.data["call"] == call.pk
        if person is not None:
            assert entry.data["person"]["id"] == person.pk, action
    assert _entry(entries, audit.CALL_OPEN).message == (
        "Call for social entrepreneurship opened: “Social ventures 2027”"
    )
    assert _entry(entries, audit.CALL_APPLY).message == (
        "Aina Soler applied to the call “Social ventures 2027”"
    )
    assert _entry(entries, audit.CALL_DECIDE).message == (
        "Application of Aina Soler to the call “Social ventures 2027”: accepted"
    )
    assert _entry(entries, audit.VENTURE_MENTOR_ADD).message == (
        "Pau Vidal mentors a venture of the call “Social ventures 2027”"
    )
    assert _entry(entries, audit.VENTURE_MILESTONE_MARK).message == (
        "Milestone of the venture of Aina Soler in “Social ventures 2027” marked done"
    )


def test_refused_changes_record_nothing(net):
    call = _open(net.coordinator, net.project.lead_organization)
    before = PageLogEntry.objects.count()
    with pytest.raises(PermissionDenied):
        calls.question_add(user=net.volunteer, call=call, text="Who?")
    application = calls.application_submit(user=net.volunteer, call=call, team="T", proposal="P")
    before = PageLogEntry.objects.count()
    with pytest.raises(ValidationError):
        calls.review_assign(user=net.coordinator, application=application, username="nobody")
    assert PageLogEntry.objects.count() == before


def test_every_call_action_has_a_translated_label():
    for action in (
        *audit.CALL_ACTIONS,
        *audit.CALL_DECISION_ACTIONS,
        *audit.MILESTONE_ACTIONS,
    ):
        assert registry.action_exists(action), action
        assert registry.get_action_label(action)


def test_the_organizations_admins_read_call_entries_in_its_activity(net):
    organization = net.project.lead_organization
    _open(net.coordinator, organization, title="Green ventures")
    client = Client()
    client.force_login(net.coordinator)
    url = reverse("portal:organization_activity", args=[organization.pk])
    html = client.get(url).content.decode()
    assert "Call for social entrepreneurship opened: “Green ventures”" in html


def test_an_editors_call_is_recorded_on_the_call_and_forgets_deleted_accounts(net):
    person = editor()
    call = _open(person, title="Cluster-wide call")
    calls.application_submit(user=net.volunteer, call=call, team="T", proposal="P")
    call_type = ContentType.objects.get_for_model(Call)
    entries = ModelLogEntry.objects.filter(content_type=call_type, object_id=str(call.pk))
    assert set(entries.values_list("action", flat=True)) == {audit.CALL_OPEN, audit.CALL_APPLY}
    applied = entries.get(action=audit.CALL_APPLY)
    assert applied.data["person"]["id"] == net.volunteer.pk

    account_delete(user=net.volunteer)
    applied.refresh_from_db()
    assert applied.data["person"]["id"] is None
    assert net.volunteer.get_full_name() not in applied.message
