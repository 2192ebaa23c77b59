"""How the volunteer network plugs into project workspaces, the audit trail, the notification
centre, the personal-data registry and the impact maps. Each hook only calls a selector or
service."""

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.audit import register_actions
from core.personal_data import PersonalData
from core.volunteering import LEDGER_HOOK, MENTORS_HOOK
from projects.selectors import can_coordinate

from . import audit, notification_kinds, selectors, services, ventures
from .models import CallApplication, Requirement, RoleApplication


@hooks.register("project_workspace_panels", order=70)
def volunteers_panel(request, project):
    """The project's volunteer roles and verified hours, for its coordinators."""
    if not can_coordinate(request.user, project):
        return ""
    return render_to_string(
        "volunteers/includes/workspace_panel.html",
        {"project": project, "by_year": selectors.project_verified_hours_by_year(project)},
        request=request,
    )


@hooks.register("portal_dashboard_panels", order=50)
def volunteers_dashboard_panel(request):
    """/portal/: for an organization's admins, the roles the organization publishes itself,
    with the hours waiting for them, and where to offer one."""
    organizations = selectors.organizations_with_roles(request.user)
    if not organizations:
        return ""
    return render_to_string(
        "volunteers/includes/dashboard_panel.html",
        {"organizations": organizations},
        request=request,
    )


@hooks.register("training_mentor_profiles")
def mentor_profiles(user_ids):
    """Volunteers' skills, languages, availability and sectors, for matching mentors to
    learners in the training programmes (the contract is in ``training.matching``)."""
    return selectors.mentor_profiles(user_ids)


@hooks.register(MENTORS_HOOK)
def volunteer_mentors(user_ids):
    """Adult volunteers open to mentoring young people, with what they offer, for the
    training programmes' mentor matching (the contract is in ``core.volunteering``)."""
    return selectors.volunteer_mentors(user_ids)


class _Ledger:
    """The volunteer's hours ledger, for time given elsewhere in the portal (a mentor's
    check-ins): ``core.volunteering`` calls it, ``services`` writes."""

    record = staticmethod(services.hours_record_given)
    withdraw = staticmethod(services.hours_withdraw_given)


@hooks.register(LEDGER_HOOK)
def volunteer_time_ledger():
    return _Ledger()


@hooks.register("impact_input_suggestions")
def verified_volunteer_hours(project):
    """Verified volunteer hours a project's impact map may take as inputs, one per year, with
    their source (the contract is in ``impact.suggestions``); the impact map offers them to its
    coordinators, never adds them by itself."""
    return [
        {
            "key": f"volunteers:{row['year']}",
            "kind": "volunteer_hours",
            "year": row["year"],
            "hours": row["total"],
            "source": "volunteers",
            "people": row["people"],
            "description": ngettext(
                "Volunteer hours given in %(year)s, verified by the project's coordinators "
                "(%(people)s volunteer)",
                "Volunteer hours given in %(year)s, verified by the project's coordinators "
                "(%(people)s volunteers)",
                row["people"],
            )
            % {"year": row["year"], "people": row["people"]},
            "contributor": gettext("The project's volunteers"),
        }
        for row in selectors.project_verified_hours_by_year(project)
    ]


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS)
    register_actions(actions, audit.APPLICATION_ACTIONS, roles=RoleApplication.Status)
    register_actions(actions, audit.CALL_ACTIONS)
    register_actions(actions, audit.CALL_DECISION_ACTIONS, roles=CallApplication.Status)
    register_actions(actions, audit.MILESTONE_ACTIONS, roles=audit.MILESTONE_STATES)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="volunteers",
        models=(
            "volunteers.VolunteerProfile",
            "volunteers.Role",
            "volunteers.ShiftSignup",
            "volunteers.HoursLog",
            "volunteers.RoleApplication",
            "volunteers.RequirementRecord",
            "volunteers.Call",
            "volunteers.CallApplication",
            "volunteers.CallReview",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=50,
    )


@hooks.register("register_notification_kinds")
def declare_venture_notification_kinds():
    return ventures.NOTIFICATION_KINDS


@hooks.register("register_personal_data")
def venture_personal_data():
    return PersonalData(
        section="ventures",
        models=(
            "volunteers.VentureMentor",
            "volunteers.VentureMilestone",
            "volunteers.VentureCheckin",
        ),
        export=ventures.personal_data,
        forget=ventures.personal_data_forget,
        order=49,
    )


class RequirementViewSet(SnippetViewSet):
    """Editors keep the requirements roles may ask for (a training, a certificate…)."""

    model = Requirement
    icon = "tick"
    menu_label = _("Volunteer requirements")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name"]
    search_fields = ["name"]


register_snippet(RequirementViewSet)


@hooks.register("register_person_activity")
def person_activity(user_id, organization_id, limit):
    """A person's volunteer hours on the organization's projects and on the roles it
    publishes itself, for its contacts."""
    return [
        {
            "when": log.day,
            "kind": gettext("Volunteer hours"),
            "summary": gettext("%(hours)s h, %(role)s (%(project)s): %(status)s")
            % {
                "hours": log.hours.normalize(),
                "role": log.role.title,
                "project": log.role.publisher.title,
                "status": log.get_status_display(),
            },
        }
        for log in selectors.person_hours_with(user_id, organization_id)[:limit]
    ]
