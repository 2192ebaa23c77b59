"""How resources plugs into the audit trail, the personal-data registry and the portal
dashboard."""

from django.template.loader import render_to_string
from wagtail import hooks

from core import pagecache
from core.audit import register_actions
from core.personal_data import PersonalData

from . import audit, filters, notification_kinds, selectors, services


@hooks.register(pagecache.QUERY_PARAMS_HOOK)
def directory_cache_params():
    return filters.PAGECACHE_PARAMS


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS)


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="resources",
        models=(
            "resources.Listing",
            "resources.Booking",
            "resources.BookingSeries",
            "resources.Answer",
            "resources.HoursEntry",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
    )


@hooks.register("portal_dashboard_panels", order=60)
def resources_panel(request):
    """/portal/: how many bookings wait for my answer, and the way to my resources (one
    query)."""
    return render_to_string(
        "resources/includes/dashboard_panel.html",
        {"waiting": selectors.bookings_waiting_for(request.user)},
        request=request,
    )


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
