"""A call's people hear of it through the notification centre: the managers of a new
application, a reviewer of their assignment, the applicant of the decision."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.kinds import notification_kinds
from notifications.models import Notification
from tests.factories import UserFactory
from tests.utils import editor
from volunteers import calls


def notes(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


@pytest.fixture
def call(net):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=timezone.localdate() + timedelta(days=30),
    )


def test_the_kinds_are_declared():
    kinds = notification_kinds()
    for kind in (
        "volunteers.call_application",
        "volunteers.call_review",
        "volunteers.call_decision",
    ):
        assert kind in kinds


def test_a_new_application_tells_the_calls_managers_only(net, call):
    applicant = net.volunteer
    calls.application_submit(user=applicant, call=call, team="Us", proposal="P")
    (note,) = notes(net.coordinator, "volunteers.call_application")
    assert "Social ventures 2027" in note.title
    assert note.url == reverse("calls:call_applications", args=[call.pk])
    assert note.about_id == call.organization_id
    for person in (applicant, net.team_member, net.other_coordinator, net.no_profile):
        assert notes(person, "volunteers.call_application") == []


def test_an_editors_call_tells_the_editors(net):
    cluster_editor = editor()
    call = calls.call_open(
        user=cluster_editor,
        title="Open to all",
        challenge="c",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    calls.application_submit(user=net.volunteer, call=call, team="Us", proposal="P")
    assert len(notes(cluster_editor, "volunteers.call_application")) == 1
    assert notes(net.coordinator, "volunteers.call_application") == []


def test_an_assigned_reviewer_is_told_once(net, call):
    application = calls.application_submit(user=net.volunteer, call=call, team="Us", proposal="P")
    reviewer = UserFactory(username="call_reviewer")
    review = calls.review_assign(
        user=net.coordinator, application=application, username="call_reviewer"
    )
    calls.review_assign(user=net.coordinator, application=application, username="call_reviewer")
    (note,) = notes(reviewer, "volunteers.call_review")
    assert "Social ventures 2027" in note.title
    assert note.url == reverse("calls:review_submit", args=[review.pk])
    assert notes(net.volunteer, "volunteers.call_review") == []


@pytest.mark.parametrize(("accept", "word"), [(True, "accepted"), (False, "declined")])
def test_the_decision_tells_the_applicant(net, call, accept, word):
    application = calls.application_submit(user=net.volunteer, call=call, team="Us", proposal="P")
    calls.application_decide(
        user=net.coordinator, application=application, accept=accept, feedback="Well argued"
    )
    (note,) = notes(net.volunteer, "volunteers.call_decision")
    assert word in note.title and note.body == "Well argued"
    assert note.url == reverse("calls:call_detail", args=[call.pk])
    assert notes(net.coordinator, "volunteers.call_decision") == []


def test_a_refused_application_tells_nobody(net, call):
    calls.question_add(user=net.coordinator, call=call, text="Who benefits?")
    with pytest.raises(Exception, match="Answer the question"):
        calls.application_submit(user=net.volunteer, call=call, team="Us", proposal="P")
    assert not Notification.objects.filter(kind__startswith="volunteers.call_").exists()


def test_notifications_are_in_the_recipients_language(net, call):
    from notifications.models import LanguagePreference

    LanguagePreference.objects.create(user=net.volunteer, language="es")
    application = calls.application_submit(user=net.volunteer, call=call, team="Us", proposal="P")
    calls.application_decide(user=net.coordinator, application=application, accept=True)
    (note,) = notes(net.volunteer, "volunteers.call_decision")
    assert note.title == "Tu solicitud a la convocatoria «Social ventures 2027» ha sido aceptada"
