"""Every write that matters for organizations: apply, edit, review, memberships, invitations.

Views, Wagtail hooks and other apps call these; they check who is asking, validate, write in one
transaction, grant permissions through ``partners.permissions`` and tell people what happened
(``notifications.services``) once the transaction commits. Each refusal is a ``ValidationError``
(bad input) or ``PermissionDenied`` (not allowed) raised before anything is written.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, WorkflowState

from core.audit import audit_record
from core.roles import EDITORS_GROUP
from notifications.mail import mail_queue
from notifications.selectors import language_known
from notifications.services import notification_create, notification_create_many
from taxonomy.notification_kinds import TAG_PROPOSED
from taxonomy.services import tags_assign

from . import audit, capabilities, notification_kinds, permissions, selectors
from .models import Invitation, Membership, PartnerCapability, PartnerIndexPage, PartnerPage
from .signals import membership_ended
from .uploads import logo_image_create, logo_validate

# Fields a profile form may change; anything else (tree fields, applicant) is not the user's.
PROFILE_FIELDS = (
    "title",
    "kind",
    "summary",
    "description",
    "region",
    "city",
    "website",
    "contact_email",
    "original_language",
    "text_translations",
    "staff_band",
    "volunteer_band",
)
PROFILE_M2M = ("sectors", "sdgs", "offers", "seeks", "territories")


def _set_capabilities(organization, chosen):
    """``chosen``: {facet: codes} for the facets of ``partners.capabilities``; a facet left out
    keeps its values. A code no term has, or a retired term the organization does not already
    have, is refused with nothing changed; a retired term it has is kept if chosen again."""
    errors = {}
    had = {(row.facet, row.value) for row in organization.capabilities.all()}
    for facet, values in chosen.items():
        if facet not in capabilities.FACETS:
            raise TypeError(f"not a capability facet: {facet}")
        for value in values:
            found = capabilities.term(facet, value)
            if found is None:
                errors[facet] = _("“%(value)s” is not in the list.") % {"value": value}
                break
            if found.retired and (facet, value) not in had:
                errors[facet] = _(
                    "“%(name)s” is no longer offered; choose another one from the list."
                ) % {"name": found.label}
                break
    if errors:
        raise ValidationError(errors)
    kept = [row for row in organization.capabilities.all() if row.facet not in chosen]
    organization.capabilities = kept + [
        PartnerCapability(facet=facet, value=value)
        for facet, values in chosen.items()
        for value in dict.fromkeys(values)
    ]


def _set_profile(organization, fields, *, by):
    unknown = set(fields) - set(PROFILE_FIELDS) - set(PROFILE_M2M) - {"logo", "capabilities"}
    if unknown:
        raise TypeError(f"not profile fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        if key == "capabilities":
            _set_capabilities(organization, value)
        elif key in ("offers", "seeks"):
            # A name no tag has yet becomes a tag proposed by ``by`` for editors to review.
            tags_assign(getattr(organization, key), value, by=by)
        elif key in PROFILE_M2M:
            getattr(organization, key).set(list(value))
        else:
            setattr(organization, key, value)


def _logo_title(organization):
    return _("Logo of %(organization)s") % {"organization": organization.title}


@transaction.atomic
def organization_apply(*, user, title, submit=True, logo_file=None, **fields):
    """Create a draft PartnerPage for ``user``'s organization and submit it for review.

    The applicant becomes the organization's admin at once, so they can keep editing the
    draft; the organization is public only once an editor approves it. ``logo_file`` is an
    uploaded file (checked here); ``logo`` may instead name an existing Wagtail image.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to register an organization."))
    if logo_file is not None:
        try:
            logo_validate(logo_file)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from None
    index = PartnerIndexPage.objects.get(locale=Locale.get_default())
    organization = PartnerPage(
        title=title,
        slug=find_available_slug(index, slugify(title)[:70] or "organization"),
        live=False,
        applicant=user,
        owner=user,
    )
    _set_profile(organization, fields, by=user)
    # Wagtail validates little when it saves a draft: validate all now (a bad kind, a
    # duplicate name…), before anything is written; this also sets name_key.
    organization.full_clean(exclude=["path", "depth", "url_path", "content_type"])
    if logo_file is not None:
        organization.logo = logo_image_create(
            file=logo_file, title=_logo_title(organization), slug=organization.slug, user=user
        )
    index.add_child(instance=organization)
    organization.save_revision(user=user, log_action=True)
    membership_add(organization=organization, user=user, role=Membership.Role.ADMIN, by=user)
    if submit:
        workflow = organization.get_workflow()
        if workflow:
            workflow.start(organization, user)
    return organization


@transaction.atomic
def organization_update(*, organization, user, logo_file=None, remove_logo=False, **fields):
    """Save a new revision of the profile: published at once if the organization is approved.

    While the organization awaits review the revision stays a draft (the reviewer approves the
    latest one); if the reviewer asked for changes, saving sends it back for review. Editors
    see every revision in the Wagtail admin and can revert.
    """
    if not selectors.can_edit_organization(user, organization):
        raise PermissionDenied(_("You cannot edit this organization's profile."))
    if logo_file is not None:
        try:
            logo_validate(logo_file)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from None
    # Start from the latest revision so an editor's unpublished draft is not lost.
    page = organization.get_latest_revision_as_object()
    _set_profile(page, fields, by=user)
    if remove_logo:
        page.logo = None
    # Validate before storing any file, so a refusal leaves nothing behind.
    page.full_clean()
    if logo_file is not None:
        page.logo = logo_image_create(
            file=logo_file, title=_logo_title(page), slug=page.slug, user=user
        )
    if not page.live:
        # Like Wagtail's editor: a never-published page keeps its row in step with the draft.
        page.save(clean=False)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if page.live:
        # The portal decided with guardian above; Wagtail's own page permissions are the
        # admin's business (the organization's people are not Wagtail editors).
        revision.publish(user=user, log_action=True, skip_permission_checks=True)
    else:
        state = page.current_workflow_state
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
        elif state is None:
            workflow = page.get_workflow()
            if workflow:
                workflow.start(page, user)
    return PartnerPage.objects.get(pk=organization.pk)


@transaction.atomic
def organization_approve(*, organization, user, comment=""):
    """Approve the organization's pending review (or publish it directly if none is pending)."""
    state = organization.current_workflow_state
    if state and state.current_task_state:
        state.current_task_state.approve(user=user, comment=comment)
    else:
        organization.get_latest_revision().publish(user=user)
    organization.refresh_from_db()
    return organization


@transaction.atomic
def organization_reject(*, organization, user, comment=""):
    """Ask the applicant for changes, giving the reviewer's reasons (the admin's button)."""
    state = organization.current_workflow_state
    if not (state and state.current_task_state):
        raise ValidationError(_("This organization is not awaiting review."))
    state.current_task_state.reject(user=user, comment=comment)
    organization.refresh_from_db()
    return organization


def _admins(organization):
    return [
        m.user
        for m in organization.memberships.filter(role=Membership.Role.ADMIN).select_related("user")
    ]


def _recipients(organization):
    people = {user.pk: user for user in _admins(organization)}
    if organization.applicant_id and organization.applicant_id not in people:
        people[organization.applicant_id] = organization.applicant
    return list(people.values())


@transaction.atomic
def organization_published(*, organization):
    """Called whenever the page is published; on its first publication, tell its admins."""
    first = organization.first_published_at
    if first is None or first != organization.last_published_at:
        return
    if organization.applicant_id and organization.applicant.is_active:
        # Normally made at application; an organization an editor created has none.
        if not Membership.objects.filter(
            organization=organization, user_id=organization.applicant_id
        ).exists():
            membership_add(
                organization=organization, user=organization.applicant, role=Membership.Role.ADMIN
            )
    notification_create_many(
        users=_recipients(organization),
        kind=notification_kinds.ORGANIZATION_APPROVED,
        render=lambda: (
            _("%(organization)s is now part of the cluster")
            % {"organization": organization.title},
            _(
                "An editor approved your organization. Its profile is public in the partner "
                "directory, and you can invite your colleagues from the portal."
            ),
        ),
        url=reverse("portal:organization_manage", args=[organization.pk]),
        about=organization,
    )


@transaction.atomic
def organization_changes_requested(*, organization, comment=""):
    """Called when a reviewer rejects the application: tell the applicant and admins why."""

    def render():
        reason = comment.strip() or _("The reviewer gave no reason; reply to this e-mail to ask.")
        return (
            _("Changes requested for %(organization)s") % {"organization": organization.title},
            _(
                "An editor reviewed your application and asked for changes:\n\n%(reason)s\n\n"
                "Edit the profile in the portal; saving sends it back for review."
            )
            % {"reason": reason},
        )

    notification_create_many(
        users=_recipients(organization),
        kind=notification_kinds.ORGANIZATION_CHANGES_REQUESTED,
        render=render,
        url=reverse("portal:organization_manage", args=[organization.pk]),
        about=organization,
    )


# --- Memberships ---------------------------------------------------------------------------


def _audit(organization, action, *, by, person=None, **data):
    audit_record(organization, action, user=by, organization=organization, person=person, **data)


@transaction.atomic
def membership_add(*, organization, user, role=Membership.Role.MEMBER, by=None, invitation=None):
    """Make ``user`` a member (or admin) of ``organization``; no permission check: internal.

    ``by`` is who made it happen (for the audit trail; None: the portal itself), ``invitation``
    the invitation ``user`` accepted, if that is how they joined.
    """
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    old_role = membership.role
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    permissions.membership_grant(membership)
    if created and invitation is not None:
        _audit(
            organization,
            audit.INVITATION_ACCEPT,
            by=by,
            person=user,
            role=role,
            invitation=invitation.pk,
        )
    elif created:
        _audit(organization, audit.MEMBERSHIP_ADD, by=by, person=user, role=role)
    elif old_role != role:
        _audit(
            organization, audit.MEMBERSHIP_ROLE, by=by, person=user, role=role, old_role=old_role
        )
    return membership


def _lock_admins(organization):
    # Lock the admin rows so two admins demoting each other at once cannot leave none.
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )


def _refuse_last_admin(organization, membership, message):
    if membership.role == Membership.Role.ADMIN and _lock_admins(organization) == [membership.pk]:
        raise ValidationError(message, code="last_admin")


@transaction.atomic
def membership_change_role(*, membership, role, user):
    """An admin changes someone's role; the last admin cannot be demoted."""
    organization = membership.organization
    if not selectors.can_manage_members(user, organization):
        raise PermissionDenied(_("You cannot manage this organization's members."))
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    if role == membership.role:
        return membership
    if role != Membership.Role.ADMIN:
        _refuse_last_admin(
            organization,
            membership,
            _("An organization needs at least one admin: make someone else admin first."),
        )
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.membership_grant(membership)
    _audit(
        organization,
        audit.MEMBERSHIP_ROLE,
        by=user,
        person=membership.user,
        role=role,
        old_role=old_role,
    )
    return membership


def _end_membership(membership, *, action, by):
    organization, person = membership.organization, membership.user
    role = membership.role
    membership.delete()
    permissions.membership_revoke(user=person, organization=organization)
    _audit(organization, action, by=by, person=person, role=role)
    organization_id, user_id = organization.pk, person.pk
    by_id = by.pk if by is not None else None
    transaction.on_commit(
        lambda: membership_ended.send(
            sender=Membership, organization_id=organization_id, user_id=user_id, by_id=by_id
        )
    )


# Apps above refuse the end of a membership they depend on without this app importing them:
# each function registered for this hook takes ``organization_id`` and ``user_id`` and returns a
# message saying why not (the person is the last coordinator of a project, say) or None.
MEMBERSHIP_END_CHECKS_HOOK = "register_membership_end_checks"


def _refuse_if_needed_elsewhere(membership):
    for check in hooks.get_hooks(MEMBERSHIP_END_CHECKS_HOOK):
        message = check(organization_id=membership.organization_id, user_id=membership.user_id)
        if message:
            raise ValidationError(message, code="needed_elsewhere")


@transaction.atomic
def membership_remove(*, membership, user):
    """An admin removes someone from the organization; the last admin cannot be removed."""
    organization = membership.organization
    if not selectors.can_manage_members(user, organization):
        raise PermissionDenied(_("You cannot manage this organization's members."))
    _refuse_last_admin(
        organization,
        membership,
        _("An organization needs at least one admin: make someone else admin first."),
    )
    _refuse_if_needed_elsewhere(membership)
    _end_membership(membership, action=audit.MEMBERSHIP_REMOVE, by=user)


@transaction.atomic
def membership_leave(*, organization, user):
    """A person leaves an organization; its last admin must hand over first."""
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this organization."), code="not_member")
    _refuse_last_admin(
        organization,
        membership,
        _("You are this organization's last admin: make someone else admin before leaving."),
    )
    _refuse_if_needed_elsewhere(membership)
    _end_membership(membership, action=audit.MEMBERSHIP_LEAVE, by=user)


@transaction.atomic
def membership_leave_all(*, user):
    """The person leaves every organization (account deletion); no last-admin check: the
    caller refused first (``personal_data.memberships_refusal``)."""
    for membership in Membership.objects.filter(user=user).select_related("organization", "user"):
        _end_membership(membership, action=audit.MEMBERSHIP_LEAVE, by=user)


# --- Invitations ---------------------------------------------------------------------------


def _invitation_language(email, chosen):
    """The invited person's language: their account's when the address has one, otherwise the
    one the admin chose, otherwise the language the admin is using."""
    account = selectors.account_for_email(email)
    if account is not None and (known := language_known(account)):
        return known
    if chosen:
        if chosen not in dict(settings.LANGUAGES):
            raise ValidationError(
                {"language": _("Choose one of the portal's languages.")}, code="invalid_language"
            )
        return chosen
    return translation.get_supported_language_variant(
        translation.get_language() or settings.LANGUAGE_CODE
    )


@transaction.atomic
def invitation_create(
    *, organization, email, role=Membership.Role.MEMBER, invited_by, language=None
):
    """An admin invites someone by e-mail; the link is signed, single use, valid 7 days.

    Inviting an address again replaces its pending invitation (the old link stops working).
    The e-mail is written in the invited person's language (see ``_invitation_language``).
    """
    if not selectors.can_manage_members(invited_by, organization):
        raise PermissionDenied(_("You cannot invite people to this organization."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address.")}, code="invalid_email"
        ) from None
    email = email.lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    if selectors.email_is_member(organization, email):
        raise ValidationError(
            {"email": _("%(email)s is already a member of this organization.") % {"email": email}},
            code="already_member",
        )
    language = _invitation_language(email, language)
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        declined_at__isnull=True,
    ).update(revoked_at=now)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        language=language,
    )
    invitation.full_clean()
    invitation.save()
    _audit(
        organization,
        audit.INVITATION_CREATE,
        by=invited_by,
        email=email,
        role=role,
        invitation=invitation.pk,
    )
    link = f"{settings.WAGTAILADMIN_BASE_URL}{selectors.invitation_url(invitation)}"
    with translation.override(language):
        context = {
            "organization": organization.title,
            "inviter": invited_by.get_full_name() or invited_by.username,
            "role": invitation.get_role_display(),
            "link": link,
            "days": selectors.INVITATION_MAX_AGE.days,
        }
        subject = _("Join %(organization)s on the Social Cluster") % context
        body = render_to_string("partners/email/invitation.txt", context)
        context["language"] = language
        html = render_to_string("partners/email/invitation.html", context)
    mail_queue(to=email, subject=subject, text=body, html=html, kind="partners.invitation")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, user):
    if not selectors.can_manage_members(user, invitation.organization):
        raise PermissionDenied(_("You cannot manage this organization's invitations."))
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation is no longer pending."), code="not_pending")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(
        invitation.organization,
        audit.INVITATION_REVOKE,
        by=user,
        email=invitation.email,
        role=invitation.role,
        invitation=invitation.pk,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token, user):
    """The signed-in invitee joins: only once, within 7 days, with the invited address."""
    invitation = selectors.invitation_read(token)
    # Re-read under a lock: two clicks on the same link must not both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."), code="used")
    organization = invitation.organization
    if not selectors.user_has_email(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(you)s. "
                "Sign in with the account of the invited address."
            )
            % {"invited": invitation.email, "you": user.email or user.get_username()},
            code="other_email",
        )
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError(
            _("You are already a member of %(organization)s.")
            % {"organization": organization.title},
            code="already_member",
        )
    membership = membership_add(
        organization=organization, user=user, role=invitation.role, by=user, invitation=invitation
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by_id and invitation.invited_by.is_active:
        notification_create(
            user=invitation.invited_by,
            kind=notification_kinds.INVITATION_ACCEPTED,
            render=lambda: (
                _("%(person)s joined %(organization)s")
                % {
                    "person": user.get_full_name() or user.get_username(),
                    "organization": organization.title,
                },
                "",
            ),
            url=reverse("portal:organization_manage", args=[organization.pk]),
            about=organization,
            email=False,
        )
    return membership


@transaction.atomic
def invitation_decline(*, token, user):
    """The invited person says no: the link stops working and whoever invited them is told.

    The link is proof of the invited address (as when signing up through it), so a person
    without an account may decline too; someone signed in must be signed in with that address.
    """
    invitation = selectors.invitation_read(token)
    # Under a lock: a click on "Join" and one on "Decline" must not both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.declined_at:
        raise ValidationError(_("This invitation is no longer pending."), code="not_pending")
    signed_in = user is not None and user.is_authenticated
    if signed_in and not selectors.user_has_email(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(you)s. "
                "Sign in with the account of the invited address."
            )
            % {"invited": invitation.email, "you": user.email or user.get_username()},
            code="other_email",
        )
    organization = invitation.organization
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    _audit(
        organization,
        audit.INVITATION_DECLINE,
        by=user if signed_in else None,
        email=invitation.email,
        role=invitation.role,
        invitation=invitation.pk,
    )
    who = (user.get_full_name() if signed_in else "") or invitation.email
    if invitation.invited_by_id and invitation.invited_by.is_active:
        notification_create(
            user=invitation.invited_by,
            kind=notification_kinds.INVITATION_DECLINED,
            render=lambda: (
                _("%(person)s declined the invitation to join %(organization)s")
                % {"person": who, "organization": organization.title},
                _("You can invite them again from the organization's members page."),
            ),
            url=reverse("portal:organization_manage", args=[organization.pk]),
            about=organization,
            email=False,
        )
    return invitation


def tag_proposal_announce(*, tag, proposed_by=None):
    """Tell the cluster's editors, once, that a member proposed the new tag ``tag``
    (``taxonomy.signals.tag_proposed``): they approve, merge or reject it in the admin."""
    editors = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=EDITORS_GROUP), is_active=True)
        .distinct()
    )
    if proposed_by is not None:
        editors = editors.exclude(pk=proposed_by.pk)
    who = (proposed_by.get_full_name() or proposed_by.get_username()) if proposed_by else ""
    notification_create_many(
        users=list(editors),
        kind=TAG_PROPOSED,
        render=lambda: (
            _("New tag proposed: “%(tag)s”") % {"tag": tag.name},
            (
                _("%(person)s typed a tag the vocabulary did not have.") % {"person": who}
                if who
                else _("A member typed a tag the vocabulary did not have.")
            )
            + " "
            + _("Approve it with its Spanish and Catalan names, merge it or reject it."),
        ),
        url=reverse("tag_review:review", args=[tag.pk]),
    )
