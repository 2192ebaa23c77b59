"""Every write that matters for projects: propose, review, partnerships, teams.

Views, the admin's workflow signals and the demo call these. Each one validates, refuses with
a clear message (``ValidationError`` for bad input, ``PermissionDenied`` for someone not
allowed) before changing anything, writes in one transaction, grants permissions through
``projects.permissions`` and tells the people concerned through ``notifications.services``.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, WorkflowState

from core.audit import audit_record
from notifications.services import notification_create, notification_create_many
from partners.models import Membership
from partners.selectors import can_propose_project
from taxonomy.services import tags_assign

from . import audit, notification_kinds, permissions
from .models import Participation, ProjectIndexPage, ProjectPage, TeamMembership
from .selectors import (
    OPEN_STATUSES,
    PENDING,
    PENDING_OR_ACTIVE,
    administers,
    can_answer_participation,
    can_coordinate,
)
from .signals import team_access_revoked


def _audit(project, action, *, by, organization, person=None, **data):
    audit_record(project, action, user=by, organization=organization, person=person, **data)


@transaction.atomic
def project_propose(*, user, lead_organization, title, submit=True, **fields):
    """Create a draft ProjectPage led by ``lead_organization``; the proposer coordinates it."""
    if not can_propose_project(user, lead_organization):
        raise PermissionDenied(
            _("You can only propose projects for an organization you administer.")
        )
    if not lead_organization.live:
        raise ValidationError(_("The organization must be approved before it can lead a project."))
    index = ProjectIndexPage.objects.get(locale=Locale.get_default())
    m2m = {key: fields.pop(key) for key in ("sectors", "sdgs", "needs") if key in fields}
    project = ProjectPage(
        title=title,
        slug=find_available_slug(index, slugify(title)[:70] or "project"),
        live=False,
        lead_organization=lead_organization,
        proposer=user,
        **fields,
    )
    project.full_clean(exclude=["path", "depth", "url_path", "content_type"])
    for key, value in m2m.items():
        if key == "needs":
            # A name no tag has yet becomes a tag proposed by the person, for editors to review.
            tags_assign(project.needs, value, by=user)
        else:
            getattr(project, key).set(value)
    index.add_child(instance=project)
    project.save_revision(user=user, log_action=True)
    Participation.objects.create(
        project=project,
        organization=lead_organization,
        role=Participation.Role.LEAD,
        status=Participation.Status.ACTIVE,
        created_by=user,
        decided_at=timezone.now(),
    )
    _audit(project, audit.PARTICIPATION_LEAD, by=user, organization=lead_organization)
    if Membership.objects.filter(organization=lead_organization, user=user).exists():
        coordinators = [user]
    else:
        # An editor proposing on an organization's behalf: its admins coordinate.
        coordinators = _organization_admins(lead_organization.pk)
    for coordinator in coordinators:
        team_add(
            project=project,
            user=coordinator,
            organization=lead_organization,
            is_coordinator=True,
            added_by=user,
        )
    if submit:
        workflow = project.get_workflow()
        if workflow:
            workflow.start(project, user)
    return project


@transaction.atomic
def project_approve(*, project, user, comment=""):
    """Approve the project's pending review (publishing it); the proposer is told."""
    state = project.current_workflow_state
    if state and state.current_task_state:
        # The workflow_approved signal tells the proposer (projects.receivers).
        state.current_task_state.approve(user=user, comment=comment)
    else:
        project.get_latest_revision().publish(user=user)
        project_review_notify(project=project, approved=True, comment=comment)
    project.refresh_from_db()
    return project


@transaction.atomic
def project_reject(*, project, user, comment=""):
    """Send the proposal back with a comment; the proposer is told why."""
    state = project.current_workflow_state
    if not (state and state.current_task_state):
        raise ValidationError(_("This project is not awaiting review."))
    # The workflow_rejected signal tells the proposer (projects.receivers).
    state.current_task_state.reject(user=user, comment=comment)
    project.refresh_from_db()
    return project


def project_review_notify(*, project, approved, comment=""):
    """Tell the proposer how the review of their project ended."""
    if project.proposer is None:
        return None

    def render():
        if approved:
            title = _("Your project “%(title)s” was approved") % {"title": project.title}
            body = _("It is now published in the project directory.")
        else:
            title = _("Your project “%(title)s” needs changes") % {"title": project.title}
            body = _("The editors sent it back.")
        if comment:
            label = _("Comment:")
            body = f"{body}\n\n{label} {comment}"
        return title, body

    return notification_create(
        user=project.proposer,
        kind=notification_kinds.APPROVED if approved else notification_kinds.REJECTED,
        render=render,
        url=reverse("portal:project_workspace", args=[project.pk]),
        about=project,
    )


def _organization_admins(organization_id):
    return list(
        get_user_model().objects.filter(
            memberships__organization_id=organization_id,
            memberships__role=Membership.Role.ADMIN,
            is_active=True,
        )
    )


def _project_coordinators(project):
    return list(
        get_user_model().objects.filter(
            team_memberships__project=project,
            team_memberships__is_coordinator=True,
            is_active=True,
        )
    )


def _check_open(project):
    if not project.live:
        raise ValidationError(_("The project must be approved before it can take on partners."))
    if project.status not in OPEN_STATUSES:
        raise ValidationError(_("This project is closed to new partners."))


def _reopen_or_create(*, project, organization, user, status, message, already_involved):
    """The participation row for a new invitation or request; refuse if one is under way."""
    participation = (
        Participation.objects.select_for_update()
        .filter(project=project, organization=organization)
        .first()
    )
    if participation is None:
        return Participation.objects.create(
            project=project,
            organization=organization,
            status=status,
            created_by=user,
            message=message,
        )
    if participation.status in PENDING_OR_ACTIVE:
        raise ValidationError(already_involved)
    participation.status = status
    participation.created_by = user
    participation.message = message
    participation.decided_at = None
    participation.save()
    return participation


def _clean_message(message):
    message = (message or "").strip()
    if len(message) > 1000:
        raise ValidationError(_("The message can have at most 1,000 characters."))
    return message


@transaction.atomic
def participation_invite(*, project, organization, user, message=""):
    """A coordinator invites an organization; its admins are told in-app and by e-mail."""
    if not can_coordinate(user, project):
        raise PermissionDenied(_("Only the project's coordinators can invite organizations."))
    _check_open(project)
    if not organization.live:
        raise ValidationError(_("Only approved organizations can be invited."))
    participation = _reopen_or_create(
        project=project,
        organization=organization,
        user=user,
        status=Participation.Status.INVITED,
        message=_clean_message(message),
        already_involved=_("This organization is already involved in the project."),
    )
    _audit(project, audit.PARTICIPATION_INVITE, by=user, organization=organization)
    notification_create_many(
        users=_organization_admins(organization.pk),
        kind=notification_kinds.INVITATION,
        render=lambda: (
            _("%(organization)s is invited to join “%(project)s”")
            % {"organization": organization.title, "project": project.title},
            participation.message,
        ),
        url=reverse("portal:dashboard"),
        about=project,
    )
    return participation


@transaction.atomic
def participation_request(*, project, organization, user, message=""):
    """An admin of ``organization`` asks to join; the project's coordinators are told."""
    if not administers(user, organization.pk):
        raise PermissionDenied(_("Only an admin of the organization can ask to join for it."))
    _check_open(project)
    if not organization.live:
        raise ValidationError(_("Your organization must be approved before it can join projects."))
    participation = _reopen_or_create(
        project=project,
        organization=organization,
        user=user,
        status=Participation.Status.REQUESTED,
        message=_clean_message(message),
        already_involved=_("Your organization is already involved in this project."),
    )
    _audit(project, audit.PARTICIPATION_REQUEST, by=user, organization=organization)
    notification_create_many(
        users=_project_coordinators(project),
        kind=notification_kinds.REQUEST,
        render=lambda: (
            _("%(organization)s asks to join “%(project)s”")
            % {"organization": organization.title, "project": project.title},
            participation.message,
        ),
        url=reverse("portal:project_workspace", args=[project.pk]),
        about=project,
    )
    return participation


def _answer(participation, user, status):
    participation = (
        Participation.objects.select_for_update()
        .select_related("project", "organization")
        .get(pk=participation.pk)
    )
    if not can_answer_participation(user, participation):
        raise PermissionDenied(_("You cannot answer this invitation or request."))
    if participation.status not in PENDING:
        raise ValidationError(_("This invitation or request has already been answered."))
    was_invitation = participation.status == Participation.Status.INVITED
    participation.status = status
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    project, organization = participation.project, participation.organization
    _audit(
        project,
        audit.PARTICIPATION_ACCEPT
        if status == Participation.Status.ACTIVE
        else audit.PARTICIPATION_DECLINE,
        by=user,
        organization=organization,
        answered="invitation" if was_invitation else "request",
    )
    # The other side is told: coordinators about an invitation, the organization's admins
    # (and whoever asked) about a request.
    if was_invitation:
        recipients = _project_coordinators(project)
        url = reverse("portal:project_workspace", args=[project.pk])
    else:
        recipients = _organization_admins(organization.pk)
        url = project.get_url() or ""
    # Lazy: each recipient's text is filled in (``%``) under their own language.
    if status == Participation.Status.ACTIVE:
        kind = notification_kinds.ACCEPTED
        title = gettext_lazy("%(organization)s is now a partner of “%(project)s”")
    else:
        kind = notification_kinds.DECLINED
        title = (
            gettext_lazy("%(organization)s declined the invitation to “%(project)s”")
            if was_invitation
            else gettext_lazy("The request of %(organization)s to join “%(project)s” was declined")
        )
    params = {"organization": organization.title, "project": project.title}
    notification_create_many(
        users=recipients,
        kind=kind,
        render=lambda: (title % params, ""),
        url=url,
        about=project,
    )
    return participation


@transaction.atomic
def participation_accept(*, participation, user):
    """The invited organization's admin, or a coordinator for a request, accepts."""
    return _answer(participation, user, Participation.Status.ACTIVE)


@transaction.atomic
def participation_decline(*, participation, user):
    """The invited organization's admin, or a coordinator for a request, declines."""
    return _answer(participation, user, Participation.Status.DECLINED)


def _end_partnership(participation, *, action, by):
    leaving = TeamMembership.objects.filter(
        project=participation.project, organization=participation.organization
    ).values_list("user_id", flat=True)
    _check_keeps_a_coordinator(
        participation.project,
        list(leaving),
        _(
            "The project's only coordinator is on its team for %(organization)s: make someone "
            "else coordinator before %(organization)s leaves the project."
        )
        % {"organization": participation.organization.title},
    )
    participation.status = Participation.Status.LEFT
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    _audit(participation.project, action, by=by, organization=participation.organization)
    removed = list(
        TeamMembership.objects.filter(
            project=participation.project, organization=participation.organization
        ).values_list("user_id", flat=True)
    )
    _team_remove_ids(participation.project, removed, by=by)


def _lock_active_partner(participation):
    participation = (
        Participation.objects.select_for_update()
        .select_related("project", "organization")
        .get(pk=participation.pk)
    )
    if participation.role == Participation.Role.LEAD:
        raise ValidationError(_("The lead organization cannot leave its own project."))
    if participation.status != Participation.Status.ACTIVE:
        raise ValidationError(_("Only an active partner can leave the project."))
    return participation


@transaction.atomic
def participation_leave(*, participation, user):
    """An active partner leaves (the lead cannot); its people leave the team."""
    participation = _lock_active_partner(participation)
    if not administers(user, participation.organization_id):
        raise PermissionDenied(
            _("Only an admin of the organization can take it out of a project.")
        )
    _end_partnership(participation, action=audit.PARTICIPATION_LEAVE, by=user)
    notification_create_many(
        users=_project_coordinators(participation.project),
        kind=notification_kinds.LEFT,
        render=lambda: (
            _("%(organization)s left “%(project)s”")
            % {
                "organization": participation.organization.title,
                "project": participation.project.title,
            },
            "",
        ),
        url=reverse("portal:project_workspace", args=[participation.project_id]),
        about=participation.project_id,
    )
    return participation


@transaction.atomic
def participation_remove(*, participation, user):
    """A coordinator takes a partner organization off the project, and its people off the team."""
    participation = _lock_active_partner(participation)
    if not can_coordinate(user, participation.project):
        raise PermissionDenied(_("Only the project's coordinators can remove a partner."))
    _end_partnership(participation, action=audit.PARTICIPATION_REMOVE, by=user)
    notification_create_many(
        users=_organization_admins(participation.organization_id),
        kind=notification_kinds.REMOVED,
        render=lambda: (
            _("%(organization)s is no longer a partner of “%(project)s”")
            % {
                "organization": participation.organization.title,
                "project": participation.project.title,
            },
            "",
        ),
        url=participation.project.get_url() or "",
        about=participation.project_id,
    )
    return participation


@transaction.atomic
def team_add(*, project, user, organization, is_coordinator=False, added_by=None):
    """Put a member of an active participating organization on the project's team."""
    active = Participation.objects.filter(
        project=project, organization=organization, status=Participation.Status.ACTIVE
    ).exists()
    if not active:
        raise ValidationError(_("Only people of the project's active partners can join its team."))
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError(_("This person is not a member of that organization."))
    row, created = TeamMembership.objects.get_or_create(
        project=project,
        user=user,
        defaults={
            "organization": organization,
            "is_coordinator": is_coordinator,
            "added_by": added_by,
        },
    )
    was_coordinator = row.is_coordinator
    if not created and row.is_coordinator != is_coordinator:
        row.is_coordinator = is_coordinator
        row.save(update_fields=["is_coordinator"])
    permissions.team_membership_grant(row)
    if created or was_coordinator != is_coordinator:
        _audit_team_role(row, by=added_by, created=created)
    return row


def _audit_team_role(row, *, by, created):
    role = audit.team_role(row.is_coordinator)
    if created:
        action, data = audit.TEAM_ADD, {"role": role}
    else:
        action = audit.TEAM_ROLE
        data = {"role": role, "old_role": audit.team_role(not row.is_coordinator)}
    _audit(row.project, action, by=by, organization=row.organization, person=row.user, **data)


@transaction.atomic
def team_member_add(*, project, user, organization, by, is_coordinator=False):
    """A coordinator puts a member of an active partner on the team; the person is told."""
    if not can_coordinate(by, project):
        raise PermissionDenied(_("Only the project's coordinators can change the team."))
    if TeamMembership.objects.filter(project=project, user=user).exists():
        raise ValidationError(_("This person is already on the team."))
    row = team_add(
        project=project,
        user=user,
        organization=organization,
        is_coordinator=is_coordinator,
        added_by=by,
    )
    notification_create(
        user=user,
        kind=notification_kinds.TEAM_ADDED,
        render=lambda: (
            _("You joined the team of “%(project)s”") % {"project": project.title},
            "",
        ),
        url=reverse("portal:project_workspace", args=[project.pk]),
        about=project,
    )
    return row


def _check_keeps_a_coordinator(project, user_ids, message=None):
    # Lock the coordinators' rows: two coordinators stepping each other back at once must not
    # leave the project with none.
    coordinators = set(
        TeamMembership.objects.select_for_update()
        .filter(project=project, is_coordinator=True)
        .values_list("user_id", flat=True)
    )
    if not coordinators - set(user_ids):
        raise ValidationError(
            message
            or _("A project needs at least one coordinator: make someone else coordinator first."),
            code="last_coordinator",
        )


@transaction.atomic
def team_set_coordinator(*, project, user, is_coordinator, by):
    """A coordinator names another coordinator, or steps one back to plain team member."""
    if not can_coordinate(by, project):
        raise PermissionDenied(_("Only the project's coordinators can change the team."))
    row = (
        TeamMembership.objects.select_for_update()
        .select_related("user", "project")
        .filter(project=project, user=user)
        .first()
    )
    if row is None:
        raise ValidationError(_("This person is not on the team."))
    if not is_coordinator:
        _check_keeps_a_coordinator(project, [user.pk])
    if row.is_coordinator != is_coordinator:
        row.is_coordinator = is_coordinator
        row.save(update_fields=["is_coordinator"])
        _audit_team_role(row, by=by, created=False)
    permissions.team_membership_grant(row)
    return row


@transaction.atomic
def team_member_remove(*, project, user, by):
    """A coordinator takes someone off the team; the last coordinator cannot be removed."""
    if not can_coordinate(by, project):
        raise PermissionDenied(_("Only the project's coordinators can change the team."))
    if not TeamMembership.objects.filter(project=project, user=user).exists():
        raise ValidationError(_("This person is not on the team."))
    _check_keeps_a_coordinator(project, [user.pk])
    team_remove(project=project, user=user, by=by)


@transaction.atomic
def team_remove(*, project, user, by=None):
    """Take ``user`` off the team; no permission check: internal (``by`` is for the record)."""
    _team_remove_ids(project, [user.pk], by=by)


@transaction.atomic
def team_membership_ended(*, organization_id, user_id, by=None):
    """``user_id`` is no longer a member of ``organization_id`` (removed, or left): they leave
    every team they were on for it, lose the workspace and their chat sockets close.

    No permission check: partners decided (``partners.signals.membership_ended``). A place
    held for another organization they still belong to is kept.
    """
    rows = (
        TeamMembership.objects.select_for_update()
        .filter(organization_id=organization_id, user_id=user_id)
        .select_related("project")
        .order_by("project_id")
    )
    for row in list(rows):
        _team_remove_ids(row.project, [user_id], by=by, action=audit.TEAM_MEMBERSHIP_ENDED)


def team_places_sync(*, fix=False):
    """Team places held for an organization the person no longer belongs to: drift lines for
    ``sync_permissions``, and with ``fix`` each is ended as ``team_membership_ended`` would
    have ended it (team rows, grants, open chat sockets, audit).

    Partners tells of an ended membership through ``membership_ended`` after its commit; if
    that receiver failed, nothing else would ever take the person off the teams.
    """
    stale = (
        TeamMembership.objects.filter(
            ~Exists(
                Membership.objects.filter(
                    user_id=OuterRef("user_id"), organization_id=OuterRef("organization_id")
                )
            )
        )
        .select_related("project", "organization")
        .order_by("project_id", "user_id")
    )
    drift, ended = [], []
    for row in stale:
        drift.append(
            f"{row.project}: user {row.user_id} is on the team for {row.organization} "
            "but no longer a member of it"
        )
        if (row.organization_id, row.user_id) not in ended:
            ended.append((row.organization_id, row.user_id))
    if fix:
        for organization_id, user_id in ended:
            team_membership_ended(organization_id=organization_id, user_id=user_id)
    return drift


def _team_remove_ids(project, user_ids, *, by=None, action=audit.TEAM_REMOVE):
    if not user_ids:
        return
    rows = TeamMembership.objects.filter(project=project, user_id__in=user_ids)
    for row in rows.select_related("user", "organization"):
        _audit(project, action, by=by, organization=row.organization, person=row.user)
    rows.delete()
    permissions.team_membership_revoke(project=project, user_ids=user_ids)
    project_id = project.pk
    transaction.on_commit(
        lambda: team_access_revoked.send(
            sender=ProjectPage, project_id=project_id, user_ids=list(user_ids)
        )
    )


@transaction.atomic
def project_texts_update(*, project, user, original_language, text_translations):
    """Set the language of the project's texts and their translations, as a new revision.

    Published at once if the project is public (the coordinators speak for it); a draft keeps
    the revision for the editors' review, like the rest of the proposal.
    """
    if not can_coordinate(user, project):
        raise PermissionDenied(_("Only the project's coordinators can change its texts."))
    page = project.get_latest_revision_as_object()
    page.original_language = original_language
    page.text_translations = text_translations
    page.full_clean()
    if not page.live:
        page.save(clean=False)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if page.live:
        # Decided with guardian above; Wagtail's page permissions are the admin's business.
        revision.publish(user=user, log_action=True, skip_permission_checks=True)
    return ProjectPage.objects.get(pk=project.pk)


DETAIL_FIELDS = ("summary", "status", "region", "start_date", "end_date", "body")
DETAIL_M2M = ("sdgs", "sectors", "needs")


@transaction.atomic
def project_details_update(*, project, user, **fields):
    """The coordinators update what the project is about and where it stands, as a revision.

    Like an organization's admins with its profile, the coordinators speak for their project:
    an approved project's revision is published at once (editors see it in the admin's history
    and can revert it); a proposal still under review keeps it for the editors, and one sent
    back for changes goes back to them. A change of status tells the rest of the team.
    """
    unknown = set(fields) - set(DETAIL_FIELDS) - set(DETAIL_M2M)
    if unknown:
        raise TypeError(f"not project details: {', '.join(sorted(unknown))}")
    if not can_coordinate(user, project):
        raise PermissionDenied(_("Only the project's coordinators can change its details."))
    # Start from the latest revision so an editor's unpublished draft is not lost.
    page = project.get_latest_revision_as_object()
    old_status = page.status
    for key, value in fields.items():
        if key == "needs":
            tags_assign(page.needs, value, by=user)
        elif key in DETAIL_M2M:
            getattr(page, key).set(list(value))
        else:
            setattr(page, key, value)
    page.full_clean()
    if not page.live:
        # Like Wagtail's editor: a never-published page keeps its row in step with the draft.
        page.save(clean=False)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if page.live:
        # Decided with guardian above; Wagtail's page permissions are the admin's business.
        # Publishing invalidates the page cache (core.receivers).
        revision.publish(user=user, log_action=True, skip_permission_checks=True)
    else:
        state = page.current_workflow_state
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
    if page.status != old_status:
        _notify_status_change(page, old_status=old_status, by=user)
    return ProjectPage.objects.get(pk=project.pk)


def _notify_status_change(project, *, old_status, by):
    team = list(
        get_user_model()
        .objects.filter(team_memberships__project=project, is_active=True)
        .exclude(pk=by.pk)
    )
    by_name = by.get_full_name() or by.username
    old_label = ProjectPage.Status(old_status).label
    new_label = ProjectPage.Status(project.status).label
    title = gettext_lazy("“%(project)s” is now %(status)s")
    body = gettext_lazy("%(person)s changed the status from %(old)s to %(new)s.")
    notification_create_many(
        users=team,
        kind=notification_kinds.STATUS_CHANGED,
        # Lazy: each recipient's text (and the status names) in their own language.
        render=lambda: (
            title % {"project": project.title, "status": str(new_label).lower()},
            body % {"person": by_name, "old": old_label, "new": new_label},
        ),
        url=reverse("portal:project_workspace", args=[project.pk]),
    )
