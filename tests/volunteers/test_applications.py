"""Roles that screen their volunteers: apply → screened → accepted, waitlisted or declined
(with a message) → the volunteer agreement accepted in the portal → shifts. Each decision is
told to the volunteer; only the project's coordinators decide."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from tests.factories import UserFactory
from volunteers import selectors, services
from volunteers.models import Role, RoleApplication, ShiftSignup

from .conftest import make_shift

AGREEMENT = "You help at the homework club on Tuesdays; the project insures you."


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def screened_role(net):
    role = services.role_create(
        user=net.coordinator,
        project=net.project,
        title="Mentor of young people",
        screening=True,
        agreement=AGREEMENT,
    )
    role.test_shift = make_shift(net.coordinator, role, places=3)
    return role


def apply(net, role, user=None):
    return services.role_apply(user=user or net.volunteer, role=role, motivation="I tutor maths")


def decide(net, application, decision, message=""):
    return services.application_decide(
        user=net.coordinator, application=application, decision=decision, message=message
    )


def notices(net):
    return list(
        Notification.objects.filter(user=net.volunteer, kind="volunteers.application")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_apply_screen_accept_agreement_then_shift(net, screened_role):
    shift = screened_role.test_shift
    with pytest.raises(ValidationError, match="Apply to this role first"):
        services.shift_signup(user=net.volunteer, shift=shift)

    application = apply(net, screened_role)
    with pytest.raises(ValidationError, match="waits for the coordinators"):
        services.shift_signup(user=net.volunteer, shift=shift)

    decide(net, application, "screen")
    decide(net, application, "accept", "Welcome!")
    with pytest.raises(ValidationError, match="Accept the volunteer agreement"):
        services.shift_signup(user=net.volunteer, shift=shift)
    assert not ShiftSignup.objects.filter(shift=shift).exists()

    services.agreement_accept(user=net.volunteer, application=application, accept=True)
    services.shift_signup(user=net.volunteer, shift=shift)
    assert ShiftSignup.objects.filter(shift=shift, user=net.volunteer).exists()
    assert notices(net) == [
        "Your application to “Mentor of young people” is being screened",
        "You are accepted as “Mentor of young people”: accept the volunteer agreement to "
        "take shifts",
    ]


def test_the_agreement_accepted_is_kept_as_it_was(net, screened_role):
    application = apply(net, screened_role)
    decide(net, application, "accept")
    services.agreement_accept(user=net.volunteer, application=application, accept=True)
    Role.objects.filter(pk=screened_role.pk).update(agreement="Other terms")
    application.refresh_from_db()
    assert application.agreement_text == AGREEMENT
    assert application.agreement_accepted_at is not None
    page = client_for(net.volunteer).get(
        reverse("volunteers:application_agreement", args=[application.pk])
    )
    assert AGREEMENT in page.content.decode()
    assert "Other terms" not in page.content.decode()


def test_waitlisted_volunteer_waits_then_may_be_accepted(net, screened_role):
    application = apply(net, screened_role)
    decide(net, application, "waitlist")
    with pytest.raises(ValidationError, match="waiting list"):
        services.shift_signup(user=net.volunteer, shift=screened_role.test_shift)
    with pytest.raises(ValidationError, match="cannot be changed"):
        decide(net, application, "screen")
    decide(net, application, "accept")
    assert RoleApplication.objects.get().status == "accepted"
    assert notices(net)[0] == "You are on the waiting list for “Mentor of young people”"


def test_declining_needs_a_message_and_is_final(net, screened_role):
    application = apply(net, screened_role)
    with pytest.raises(ValidationError, match="Say why"):
        decide(net, application, "decline")
    assert RoleApplication.objects.get().status == "applied"
    assert notices(net) == []
    decide(net, application, "decline", "We need Saturday mornings only")
    notice = Notification.objects.get(user=net.volunteer, kind="volunteers.application")
    assert notice.body == "We need Saturday mornings only"
    with pytest.raises(ValidationError, match="declined"):
        services.shift_signup(user=net.volunteer, shift=screened_role.test_shift)
    with pytest.raises(ValidationError, match="cannot be changed"):
        decide(net, application, "accept")


def test_agreement_only_once_accepted_and_only_by_its_volunteer(net, screened_role):
    application = apply(net, screened_role)
    with pytest.raises(ValidationError, match="not accepted"):
        services.agreement_accept(user=net.volunteer, application=application, accept=True)
    decide(net, application, "accept")
    with pytest.raises(PermissionDenied):
        services.agreement_accept(user=net.coordinator, application=application, accept=True)
    with pytest.raises(ValidationError, match="Tick the box"):
        services.agreement_accept(user=net.volunteer, application=application, accept=False)
    assert RoleApplication.objects.get().agreement_accepted_at is None


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("twice", "applied to this role already"),
        ("direct_role", "needs no application"),
        ("no_profile", "volunteer profile first"),
        ("minor", "not open to volunteers under 18"),
        ("closed", "no more applications"),
    ],
)
def test_bad_applications_are_refused_and_store_nothing(net, screened_role, setup, message):
    user, role = net.volunteer, screened_role
    if setup == "twice":
        apply(net, role)
    elif setup == "direct_role":
        role = net.role
    elif setup == "no_profile":
        user = net.no_profile
    elif setup == "minor":
        services.profile_save(user=net.volunteer, is_minor=True)
    elif setup == "closed":
        Role.objects.filter(pk=role.pk).update(open=False)
        role.refresh_from_db()
    before = RoleApplication.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.role_apply(user=user, role=role)
    assert RoleApplication.objects.count() == before


def test_a_screening_role_needs_its_agreement(net):
    with pytest.raises(ValidationError, match="Write the agreement"):
        services.role_create(
            user=net.coordinator, project=net.project, title="Mentor", screening=True
        )
    assert not Role.objects.filter(title="Mentor").exists()


def test_volunteer_applies_and_accepts_through_the_pages(net, screened_role):
    client = client_for(net.volunteer)
    role_url = reverse("volunteers:role_detail", args=[screened_role.pk])
    assert "Take a place" not in client.get(role_url).content.decode()
    response = client.post(
        reverse("volunteers:role_apply", args=[screened_role.pk]),
        {"motivation": "I like it"},
        follow=True,
    )
    assert "Your application is sent" in response.content.decode()
    application = RoleApplication.objects.get()
    decide(net, application, "accept")
    agreement_url = reverse("volunteers:application_agreement", args=[application.pk])
    assert agreement_url in client.get(role_url).content.decode()
    refused = client.post(agreement_url, {})
    assert "Tick the box to accept the agreement." in refused.content.decode()
    assert RoleApplication.objects.get().agreement_accepted_at is None
    client.post(agreement_url, {"accept": "on"})
    assert RoleApplication.objects.get().ready
    assert "Take a place" in client.get(role_url).content.decode()


def test_decide_permitted_to_coordinator(net, screened_role):
    application = apply(net, screened_role)
    url = reverse("volunteers:application_decide", args=[application.pk, "waitlist"])
    response = client_for(net.coordinator).post(url, {"message": "Soon"}, follow=True)
    assert "The volunteer is told." in response.content.decode()
    assert RoleApplication.objects.get().status == "waitlisted"


@pytest.mark.parametrize("who", ["team_member", "other_coordinator", "volunteer", "no_profile"])
def test_decide_denied_to_others(net, screened_role, who):
    application = apply(net, screened_role)
    url = reverse("volunteers:application_decide", args=[application.pk, "accept"])
    assert client_for(getattr(net, who)).post(url).status_code == 403
    assert RoleApplication.objects.get().status == "applied"


def test_applications_page_permitted_to_coordinator(net, screened_role):
    apply(net, screened_role)
    page = client_for(net.coordinator).get(
        reverse("volunteers:role_applications", args=[screened_role.pk])
    )
    assert page.status_code == 200
    assert "I tutor maths" in page.content.decode()
    assert "UB" in page.content.decode()  # the volunteer's university


def test_applications_page_denied_to_others(net, screened_role):
    apply(net, screened_role)
    url = reverse("volunteers:role_applications", args=[screened_role.pk])
    for who in (net.team_member, net.other_coordinator, net.volunteer):
        assert client_for(who).get(url).status_code == 403
    assert "/accounts/login/" in client_for().get(url)["Location"]


def test_agreement_page_hidden_from_others_and_read_only_for_coordinators(net, screened_role):
    application = apply(net, screened_role)
    decide(net, application, "accept")
    url = reverse("volunteers:application_agreement", args=[application.pk])
    assert client_for(net.team_member).get(url).status_code == 404
    assert client_for(net.other_coordinator).get(url).status_code == 404
    assert client_for(net.coordinator).get(url).status_code == 200
    assert client_for(net.coordinator).post(url, {"accept": "on"}).status_code == 403
    assert RoleApplication.objects.get().agreement_accepted_at is None


def test_the_applications_page_costs_the_same_for_3_and_50(
    net, screened_role, django_assert_max_num_queries
):
    url = reverse("volunteers:role_applications", args=[screened_role.pk])
    client = client_for(net.coordinator)

    def applicants(count, prefix):
        for n in range(count):
            person = UserFactory(username=f"{prefix}{n}")
            services.profile_save(user=person, university="UPF")
            apply(net, screened_role, person)

    applicants(3, "few")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    applicants(47, "many")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="card" id="application-') == 50


def test_leaving_the_network_keeps_signed_agreements_only(net, screened_role):
    open_application = apply(net, screened_role)
    other = services.role_create(
        user=net.coordinator,
        project=net.project,
        title="Second role",
        screening=True,
        agreement=AGREEMENT,
    )
    signed = apply(net, other)
    decide(net, signed, "accept")
    services.agreement_accept(user=net.volunteer, application=signed, accept=True)
    services.profile_withdraw(user=net.volunteer)
    assert list(RoleApplication.objects.values_list("pk", flat=True)) == [signed.pk]
    assert open_application.pk != signed.pk
    exported = selectors.personal_data(net.volunteer)["role_applications"]
    assert [row["agreement"] for row in exported] == [AGREEMENT]


def test_the_coordinators_are_told_of_each_new_application(net, screened_role):
    net.volunteer.first_name, net.volunteer.last_name = "Laia", "Puig"
    net.volunteer.save()
    application = apply(net, screened_role)
    told = Notification.objects.filter(kind="volunteers.new_application")
    assert [(n.user, n.title) for n in told] == [
        (net.coordinator, "Laia Puig applied to “Mentor of young people”")
    ]
    notice = told.get()
    assert notice.url.endswith(f"/applications/#application-{application.pk}")
    assert notice.about_id == net.project.pk
    # Nobody else hears of it, and a refused application tells nobody.
    with pytest.raises(ValidationError):
        apply(net, screened_role)
    assert told.count() == 1
    assert not Notification.objects.filter(
        kind="volunteers.new_application", user__in=[net.team_member, net.other_coordinator]
    ).exists()
