"""What projects keeps about a person, for the privacy export and account deletion.

Registered in ``wagtail_hooks.py`` (``register_personal_data``): team places (and the
permission rows they grant), the partnership requests and invitations they wrote, and the
projects they proposed.
"""

from django.db import transaction
from django.utils.translation import ngettext

from core.personal_data import when
from notifications.services import notification_bodies_forget

from .models import Participation, ProjectPage, TeamMembership
from .selectors import projects_only_coordinated_by
from .services import team_remove


def _page(page):
    return {"id": page.pk, "title": page.title}


def team_memberships_export(user):
    return [
        {
            "project": _page(row.project),
            "organization": _page(row.organization),
            "coordinator": row.is_coordinator,
            "added_at": when(row.created_at),
        }
        for row in TeamMembership.objects.filter(user=user)
        .select_related("project", "organization")
        .order_by("project_id")
    ]


def team_memberships_forget(user, context):
    """Off every team through the service: grants revoked, chat sockets closed, audited."""
    for row in TeamMembership.objects.filter(user=user).select_related("project"):
        team_remove(project=row.project, user=user, by=user)


def join_requests_export(user):
    """Requests to join a project (and invitations to organizations) the person wrote, with
    their message."""
    return [
        {
            "project": _page(row.project),
            "organization": _page(row.organization),
            "status": row.status,
            "message": row.message,
            "created_at": when(row.created_at),
            "decided_at": when(row.decided_at),
        }
        for row in Participation.objects.filter(created_by=user)
        .select_related("project", "organization")
        .order_by("created_at", "pk")
    ]


@transaction.atomic
def join_requests_forget(user, context):
    """The partnership stays (it is the organizations'); the message they wrote goes, here and
    in the notifications that carried it to the coordinators or the invited admins."""
    rows = Participation.objects.filter(created_by=user).exclude(message="")
    messages = set(rows.values_list("message", flat=True))
    rows.update(message="")
    notification_bodies_forget(bodies=messages)


def proposals_export(user):
    """Projects they proposed (the project's data is its own)."""
    return [
        {"project": _page(page), "approved": page.first_published_at is not None}
        for page in ProjectPage.objects.filter(proposer=user).order_by("pk")
    ]


def team_memberships_refusal(user):
    """Deleting the account of a project's only coordinator would leave it without one."""
    projects = projects_only_coordinated_by(user.pk)
    if not projects:
        return None
    names = ", ".join(f"“{project.title}”" for project in projects)
    return ngettext(
        "You are the only coordinator of the project %(projects)s. Make another team member "
        "its coordinator before deleting your account.",
        "You are the only coordinator of the projects %(projects)s. Make another team member "
        "coordinator of each before deleting your account.",
        len(projects),
    ) % {"projects": names}
