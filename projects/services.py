"""Every write that matters for projects: propose, approve, partnerships, teams."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners.models import Membership
from partners.selectors import can_propose_project

from . import permissions
from .models import Participation, ProjectIndexPage, ProjectPage, TeamMembership
from .signals import team_access_revoked


def _unique_slug(parent, title):
    base = slugify(title)[:70] or "project"
    slug, n = base, 2
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while slug in siblings:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def project_propose(*, user, lead_organization, title, submit=True, **fields):
    """Create a draft ProjectPage led by ``lead_organization``; the proposer coordinates it."""
    if not can_propose_project(user, lead_organization):
        raise PermissionDenied(_("You cannot propose projects for this organization."))
    index = ProjectIndexPage.objects.get()
    m2m = {key: fields.pop(key) for key in ("sectors", "sdgs", "needs") if key in fields}
    project = ProjectPage(
        title=title,
        slug=_unique_slug(index, title),
        live=False,
        lead_organization=lead_organization,
        proposer=user,
        **fields,
    )
    project.full_clean(exclude=["path", "depth", "url_path", "content_type"])
    for key, value in m2m.items():
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
    team_add(project=project, user=user, organization=lead_organization, is_coordinator=True)
    if submit:
        workflow = project.get_workflow()
        if workflow:
            workflow.start(project, user)
    return project


@transaction.atomic
def project_approve(*, project, user, comment=""):
    state = project.current_workflow_state
    if state and state.current_task_state:
        state.current_task_state.approve(user=user, comment=comment)
    else:
        project.get_latest_revision().publish(user=user)
    project.refresh_from_db()
    return project


@transaction.atomic
def participation_invite(*, project, organization, user, message=""):
    participation, created = Participation.objects.get_or_create(
        project=project,
        organization=organization,
        defaults={"status": Participation.Status.INVITED, "created_by": user, "message": message},
    )
    if not created:
        if participation.status in (
            Participation.Status.ACTIVE,
            Participation.Status.INVITED,
            Participation.Status.REQUESTED,
        ):
            raise ValidationError(_("This organization is already involved in the project."))
        participation.status = Participation.Status.INVITED
        participation.created_by = user
        participation.message = message
        participation.decided_at = None
        participation.save()
    return participation


@transaction.atomic
def participation_request(*, project, organization, user, message=""):
    participation, created = Participation.objects.get_or_create(
        project=project,
        organization=organization,
        defaults={
            "status": Participation.Status.REQUESTED,
            "created_by": user,
            "message": message,
        },
    )
    if not created:
        if participation.status in (
            Participation.Status.ACTIVE,
            Participation.Status.INVITED,
            Participation.Status.REQUESTED,
        ):
            raise ValidationError(_("Your organization is already involved in this project."))
        participation.status = Participation.Status.REQUESTED
        participation.created_by = user
        participation.message = message
        participation.decided_at = None
        participation.save()
    return participation


@transaction.atomic
def participation_accept(*, participation, user):
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if participation.status not in (Participation.Status.INVITED, Participation.Status.REQUESTED):
        raise ValidationError(_("This invitation or request has already been answered."))
    participation.status = Participation.Status.ACTIVE
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    return participation


@transaction.atomic
def participation_decline(*, participation, user):
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if participation.status not in (Participation.Status.INVITED, Participation.Status.REQUESTED):
        raise ValidationError(_("This invitation or request has already been answered."))
    participation.status = Participation.Status.DECLINED
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    return participation


@transaction.atomic
def participation_leave(*, participation, user):
    """An active partner leaves (the lead cannot); its people leave the team."""
    if participation.role == Participation.Role.LEAD:
        raise ValidationError(_("The lead organization cannot leave its own project."))
    if participation.status != Participation.Status.ACTIVE:
        raise ValidationError(_("Only an active partner can leave the project."))
    participation.status = Participation.Status.LEFT
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at"])
    removed = list(
        TeamMembership.objects.filter(
            project=participation.project, organization=participation.organization
        ).values_list("user_id", flat=True)
    )
    _team_remove_ids(participation.project, removed)
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
    if not created and row.is_coordinator != is_coordinator:
        row.is_coordinator = is_coordinator
        row.save(update_fields=["is_coordinator"])
    permissions.team_membership_grant(row)
    return row


@transaction.atomic
def team_remove(*, project, user):
    _team_remove_ids(project, [user.pk])


def _team_remove_ids(project, user_ids):
    if not user_ids:
        return
    TeamMembership.objects.filter(project=project, user_id__in=user_ids).delete()
    permissions.team_membership_revoke(project=project, user_ids=user_ids)
    project_id = project.pk
    transaction.on_commit(
        lambda: team_access_revoked.send(
            sender=ProjectPage, project_id=project_id, user_ids=list(user_ids)
        )
    )
