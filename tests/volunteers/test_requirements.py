"""Requirements with an expiry date (e.g. the certificate Spanish law asks of volunteers who work
with minors): coordinators record until when each applicant holds one, never the document; a
shift refuses anyone whose requirement is missing or not valid until the shift ends."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from volunteers import services
from volunteers.models import Requirement, RequirementRecord, Role, ShiftSignup

from .conftest import make_shift

CERTIFICATE = "Certificate of no sexual offences"


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def requirement(db):
    return Requirement.objects.create(name=CERTIFICATE, description="From the central register")


@pytest.fixture
def role(net, requirement):
    role = services.role_create(
        user=net.coordinator,
        project=net.project,
        title="Mentor of children",
        screening=True,
        agreement="The terms",
        requirements=[requirement],
    )
    role.test_shift = make_shift(net.coordinator, role, places=3, days=3)
    return role


def accepted(net, role, user=None):
    user = user or net.volunteer
    application = services.role_apply(user=user, role=role)
    services.application_decide(user=net.coordinator, application=application, decision="accept")
    services.agreement_accept(user=user, application=application, accept=True)
    return application


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def test_a_shift_needs_the_requirement_recorded(net, role, requirement):
    application = accepted(net, role)
    with pytest.raises(ValidationError, match=f"This shift needs “{CERTIFICATE}”"):
        services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert not ShiftSignup.objects.exists()
    services.requirement_record(
        user=net.coordinator,
        application=application,
        requirement=requirement,
        valid_until=in_days(365),
    )
    services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert ShiftSignup.objects.filter(user=net.volunteer).exists()


def test_an_expired_requirement_blocks_the_shift_with_its_date(net, role, requirement):
    accepted(net, role)
    RequirementRecord.objects.create(
        user=net.volunteer, requirement=requirement, valid_until=in_days(-1)
    )
    with pytest.raises(ValidationError, match="expired on"):
        services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert not ShiftSignup.objects.exists()


def test_a_requirement_expiring_before_the_shift_ends_blocks_it(net, role, requirement):
    accepted(net, role)
    RequirementRecord.objects.create(
        user=net.volunteer, requirement=requirement, valid_until=in_days(1)
    )
    with pytest.raises(ValidationError, match="before this shift ends"):
        services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert not ShiftSignup.objects.exists()


def test_recording_again_replaces_the_date(net, role, requirement):
    application = accepted(net, role)
    for days in (10, 400):
        services.requirement_record(
            user=net.coordinator,
            application=application,
            requirement=requirement,
            valid_until=in_days(days),
        )
    assert list(RequirementRecord.objects.values_list("valid_until", flat=True)) == [in_days(400)]


def test_bad_records_are_refused_and_store_nothing(net, role, requirement):
    application = accepted(net, role)
    other = Requirement.objects.create(name="First aid course")
    with pytest.raises(ValidationError, match="has passed"):
        services.requirement_record(
            user=net.coordinator,
            application=application,
            requirement=requirement,
            valid_until=in_days(-1),
        )
    with pytest.raises(ValidationError, match="does not ask for it"):
        services.requirement_record(
            user=net.coordinator,
            application=application,
            requirement=other,
            valid_until=in_days(9),
        )
    with pytest.raises(PermissionDenied):
        services.requirement_record(
            user=net.other_coordinator,
            application=application,
            requirement=requirement,
            valid_until=in_days(9),
        )
    assert not RequirementRecord.objects.exists()


def test_a_role_with_requirements_screens_its_volunteers(net, requirement):
    with pytest.raises(ValidationError, match="screens its volunteers"):
        services.role_create(
            user=net.coordinator, project=net.project, title="Direct", requirements=[requirement]
        )
    assert not Role.objects.filter(title="Direct").exists()


def test_record_permitted_to_coordinator(net, role, requirement):
    application = accepted(net, role)
    url = reverse("volunteers:requirement_record", args=[application.pk])
    response = client_for(net.coordinator).post(
        url, {"requirement": requirement.pk, "valid_until": in_days(30).isoformat()}, follow=True
    )
    assert "The date is recorded." in response.content.decode()
    assert RequirementRecord.objects.get().valid_until == in_days(30)
    page = client_for(net.volunteer).get(reverse("volunteers:role_detail", args=[role.pk]))
    assert "yours is valid until" in page.content.decode()


@pytest.mark.parametrize("who", ["team_member", "other_coordinator", "volunteer"])
def test_record_denied_to_others(net, role, requirement, who):
    application = accepted(net, role)
    url = reverse("volunteers:requirement_record", args=[application.pk])
    data = {"requirement": requirement.pk, "valid_until": in_days(30).isoformat()}
    assert client_for(getattr(net, who)).post(url, data).status_code == 403
    assert not RequirementRecord.objects.exists()


def test_record_with_a_bad_date_says_so(net, role, requirement):
    application = accepted(net, role)
    url = reverse("volunteers:requirement_record", args=[application.pk])
    response = client_for(net.coordinator).post(
        url, {"requirement": requirement.pk, "valid_until": "soon"}, follow=True
    )
    assert "Enter a valid date." in response.content.decode()
    assert not RequirementRecord.objects.exists()


def test_role_page_tells_the_volunteer_theirs_expired(net, role, requirement):
    accepted(net, role)
    RequirementRecord.objects.create(
        user=net.volunteer, requirement=requirement, valid_until=in_days(-3)
    )
    page = client_for(net.volunteer).get(reverse("volunteers:role_detail", args=[role.pk]))
    text = page.content.decode()
    assert CERTIFICATE in text
    assert "yours expired on" in text
    assert "Take a place" not in text


def test_coordinator_offers_a_role_with_requirements(net, requirement):
    response = client_for(net.coordinator).post(
        reverse("volunteers:role_create", args=[net.project.pk]),
        {
            "title": "Mentor",
            "screening": "on",
            "agreement": "The terms",
            "requirements": [requirement.pk],
            "open": "on",
        },
    )
    assert response.status_code == 302
    assert list(Role.objects.get(title="Mentor").requirements.all()) == [requirement]


def test_the_applications_page_with_requirements_costs_the_same_for_3_and_50(
    net, role, requirement, django_assert_max_num_queries
):
    url = reverse("volunteers:role_applications", args=[role.pk])
    client = client_for(net.coordinator)

    def applicants(count, prefix):
        for n in range(count):
            person = UserFactory(username=f"{prefix}{n}")
            services.profile_save(user=person)
            application = services.role_apply(user=person, role=role)
            services.requirement_record(
                user=net.coordinator,
                application=application,
                requirement=requirement,
                valid_until=in_days(30),
            )

    applicants(3, "few")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    applicants(47, "many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("valid until") >= 50


# --- Dates the volunteers enter, confirmed by a coordinator ------------------------------------


def claim_url(role):
    return reverse("volunteers:requirement_claim", args=[role.pk])


def confirm_url(application):
    return reverse("volunteers:requirement_confirm", args=[application.pk])


def test_a_date_the_volunteer_enters_counts_once_a_coordinator_confirms_it(net, role, requirement):
    application = accepted(net, role)
    response = client_for(net.volunteer).post(
        claim_url(role), {"requirement": requirement.pk, "valid_until": in_days(200)}
    )
    assert response.status_code == 302
    record = RequirementRecord.objects.get(user=net.volunteer, requirement=requirement)
    assert record.valid_until == in_days(200) and not record.confirmed
    assert record.recorded_by == net.volunteer
    page = client_for(net.volunteer).get(reverse("volunteers:role_detail", args=[role.pk]))
    assert "waiting for the coordinators" in page.content.decode()
    with pytest.raises(ValidationError, match="waits for the coordinators' confirmation"):
        services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert not ShiftSignup.objects.exists()

    listing = client_for(net.coordinator).get(
        reverse("volunteers:role_applications", args=[role.pk])
    )
    assert f"Confirm “{CERTIFICATE}” (document seen)" in listing.content.decode()
    # Only the role's coordinators confirm it.
    for person in (net.volunteer, net.team_member, net.other_coordinator):
        response = client_for(person).post(
            confirm_url(application), {"requirement": requirement.pk}
        )
        assert response.status_code == 403
    record.refresh_from_db()
    assert not record.confirmed
    response = client_for(net.coordinator).post(
        confirm_url(application), {"requirement": requirement.pk}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.confirmed and record.confirmed_by == net.coordinator
    services.shift_signup(user=net.volunteer, shift=role.test_shift)
    assert ShiftSignup.objects.filter(user=net.volunteer).count() == 1
    # Confirming twice is refused with a message.
    with pytest.raises(ValidationError, match="no date waiting"):
        services.requirement_confirm(
            user=net.coordinator, application=application, requirement=requirement
        )


def test_a_new_date_from_the_volunteer_waits_again_the_same_date_stays_confirmed(
    net, role, requirement
):
    application = accepted(net, role)
    services.requirement_record(
        user=net.coordinator,
        application=application,
        requirement=requirement,
        valid_until=in_days(100),
    )
    record = services.requirement_claim(
        user=net.volunteer, role=role, requirement=requirement, valid_until=in_days(100)
    )
    assert record.confirmed
    record = services.requirement_claim(
        user=net.volunteer, role=role, requirement=requirement, valid_until=in_days(400)
    )
    assert not record.confirmed and record.valid_until == in_days(400)


def test_bad_dates_from_the_volunteer_are_refused_and_nothing_is_stored(net, role, requirement):
    accepted(net, role)
    other = Requirement.objects.create(name="First aid")
    client = client_for(net.volunteer)
    for data in (
        {"requirement": requirement.pk, "valid_until": in_days(-1)},
        {"requirement": requirement.pk, "valid_until": "not a date"},
        {"requirement": other.pk, "valid_until": in_days(10)},
        {"valid_until": in_days(10)},
    ):
        response = client.post(claim_url(role), data, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"]), data
    assert not RequirementRecord.objects.exists()
    # Without a volunteer profile, nothing either; anonymous people sign in first.
    client_for(net.no_profile).post(
        claim_url(role), {"requirement": requirement.pk, "valid_until": in_days(10)}
    )
    assert not RequirementRecord.objects.exists()
    assert "/accounts/login/" in Client().post(claim_url(role))["Location"]
