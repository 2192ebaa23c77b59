"""Reads about organizations: who may see or do what, the directory, the portal's lists."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from core.roles import is_editor

from .models import (
    Invitation,
    Membership,
    PartnerCapability,
    PartnerPage,
    organization_name_key,
)

INVITATION_MAX_AGE = timedelta(days=7)
INVITATION_SALT = "partners.invitation"

# --- Permissions ---------------------------------------------------------------------------


def organization_ids_administered(user):
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organization_id", flat=True
        )
    )


def organization_ids_of_user(user):
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def can_view_organization(user, organization):
    """Published: anyone. Draft: its members and admins, editors and superusers."""
    if organization.live:
        return True
    return is_editor(user) or user.has_perm("partners.view_partner_draft", organization)


def can_edit_organization(user, organization):
    return is_editor(user) or user.has_perm("partners.change_partner_profile", organization)


def can_manage_members(user, organization):
    """Its admins and superusers; editors curate content, not people."""
    return user.has_perm("partners.manage_partner_members", organization)


def can_propose_project(user, organization):
    return is_editor(user) or user.has_perm("partners.propose_project", organization)


@dataclass(frozen=True)
class OrganizationAccess:
    """What one person may do with one organization, worked out with one permission lookup."""

    view: bool  # see it at all (published, or a draft they may see)
    see_drafts: bool  # its unpublished versions: members, admins, editors, superusers
    member: bool  # in the organization (any role)
    edit: bool  # its profile: admins, editors, superusers
    manage_members: bool  # invite, remove, change roles: admins, superusers


def organization_access(user, organization):
    if not user.is_authenticated:
        live = organization.live
        return OrganizationAccess(live, False, False, False, False)
    from guardian.core import ObjectPermissionChecker

    perms = set(ObjectPermissionChecker(user).get_perms(organization))
    editor = is_editor(user)
    see_drafts = editor or "view_partner_draft" in perms
    member = Membership.objects.filter(user=user, organization=organization).exists()
    return OrganizationAccess(
        view=organization.live or see_drafts,
        see_drafts=see_drafts,
        member=member,
        edit=editor or "change_partner_profile" in perms,
        manage_members="manage_partner_members" in perms,
    )


ACTIVITY_PAGE_SIZE = 25


def organization_activity(organization):
    """The organization's audit trail, newest first: its own page's log (profile versions,
    review, people, invitations) and what other pages' entries say about it (projects).

    Each entry's message is built from its own ``data`` (``core.audit``), so a page of
    entries costs one query whatever it shows.
    """
    from core.audit import audit_entries_about_organization

    return (
        audit_entries_about_organization(organization.pk)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def organization_name_taken(title, exclude_pk=None):
    """Whether another organization already has this name, ignoring case and accents."""
    key = organization_name_key(title)
    if not key:
        return False
    qs = PartnerPage.objects.filter(name_key=key)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


# --- Review state --------------------------------------------------------------------------

PUBLISHED = "published"
AWAITING_REVIEW = "awaiting_review"
CHANGES_REQUESTED = "changes_requested"
DRAFT = "draft"


def organization_review_states(organizations):
    """{organization pk: one of PUBLISHED, AWAITING_REVIEW, CHANGES_REQUESTED, DRAFT}: 1 query."""
    organizations = list(organizations)
    states = {o.pk: PUBLISHED if o.live else DRAFT for o in organizations}
    drafts = [str(o.pk) for o in organizations if not o.live]
    if drafts:
        active = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=drafts,
            status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        ).values_list("object_id", "status")
        for object_id, status in active:
            states[int(object_id)] = (
                AWAITING_REVIEW
                if status == WorkflowState.STATUS_IN_PROGRESS
                else CHANGES_REQUESTED
            )
    return states


def organization_review_comment(organization):
    """The reviewer's last comment when they asked for changes, else ""."""
    state = organization.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES and state.current_task_state:
        return state.current_task_state.comment
    return ""


def organizations_awaiting_review():
    """Applications an editor has to look at, oldest first (the admin's dashboard panel)."""
    waiting = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        content_type=ContentType.objects.get_for_model(PartnerPage),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    started = dict(waiting.values_list("object_id", "created_at"))
    organizations = list(
        PartnerPage.objects.filter(pk__in=[int(pk) for pk in started]).select_related("applicant")
    )
    for organization in organizations:
        organization.submitted_at = started[str(organization.pk)]
    return sorted(organizations, key=lambda o: o.submitted_at)


# --- The portal ----------------------------------------------------------------------------


def memberships_of_user(user):
    """The signed-in person's memberships, each with ``review_state`` on its organization."""
    if not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__title")
    )
    states = organization_review_states(m.organization for m in memberships)
    for membership in memberships:
        membership.organization.review_state = states[membership.organization_id]
    return memberships


def organization_members(organization):
    return list(
        organization.memberships.select_related("user").order_by(
            "role", "user__first_name", "user__last_name", "user__username"
        )
    )


def organization_invitations_pending(organization):
    return list(
        organization.invitations.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
            created_at__gte=timezone.now() - INVITATION_MAX_AGE,
        ).select_related("invited_by")
    )


def user_emails(user):
    """Every address the person has shown they own (their verified ones, and their login one)."""
    from allauth.account.models import EmailAddress

    emails = set(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    if user.email:
        emails.add(user.email)
    return {email.lower() for email in emails}


def user_has_email(user, email):
    return user.is_authenticated and email.lower() in user_emails(user)


def email_is_member(organization, email):
    from allauth.account.models import EmailAddress

    email = email.lower()
    return organization.memberships.filter(
        Q(user__email__iexact=email)
        | Q(user__in=EmailAddress.objects.filter(email__iexact=email).values("user"))
    ).exists()


def account_for_email(email):
    """The account an address belongs to (its main address or a confirmed one), or None."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    confirmed = EmailAddress.objects.filter(email__iexact=email, verified=True)
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(pk__in=confirmed.values("user")))
        .order_by("pk")
        .first()
    )


def invitations_for_user(user):
    """Pending, unexpired invitations to the person's addresses, from organizations they are
    not in yet, each with its ``accept_url``."""
    if not user.is_authenticated:
        return []
    invitations = list(
        Invitation.objects.filter(
            email__in=user_emails(user),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
            created_at__gte=timezone.now() - INVITATION_MAX_AGE,
        )
        .exclude(organization__memberships__user=user)
        .select_related("organization", "invited_by")
    )
    for invitation in invitations:
        invitation.accept_url = invitation_url(invitation)
        invitation.decline_url = invitation_url(invitation, "organization_invitation_decline")
    return invitations


# --- Invitation links ----------------------------------------------------------------------


def _signer():
    return signing.TimestampSigner(salt=INVITATION_SALT)


def invitation_token(invitation):
    """The signed token of an invitation's link: it names the invitation and its address."""
    return _signer().sign_object({"i": invitation.pk, "e": invitation.email})


def invitation_url(invitation, name="organization_invitation_accept"):
    from django.urls import reverse

    return reverse(f"portal:{name}", args=[invitation_token(invitation)])


def invitation_read(token):
    """The invitation a token names, or a ValidationError saying why the link is no good."""
    expired = ValidationError(
        _("This invitation has expired. Ask the organization's admin to send a new one."),
        code="expired",
    )
    forged = ValidationError(
        _("This invitation link is not valid. Check that you copied the whole link."),
        code="forged",
    )
    try:
        data = _signer().unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise expired from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise forged from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise forged
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=data["i"], email=data.get("e"))
        .first()
    )
    if invitation is None:
        raise forged
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at:
        raise ValidationError(
            _("This invitation was withdrawn. Ask the organization's admin for a new one."),
            code="revoked",
        )
    if invitation.declined_at:
        raise ValidationError(
            _(
                "This invitation was declined. If you changed your mind, ask the "
                "organization's admin for a new one."
            ),
            code="declined",
        )
    # The link of a re-sent invitation is newer than the invitation: its age is what counts.
    if invitation.created_at < timezone.now() - INVITATION_MAX_AGE:
        raise expired
    return invitation


# Apps above partners that store capability codes register ``fn(term) -> bool`` (in use)
# under this hook, e.g. opportunities' partner-search posts.
TERM_USERS_HOOK = "capability_term_in_use"


def capability_term_in_use(term):
    """Whether an organization has ``term`` in its published profile or in a draft of it, or
    something of another app (a partner-search post) names it."""
    from wagtail import hooks

    if PartnerCapability.objects.filter(facet=term.facet, value=term.code).exists():
        return True
    if any(in_use(term) for in_use in hooks.get_hooks(TERM_USERS_HOOK)):
        return True
    drafts = PartnerPage.objects.filter(
        has_unpublished_changes=True, latest_revision__isnull=False
    ).select_related("latest_revision")
    return any(
        item.get("facet") == term.facet and item.get("value") == term.code
        for draft in drafts
        for item in draft.latest_revision.content.get("capabilities") or []
    )
