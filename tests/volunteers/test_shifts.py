"""Roles and shifts: coordinators offer them, volunteers take places, and the database decides
who gets the last one."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.concurrency import race
from tests.factories import UserFactory
from tests.services import require_postgres
from volunteers import services
from volunteers.models import Role, Shift, ShiftSignup

from .conftest import build_network, make_shift


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Sign-up rules ----------------------------------------------------------------------------


def test_a_volunteer_takes_a_place_and_gives_it_up(net):
    services.shift_signup(user=net.volunteer, shift=net.shift)
    assert ShiftSignup.objects.filter(shift=net.shift, user=net.volunteer).exists()
    with pytest.raises(ValidationError, match="already have a place"):
        services.shift_signup(user=net.volunteer, shift=net.shift)
    services.shift_cancel(user=net.volunteer, shift=net.shift)
    assert not ShiftSignup.objects.exists()


def test_a_profile_is_needed_to_take_a_place(net):
    with pytest.raises(ValidationError, match="profile"):
        services.shift_signup(user=net.no_profile, shift=net.shift)
    assert not ShiftSignup.objects.exists()


def test_a_full_shift_refuses_one_more(net):
    for name in ("a", "b"):
        person = UserFactory(username=f"full_{name}")
        services.profile_save(user=person)
        services.shift_signup(user=person, shift=net.shift)
    with pytest.raises(ValidationError, match="full"):
        services.shift_signup(user=net.volunteer, shift=net.shift)
    assert ShiftSignup.objects.filter(shift=net.shift).count() == 2


def test_minors_only_on_roles_open_to_them(net):
    minor = UserFactory(username="minor")
    services.profile_save(user=minor, is_minor=True)
    with pytest.raises(ValidationError, match="under 18"):
        services.shift_signup(user=minor, shift=net.shift)
    open_role = services.role_create(
        user=net.coordinator, project=net.project, title="Park clean-up", minors_allowed=True
    )
    services.shift_signup(user=minor, shift=make_shift(net.coordinator, open_role))
    assert ShiftSignup.objects.filter(user=minor).count() == 1


def test_a_closed_role_or_a_past_shift_takes_no_sign_up(net):
    past = Shift.objects.create(
        role=net.role,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(hours=20),
        places=3,
    )
    with pytest.raises(ValidationError, match="already started"):
        services.shift_signup(user=net.volunteer, shift=past)
    Role.objects.filter(pk=net.role.pk).update(open=False)
    with pytest.raises(ValidationError, match="no more sign-ups"):
        services.shift_signup(user=net.volunteer, shift=net.shift)
    assert not ShiftSignup.objects.exists()


def test_only_coordinators_offer_roles_and_shifts(net):
    with pytest.raises(PermissionDenied):
        services.role_create(user=net.volunteer, project=net.project, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.role_create(user=net.other_coordinator, project=net.project, title="Sneaky")
    with pytest.raises(PermissionDenied):
        make_shift(net.team_member, net.role)
    assert Role.objects.count() == 1 and Shift.objects.count() == 1


# --- Pages ------------------------------------------------------------------------------------


def test_role_list_and_detail_are_public(net):
    response = Client().get(reverse("volunteers:role_list"))
    assert response.status_code == 200
    assert "Homework club helper" in response.content.decode()
    response = Client().get(reverse("volunteers:role_detail", args=[net.role.pk]))
    assert response.status_code == 200


def test_a_role_of_a_draft_project_is_hidden(net):
    from projects.services import project_propose

    draft = project_propose(
        user=net.coordinator, lead_organization=net.project.lead_organization, title="Draft"
    )
    role = Role.objects.create(project=draft, title="Hidden role")
    assert Client().get(reverse("volunteers:role_detail", args=[role.pk])).status_code == 404
    assert (
        client_for(net.volunteer)
        .get(reverse("volunteers:role_detail", args=[role.pk]))
        .status_code
        == 404
    )
    assert "Hidden role" not in Client().get(reverse("volunteers:role_list")).content.decode()


def test_signup_page_permitted(net):
    response = client_for(net.volunteer).post(
        reverse("volunteers:shift_signup", args=[net.shift.pk])
    )
    assert response.status_code == 302
    assert ShiftSignup.objects.filter(user=net.volunteer).exists()
    response = client_for(net.volunteer).post(
        reverse("volunteers:shift_cancel", args=[net.shift.pk])
    )
    assert not ShiftSignup.objects.exists()


def test_signup_page_denied(net):
    url = reverse("volunteers:shift_signup", args=[net.shift.pk])
    response = Client().post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client_for(net.no_profile).post(url, follow=True)
    assert "profile" in response.content.decode()
    assert not ShiftSignup.objects.exists()


def test_role_create_permitted(net):
    url = reverse("volunteers:role_create", args=[net.project.pk])
    client = client_for(net.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Reading buddy", "open": "on"})
    assert response.status_code == 302
    assert Role.objects.filter(title="Reading buddy", project=net.project).exists()


def test_role_create_denied(net):
    url = reverse("volunteers:role_create", args=[net.project.pk])
    assert "/accounts/login/" in Client().get(url)["Location"]
    for user in (net.volunteer, net.team_member, net.other_coordinator):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"title": "Sneaky"}).status_code == 403
    assert Role.objects.count() == 1


def test_role_create_bad_input_stores_nothing(net):
    url = reverse("volunteers:role_create", args=[net.project.pk])
    response = client_for(net.coordinator).post(url, {"title": ""})
    assert response.status_code == 200
    assert Role.objects.count() == 1


def test_shift_create_permitted(net):
    url = reverse("volunteers:shift_create", args=[net.role.pk])
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "places": "4",
    }
    client = client_for(net.coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert Shift.objects.filter(role=net.role, places=4).exists()


def test_shift_create_denied_and_bad_input(net):
    url = reverse("volunteers:shift_create", args=[net.role.pk])
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "places": "0",
    }
    assert client_for(net.volunteer).post(url, data).status_code == 403
    response = client_for(net.coordinator).post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "ends after it starts" in content
    assert Shift.objects.count() == 1


def test_role_list_queries_do_not_grow(net, django_assert_max_num_queries):
    def page():
        with django_assert_max_num_queries(15) as queries:
            assert Client().get(reverse("volunteers:role_list")).status_code == 200
        return len(queries)

    few = page()
    for index in range(50):
        role = Role.objects.create(project=net.project, title=f"Role {index}")
        Shift.objects.create(
            role=role,
            starts_at=net.shift.starts_at,
            ends_at=net.shift.ends_at,
            places=2,
        )
    assert page() <= few


def test_role_detail_queries_do_not_grow(net, django_assert_max_num_queries):
    url = reverse("volunteers:role_detail", args=[net.role.pk])

    def page():
        with django_assert_max_num_queries(30) as queries:
            assert client_for(net.volunteer).get(url).status_code == 200
        return len(queries)

    few = page()
    for _index in range(50):
        Shift.objects.create(
            role=net.role, starts_at=net.shift.starts_at, ends_at=net.shift.ends_at, places=2
        )
    assert page() <= few


# --- The database's guarantee (PostgreSQL) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overfill_a_shift():
    require_postgres()
    net = build_network()
    people = []
    for index in range(6):
        person = UserFactory(username=f"racer_{index}")
        services.profile_save(user=person)
        people.append(person)

    def work(index):
        return services.shift_signup(user=people[index], shift=net.shift)

    results, errors = race(work, len(people))
    assert len(results) == 2
    assert len(errors) == 4 and all(isinstance(e, ValidationError) for e in errors), errors
    assert ShiftSignup.objects.filter(shift=net.shift).count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_person_clicking_twice_at_once_gets_one_place():
    require_postgres()
    net = build_network()
    shift = make_shift(net.coordinator, net.role, places=5)

    results, errors = race(lambda _i: services.shift_signup(user=net.volunteer, shift=shift), 2)
    assert len(results) == 1 and len(errors) == 1
    assert ShiftSignup.objects.filter(shift=shift).count() == 1
