"""The whole story through the services: apply → (edit) → approve → invite → accept → leave,
and the rejection path with the reviewer's reasons."""

import re

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notification
from partners import selectors
from partners.models import Invitation, Membership, PartnerPage
from partners.services import (
    invitation_accept,
    invitation_create,
    membership_leave,
    organization_apply,
    organization_approve,
    organization_reject,
    organization_update,
)
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.partners.helpers import png_upload
from tests.utils import editor

pytestmark = pytest.mark.django_db


def _fresh(user):
    # Django and guardian cache permissions on the user object.
    return get_user_model().objects.get(pk=user.pk)


def test_apply_approve_invite_accept_leave(mailoutbox, django_capture_on_commit_callbacks):
    applicant = UserFactory(first_name="Núria", last_name="Puig")
    region = Region.objects.create(name="Gironès", slug="girones")
    sector = Sector.objects.create(name="Youth", slug="youth")
    sdgs = list(SustainableDevelopmentGoal.objects.filter(number__in=[4, 10]))

    with django_capture_on_commit_callbacks(execute=True):
        organization = organization_apply(
            user=applicant,
            title="Associació Joves Girona",
            kind="ngo",
            summary="Youth work in Girona.",
            region=region,
            city="Girona",
            sectors=[sector],
            sdgs=sdgs,
            offers=["youth work", "volunteers"],
            seeks=["digital skills"],
            contact_email="hola@joves.example.org",
            logo_file=png_upload(),
        )
    assert not organization.live
    assert organization.logo is not None and organization.logo.file.name.endswith(".png")
    assert selectors.organization_review_states([organization]) == {
        organization.pk: selectors.AWAITING_REVIEW
    }
    assert Membership.objects.get(organization=organization, user=applicant).role == "admin"
    assert selectors.can_edit_organization(_fresh(applicant), organization)
    # Moderators are told by Wagtail; nothing is sent to the applicant yet.
    assert not Notification.objects.filter(user=applicant).exists()

    organization = organization_update(
        organization=organization, user=applicant, summary="Youth work in Girona and Salt."
    )
    assert not organization.live
    assert organization.get_latest_revision_as_object().summary == "Youth work in Girona and Salt."
    assert selectors.organization_review_states([organization])[organization.pk] == (
        selectors.AWAITING_REVIEW
    )

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organization = organization_approve(organization=organization, user=editor())
    assert organization.live
    assert organization.summary == "Youth work in Girona and Salt."  # the latest draft
    assert sorted(t.name for t in organization.offers.all()) == ["volunteers", "youth work"]
    approved = Notification.objects.get(user=applicant, kind="partners.organization_approved")
    assert "Associació Joves Girona" in approved.title
    assert any(
        m.to == [applicant.email] and "Associació Joves Girona" in m.subject for m in mailoutbox
    )

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization,
            email="Jan.Roca@Example.org",
            role="member",
            invited_by=_fresh(applicant),
        )
    assert invitation.email == "jan.roca@example.org"
    [mail] = mailoutbox
    assert mail.to == ["jan.roca@example.org"]
    assert "Associació Joves Girona" in mail.subject
    token = re.search(r"/portal/organizations/invitations/([^/\s]+)/", mail.body).group(1)

    colleague = UserFactory(username="jan", email="jan.roca@example.org")
    membership = invitation_accept(token=token, user=colleague)
    assert membership.role == "member"
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague and invitation.accepted_at
    colleague = _fresh(colleague)
    assert colleague.has_perm("partners.view_partner_draft", organization)
    assert not selectors.can_edit_organization(colleague, organization)
    assert Notification.objects.filter(
        user=applicant, kind="partners.invitation_accepted"
    ).exists()

    membership_leave(organization=organization, user=colleague)
    colleague = _fresh(colleague)
    assert not Membership.objects.filter(organization=organization, user=colleague).exists()
    assert not colleague.has_perm("partners.view_partner_draft", organization)
    assert not colleague.groups.exists()


def test_rejection_tells_the_applicant_why_and_an_edit_resubmits(
    mailoutbox, django_capture_on_commit_callbacks
):
    applicant = UserFactory()
    organization = organization_apply(
        user=applicant, title="Fundació Esborrany", kind="foundation"
    )
    reviewer = editor()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organization_reject(
            organization=organization,
            user=reviewer,
            comment="Please describe what the foundation does.",
        )
    notification = Notification.objects.get(
        user=applicant, kind="partners.organization_changes_requested"
    )
    assert "Please describe what the foundation does." in notification.body
    assert any(
        m.to == [applicant.email] and "Please describe what the foundation does." in m.body
        for m in mailoutbox
    )
    organization = PartnerPage.objects.get(pk=organization.pk)
    assert selectors.organization_review_states([organization])[organization.pk] == (
        selectors.CHANGES_REQUESTED
    )
    assert selectors.organization_review_comment(organization) == (
        "Please describe what the foundation does."
    )

    organization = organization_update(
        organization=organization, user=applicant, summary="Grants for social housing."
    )
    assert selectors.organization_review_states([organization])[organization.pk] == (
        selectors.AWAITING_REVIEW
    )
    organization = organization_approve(organization=organization, user=reviewer)
    assert organization.live and organization.summary == "Grants for social housing."


def test_approval_notifies_once_even_when_republished(django_capture_on_commit_callbacks):
    applicant = UserFactory()
    organization = organization_apply(
        user=applicant, title="Cooperativa Única", kind="cooperative"
    )
    with django_capture_on_commit_callbacks(execute=True):
        organization = organization_approve(organization=organization, user=editor())
        organization_update(organization=organization, user=applicant, summary="Again")
    assert (
        Notification.objects.filter(user=applicant, kind="partners.organization_approved").count()
        == 1
    )


def test_invitation_as_admin_grants_member_management(django_capture_on_commit_callbacks):
    admin = UserFactory()
    organization = organization_approve(
        organization=organization_apply(user=admin, title="Fundació Dos Admins"), user=editor()
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization, email="second@example.org", role="admin", invited_by=admin
        )
    second = UserFactory(email="second@example.org")
    invitation_accept(token=selectors.invitation_token(invitation), user=second)
    assert selectors.can_manage_members(_fresh(second), organization)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at


def test_invitee_with_an_account_signs_in_then_joins(client):
    from django.urls import reverse

    admin = UserFactory()
    organization = organization_approve(
        organization=organization_apply(user=admin, title="Fundació Acollidora"), user=editor()
    )
    invitation = invitation_create(
        organization=organization, email="known@example.org", invited_by=admin
    )
    url = reverse(
        "portal:organization_invitation_accept", args=[selectors.invitation_token(invitation)]
    )
    anonymous = client.get(url)
    html = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "You are invited to join <strong>Fundació Acollidora</strong> as member." in html
    assert f"{reverse('account_login')}?next={url.replace(':', '%3A')}" in html

    client.force_login(UserFactory(email="known@example.org"))
    signed_in = client.get(url)
    assert signed_in.status_code == 200
    assert "Join Fundació Acollidora" in signed_in.content.decode()
    assert not organization.memberships.filter(user__email="known@example.org").exists()
    joined = client.post(url)
    assert joined.status_code == 302
    assert joined.url == reverse("portal:organization_manage", args=[organization.pk])
    assert organization.memberships.get(user__email="known@example.org").role == "member"
