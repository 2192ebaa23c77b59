"""How training plugs into the portal dashboard, project workspaces, the permission sync, the
audit trail, notifications and the personal-data registry. Each hook only calls a selector or
service."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext
from wagtail import hooks

from core.audit import register_actions
from core.personal_data import PersonalData
from projects.selectors import can_coordinate

from . import audit, notification_kinds, selectors, services
from .permissions import programme_permissions_sync_all


@hooks.register("portal_dashboard_panels", order=45)
def training_dashboard_panel(request):
    programmes = list(selectors.programmes_of(request.user))
    if not programmes:
        return ""
    return render_to_string(
        "training/includes/dashboard_panel.html", {"programmes": programmes}, request=request
    )


@hooks.register("project_workspace_panels", order=70)
def training_workspace_panel(request, project):
    """The project's programmes the person works in, and where a coordinator starts one."""
    mine = [p for p in selectors.programmes_of(request.user) if p.project_id == project.pk]
    may_start = request.user.is_superuser or can_coordinate(request.user, project)
    if not mine and not may_start:
        return ""
    return render_to_string(
        "training/includes/workspace_panel.html",
        {"project": project, "programmes": mine, "may_start": may_start},
        request=request,
    )


@hooks.register("register_permission_sync")
def sync_programme_permissions(fix=False):
    return programme_permissions_sync_all(fix=fix)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS, roles=audit.ROLES)


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="training",
        models=(
            "training.Programme",
            "training.ProgrammeUserObjectPermission",
            "training.StaffMember",
            "training.Session",
            "training.Attendance",
            "training.AttendanceSheet",
            "training.Mentorship",
            "training.Certificate",
            "training.CohortOutcome",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=40,
    )


@hooks.register("impact_input_suggestions")
def mentoring_hours(project):
    """Mentors' check-in hours, per year, offered to the project's impact map as volunteer
    hours (the contract is in ``impact.suggestions``); never added by themselves."""
    return [
        {
            "key": f"training:mentoring:{row['year']}",
            "kind": "volunteer_hours",
            "year": row["year"],
            "hours": (Decimal(row["minutes"]) / 60).quantize(Decimal("0.01")),
            "people": row["people"],
            "description": ngettext(
                "Mentoring of the training programmes in %(year)s, from the check-ins "
                "(%(people)s mentor)",
                "Mentoring of the training programmes in %(year)s, from the check-ins "
                "(%(people)s mentors)",
                row["people"],
            )
            % {"year": row["year"], "people": row["people"]},
            "contributor": gettext("The programmes' mentors"),
        }
        for row in selectors.mentoring_hours_by_year(project)
        if row["minutes"]
    ]


@hooks.register("impact_outcome_suggestions")
def outcome_suggestions(project):
    """The cohort outcomes a coordinator accepted, offered to fill the quantities of the
    project's SROI map (``impact.suggestions``). Figures not accepted are never offered."""
    return [
        {
            "key": f"training:{row.cohort_id}:{row.kind}",
            "quantity": Decimal(row.quantity),
            "description": f"{row.cohort.name}: {row.get_kind_display()}",
            "evidence": row.evidence,
            "contributor": row.cohort.programme.title,
        }
        for row in selectors.accepted_outcomes(project)
    ]


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
