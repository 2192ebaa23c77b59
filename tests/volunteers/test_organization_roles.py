"""Roles a partner organization publishes itself, with no project: its admins offer, edit and
coordinate them (shifts, screening, agreement, requirements, hours) exactly as a project's
coordinators do for a project's role; its plain members, other organizations' admins,
outsiders, editors and anonymous visitors may not. Their news goes to the organization's
admins, their audit trail to its page, their hours count for the organization (never for a
project, nor for a project's impact map)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from notifications.models import Notification
from partners.models import Membership, PartnerPage
from partners.services import membership_add, membership_leave
from tests.factories import UserFactory
from tests.utils import approved_organization, editor
from volunteers import audit, selectors, services
from volunteers.models import HoursLog, Requirement, Role, Shift, ShiftSignup
from volunteers.wagtail_hooks import verified_volunteer_hours

from .conftest import make_shift


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def org(net):
    """An organization with an admin and a plain member; another organization's admin."""
    admin = UserFactory(username="o_admin")
    organization = approved_organization(admin=admin, title="Volunteer Centre")
    member = UserFactory(username="o_member")
    membership_add(organization=organization, user=member)
    other_admin = UserFactory(username="o_other_admin")
    approved_organization(admin=other_admin, title="Another Org")
    return organization, admin, member, other_admin


@pytest.fixture
def org_role(org):
    organization, admin, _member, _other = org
    role = services.role_create(user=admin, organization=organization, title="Fair welcome desk")
    return role


def org_worked(org_role, admin, volunteer, hours="2", days_ago=1):
    shift = make_shift(admin, org_role)
    services.shift_signup(user=volunteer, shift=shift)
    return services.hours_log(
        user=volunteer,
        role=org_role,
        day=timezone.localdate() - timedelta(days=days_ago),
        hours=Decimal(hours),
    )


# --- The model ----------------------------------------------------------------------------------


def test_a_role_has_exactly_one_publisher(net, org):
    organization = org[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(title="Both", project=net.project, organization=organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(title="Neither")
    with pytest.raises(ValidationError):
        services.role_create(
            user=net.coordinator, project=net.project, organization=organization, title="Both"
        )


def test_an_organization_role_has_the_organization_as_publisher(org_role, org):
    assert org_role.project is None
    assert org_role.publisher == org[0]
    assert list(org[0].volunteer_roles.all()) == [org_role]


# --- Creating and editing ------------------------------------------------------------------------


def test_org_admin_offers_a_role_from_the_portal_permitted(org):
    organization, admin, _member, _other = org
    requirement = Requirement.objects.create(name="Training")
    url = reverse("volunteers:organization_role_create", args=[organization.pk])
    response = client_for(admin).get(url)
    assert response.status_code == 200
    assert "Volunteer Centre" in response.content.decode()
    response = client_for(admin).post(
        url,
        {
            "title": "Fair welcome desk",
            "open": "on",
            "screening": "on",
            "agreement": "The terms",
            "requirements": [requirement.pk],
        },
    )
    role = Role.objects.get(title="Fair welcome desk")
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:shift_create", args=[role.pk])
    assert role.organization == organization and role.project is None
    assert role.screening and list(role.requirements.all()) == [requirement]


def test_bad_input_keeps_what_was_typed_and_stores_nothing(org):
    organization, admin, _member, _other = org
    response = client_for(admin).post(
        reverse("volunteers:organization_role_create", args=[organization.pk]),
        {"title": "Mentor", "screening": "on", "agreement": ""},
    )
    assert response.status_code == 200
    assert "Write the agreement" in response.content.decode()
    assert 'value="Mentor"' in response.content.decode()
    assert not Role.objects.filter(title="Mentor").exists()


@pytest.mark.parametrize("who", ["member", "other_admin", "outsider", "editor", "coordinator"])
def test_others_cannot_offer_an_organization_role_denied(net, org, who):
    organization, _admin, member, other_admin = org
    user = {
        "member": member,
        "other_admin": other_admin,
        "outsider": UserFactory(username="o_outsider"),
        "editor": editor(),
        "coordinator": net.coordinator,
    }[who]
    url = reverse("volunteers:organization_role_create", args=[organization.pk])
    assert client_for(user).get(url).status_code == 403
    assert client_for(user).post(url, {"title": "Sneaky", "open": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.role_create(user=user, organization=organization, title="Sneaky")
    assert not Role.objects.filter(title="Sneaky").exists()


def test_anonymous_is_sent_to_sign_in(org, org_role):
    organization = org[0]
    for url in (
        reverse("volunteers:organization_role_create", args=[organization.pk]),
        reverse("volunteers:organization_hours_review", args=[organization.pk]),
        reverse("volunteers:organization_hours_export", args=[organization.pk]),
        reverse("volunteers:role_edit", args=[org_role.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")


def test_a_missing_organization_is_not_found(org):
    admin = org[1]
    url = reverse("volunteers:organization_role_create", args=[999999])
    assert client_for(admin).get(url).status_code == 404


def test_org_admin_edits_the_role_permitted(org, org_role):
    admin = org[1]
    url = reverse("volunteers:role_edit", args=[org_role.pk])
    assert client_for(admin).get(url).status_code == 200
    response = client_for(admin).post(url, {"title": "Stand helper", "remote": "on"})
    assert response.status_code == 302
    org_role.refresh_from_db()
    assert org_role.title == "Stand helper" and org_role.remote and not org_role.open
    assert org_role.organization == org[0]


def test_project_coordinator_edits_a_project_role_permitted(net):
    url = reverse("volunteers:role_edit", args=[net.role.pk])
    response = client_for(net.coordinator).post(url, {"title": "Maths club", "open": "on"})
    assert response.status_code == 302
    net.role.refresh_from_db()
    assert net.role.title == "Maths club" and net.role.project == net.project


@pytest.mark.parametrize("who", ["member", "other_admin", "editor", "coordinator", "volunteer"])
def test_others_cannot_edit_an_organization_role_denied(net, org, org_role, who):
    _organization, _admin, member, other_admin = org
    user = {
        "member": member,
        "other_admin": other_admin,
        "editor": editor(),
        "coordinator": net.coordinator,
        "volunteer": net.volunteer,
    }[who]
    url = reverse("volunteers:role_edit", args=[org_role.pk])
    assert client_for(user).get(url).status_code == 403
    assert client_for(user).post(url, {"title": "Changed"}).status_code == 403
    org_role.refresh_from_db()
    assert org_role.title == "Fair welcome desk"


def test_project_role_edit_denied_to_an_organization_admin(net, org):
    url = reverse("volunteers:role_edit", args=[net.role.pk])
    assert client_for(org[1]).post(url, {"title": "Changed"}).status_code == 403


def test_requirements_need_screening_on_edit_too(org, org_role):
    requirement = Requirement.objects.create(name="Training")
    with pytest.raises(ValidationError):
        services.role_update(
            user=org[1], role=org_role, title="Desk", requirements=[requirement], open=True
        )
    org_role.refresh_from_db()
    assert org_role.title == "Fair welcome desk"


# --- Shifts, screening, agreement, requirements ---------------------------------------------


def test_the_whole_path_of_a_screened_organization_role(net, org):
    organization, admin, member, _other = org
    requirement = Requirement.objects.create(name="Certificate")
    role = services.role_create(
        user=admin,
        organization=organization,
        title="Child mentor",
        screening=True,
        agreement="Terms of the organization",
        requirements=[requirement],
    )
    shift = make_shift(admin, role)
    # The plain member adds no shift.
    with pytest.raises(PermissionDenied):
        make_shift(member, role)
    application = services.role_apply(user=net.volunteer, role=role, motivation="I care")
    # The organization's admins hear of it (never its plain members), about the organization.
    note = Notification.objects.get(kind="volunteers.new_application")
    assert note.user == admin and note.about_id == organization.pk
    with pytest.raises(PermissionDenied):
        services.application_decide(user=member, application=application, decision="accept")
    services.application_decide(user=admin, application=application, decision="accept")
    services.agreement_accept(user=net.volunteer, application=application, accept=True)
    with pytest.raises(ValidationError):
        services.shift_signup(user=net.volunteer, shift=shift)
    services.requirement_record(
        user=admin,
        application=application,
        requirement=requirement,
        valid_until=timezone.localdate() + timedelta(days=100),
    )
    services.shift_signup(user=net.volunteer, shift=shift)
    # The audit trail is on the organization's page.
    actions = set(
        PageLogEntry.objects.filter(page_id=organization.pk).values_list("action", flat=True)
    )
    assert {audit.APPLICATION_DECIDED, audit.AGREEMENT_ACCEPTED} <= actions
    # The agreement names the organization.
    response = client_for(net.volunteer).get(
        reverse("volunteers:application_agreement", args=[application.pk])
    )
    assert "the organization “Volunteer Centre”" in response.content.decode()


def test_applications_page_for_org_admin_only(net, org, org_role):
    _organization, admin, member, other_admin = org
    org_role.screening, org_role.agreement = True, "Terms"
    org_role.save()
    url = reverse("volunteers:role_applications", args=[org_role.pk])
    assert client_for(admin).get(url).status_code == 200
    for user in (member, other_admin, net.coordinator, editor()):
        assert client_for(user).get(url).status_code == 403


def test_shift_create_view_for_org_admin_only(net, org, org_role):
    _organization, admin, member, other_admin = org
    url = reverse("volunteers:shift_create", args=[org_role.pk])
    assert client_for(admin).get(url).status_code == 200
    for user in (member, other_admin, net.coordinator, editor()):
        assert client_for(user).get(url).status_code == 403


# --- Directory and role page --------------------------------------------------------------------


def test_the_directory_names_the_organization_and_filters_by_it(net, org, org_role):
    organization = org[0]
    response = client_for().get(reverse("volunteers:role_list"))
    html = response.content.decode()
    assert "Fair welcome desk" in html and "Homework club helper" in html
    assert f'href="{organization.url}" class="publisher">Volunteer Centre</a>' in html
    response = client_for().get(reverse("volunteers:role_list"), {"organization": organization.pk})
    assert [role.title for role in response.context["roles"]] == ["Fair welcome desk"]
    lead = net.project.lead_organization
    response = client_for().get(reverse("volunteers:role_list"), {"organization": lead.pk})
    assert [role.title for role in response.context["roles"]] == ["Homework club helper"]


def test_a_draft_organization_role_is_hidden(org, org_role):
    organization = org[0]
    organization.unpublish()
    response = client_for().get(reverse("volunteers:role_list"))
    assert "Fair welcome desk" not in response.content.decode()
    url = reverse("volunteers:role_detail", args=[org_role.pk])
    assert client_for(UserFactory(username="o_stranger")).get(url).status_code == 404
    assert client_for(org[2]).get(url).status_code == 200


def test_the_role_page_names_the_organization(org, org_role):
    response = client_for().get(reverse("volunteers:role_detail", args=[org_role.pk]))
    html = response.content.decode()
    assert "Published by" in html and "Volunteer Centre" in html
    response = client_for(org[1]).get(reverse("volunteers:role_detail", args=[org_role.pk]))
    html = response.content.decode()
    assert reverse("volunteers:organization_hours_review", args=[org[0].pk]) in html
    assert reverse("volunteers:role_edit", args=[org_role.pk]) in html


def test_the_directory_costs_the_same_for_3_and_many_rows_with_org_roles(
    net, org, org_role, django_assert_max_num_queries
):
    organization, admin, _member, _other = org
    services.profile_save(user=net.volunteer, skills="maths")
    client = client_for(net.volunteer)
    url = reverse("volunteers:role_list")
    services.role_create(user=net.coordinator, project=net.project, title="Third")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert len(client.get(url).context["roles"]) == 3
    for n in range(15):
        services.role_create(user=admin, organization=organization, title=f"Org role {n}")
        services.role_create(user=net.coordinator, project=net.project, title=f"Role {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["roles"]) == 33
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"organization": organization.pk})
    assert len(response.context["roles"]) == 16


def test_matching_uses_the_organization_sectors(net, org, org_role):
    from taxonomy.models import Sector

    education = Sector.objects.get_or_create(name="Education", defaults={"slug": "education"})[0]
    organization = org[0]
    PartnerPage.sectors.through.objects.create(partnerpage=organization, sector=education)
    services.profile_save(user=net.volunteer, sectors=[education])
    roles = selectors.explain_matches(selectors.profile_of(net.volunteer), selectors.role_list())
    mine = next(role for role in roles if role.pk == org_role.pk)
    assert mine.matched_sectors == [education.localized_name]
    response = client_for().get(reverse("volunteers:role_list"), {"sector": education.pk})
    assert [role.title for role in response.context["roles"]] == ["Fair welcome desk"]


# --- Hours ----------------------------------------------------------------------------------


def test_org_admin_reviews_and_verifies_hours_permitted(net, org, org_role):
    organization, admin, _member, _other = org
    entry = org_worked(org_role, admin, net.volunteer)
    url = reverse("volunteers:organization_hours_review", args=[organization.pk])
    response = client_for(admin).get(url)
    assert response.status_code == 200
    assert [e.pk for e in response.context["entries"]] == [entry.pk]
    response = client_for(admin).post(
        reverse("volunteers:hours_decide", args=[entry.pk, "verify"])
    )
    assert response["Location"] == url
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED
    assert PageLogEntry.objects.filter(page_id=organization.pk, action=audit.VERIFIED).exists()
    note = Notification.objects.get(user=net.volunteer, kind="volunteers.hours_verified")
    assert "Volunteer Centre" in note.title and note.about_id == organization.pk


@pytest.mark.parametrize("who", ["member", "other_admin", "coordinator", "editor"])
def test_others_cannot_review_or_decide_org_hours_denied(net, org, org_role, who):
    organization, admin, member, other_admin = org
    user = {
        "member": member,
        "other_admin": other_admin,
        "coordinator": net.coordinator,
        "editor": editor(),
    }[who]
    entry = org_worked(org_role, admin, net.volunteer)
    for name in ("organization_hours_review", "organization_hours_export"):
        url = reverse(f"volunteers:{name}", args=[organization.pk])
        assert client_for(user).get(url).status_code == 403
    response = client_for(user).post(reverse("volunteers:hours_decide", args=[entry.pk, "verify"]))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING


def test_a_project_review_queue_holds_no_organization_hours(net, org, org_role):
    org_worked(org_role, org[1], net.volunteer)
    assert not selectors.hours_pending_for_project(net.project).exists()
    assert selectors.hours_pending_for_project(org[0]).count() == 1


def test_verified_org_hours_count_for_the_organization_not_for_a_project(net, org, org_role):
    organization, admin, _member, _other = org
    entry = org_worked(org_role, admin, net.volunteer, hours="3")
    services.hours_decide(user=admin, entry=entry, verify=True)
    # The volunteer's certificate names the organization.
    rows, total = selectors.verified_totals(net.volunteer)
    assert rows == [{"project_title": "Volunteer Centre", "total": Decimal("3")}]
    assert total == Decimal("3")
    response = client_for(net.volunteer).get(reverse("volunteers:certificate"))
    assert "Volunteer Centre" in response.content.decode()
    pdf = client_for(net.volunteer).get(reverse("volunteers:certificate_pdf")).content
    assert b"Volunteer Centre" in pdf
    # By organization (the admin's totals), not by project.
    assert selectors.project_totals(admin) == []
    by_org = selectors.organization_totals(admin)
    assert [(r["organization_title"], r["total"], r["projects"]) for r in by_org] == [
        ("Volunteer Centre", Decimal("3"), 0)
    ]
    # By volunteer, in a period.
    assert [r["total"] for r in selectors.volunteer_totals(organization)] == [Decimal("3")]
    assert selectors.volunteer_totals(organization, start=timezone.localdate()) == []
    # The project's SROI suggestions do not take them.
    assert verified_volunteer_hours(net.project) == []
    assert selectors.project_verified_hours_by_year(net.project) == []
    # The coordinator of a project sees nothing of them.
    assert selectors.organization_totals(net.coordinator) == []


def test_org_totals_csv_and_export(net, org, org_role):
    organization, admin, _member, _other = org
    entry = org_worked(org_role, admin, net.volunteer, hours="2.5")
    services.hours_decide(user=admin, entry=entry, verify=True)
    response = client_for(admin).get(
        reverse("volunteers:organization_hours_export", args=[organization.pk])
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "organization"
    assert rows[1][:2] == ["Volunteer Centre", "v_volunteer"]
    assert Decimal(rows[1][3]) == Decimal("2.5")
    response = client_for(admin).get(
        reverse("volunteers:hours_totals"), {"by": "organization", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == [str(organization.pk), "Volunteer Centre"]
    assert Decimal(rows[1][2]) == Decimal("2.5")
    page = client_for(admin).get(reverse("volunteers:hours_totals")).content.decode()
    assert "Volunteer Centre" in page


def test_the_org_review_page_costs_the_same_for_3_and_many_entries(
    net, org, org_role, django_assert_max_num_queries
):
    organization, admin, _member, _other = org
    shift = make_shift(admin, org_role, places=40)
    people = [UserFactory(username=f"o_vol_{n}") for n in range(25)]

    def log(person):
        services.profile_save(user=person)
        services.shift_signup(user=person, shift=shift)
        services.hours_log(
            user=person, role=org_role, day=timezone.localdate(), hours=Decimal("1")
        )

    for person in people[:3]:
        log(person)
    url = reverse("volunteers:organization_hours_review", args=[organization.pk])
    client = client_for(admin)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert len(client.get(url).context["entries"]) == 3
    for person in people[3:]:
        log(person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["entries"]) == 25


def test_hours_mine_and_personal_data_name_the_organization(net, org, org_role):
    entry = org_worked(org_role, org[1], net.volunteer)
    response = client_for(net.volunteer).get(reverse("volunteers:hours_mine"))
    assert "Volunteer Centre" in response.content.decode()
    data = selectors.personal_data(net.volunteer)
    assert data["shifts"][0]["organization"] == "Volunteer Centre"
    assert data["shifts"][0]["project"] == ""
    assert data["hours"][0]["organization"] == "Volunteer Centre"
    assert entry.pk


def test_the_organization_contact_shows_the_hours_on_its_own_roles(net, org, org_role):
    org_worked(org_role, org[1], net.volunteer)
    rows = list(selectors.person_hours_with(net.volunteer.pk, org[0].pk))
    assert len(rows) == 1 and rows[0].role == org_role


def test_the_dashboard_panel_shows_the_admins_organizations(net, org, org_role):
    organization, admin, member, _other = org
    org_worked(org_role, admin, net.volunteer)
    html = client_for(admin).get("/portal/").content.decode()
    assert reverse("volunteers:organization_role_create", args=[organization.pk]) in html
    assert "1 entry of hours to verify" in html
    html = client_for(member).get("/portal/").content.decode()
    assert reverse("volunteers:organization_role_create", args=[organization.pk]) not in html


# --- Leaving and ending ---------------------------------------------------------------------


def test_an_admin_who_leaves_no_longer_coordinates_its_roles(net, org, org_role):
    organization, admin, _member, _other = org
    second = UserFactory(username="o_second_admin")
    membership_add(organization=organization, user=second, role=Membership.Role.ADMIN)
    entry = org_worked(org_role, admin, net.volunteer)
    membership_leave(organization=organization, user=admin)
    assert not selectors.can_coordinate_role(admin, org_role)
    url = reverse("volunteers:organization_hours_review", args=[organization.pk])
    assert client_for(admin).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.hours_decide(user=admin, entry=entry, verify=True)
    # The admin who stays takes over, and hears of new applications alone.
    services.hours_decide(user=second, entry=entry, verify=True)
    assert selectors.role_managers(org_role) == [second]


def test_a_deleted_organization_takes_its_roles_shifts_and_places(net, org, org_role):
    organization = org[0]
    org_worked(org_role, org[1], net.volunteer)
    organization.delete()
    assert not Role.objects.filter(pk=org_role.pk).exists()
    assert not Shift.objects.filter(role_id=org_role.pk).exists()
    assert not ShiftSignup.objects.filter(shift__role_id=org_role.pk).exists()
    assert not HoursLog.objects.filter(role_id=org_role.pk).exists()
    # The project's roles stay.
    assert Role.objects.filter(pk=net.role.pk).exists()


def test_the_organizations_page_leads_its_admins_to_its_volunteer_roles(org):
    """The organization's own page links its admins (not its plain members) to offering a
    role and to the hours waiting for them."""
    organization, admin, member, _other = org
    manage = reverse("portal:organization_manage", args=[organization.pk])
    offer = reverse("volunteers:organization_role_create", args=[organization.pk])
    hours = reverse("volunteers:organization_hours_review", args=[organization.pk])
    page = client_for(admin).get(manage).content.decode()
    assert offer in page and hours in page
    page = client_for(member).get(manage).content.decode()
    assert offer not in page and hours not in page
