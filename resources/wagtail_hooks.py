"""How resources plugs into the audit trail, the personal-data registry and the portal
dashboard."""

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import pagecache
from core.audit import register_actions
from core.personal_data import PersonalData
from projects.selectors import can_coordinate

from . import audit, filters, matchmaking, notification_kinds, selectors, services
from . import permissions as rules
from .models import Booking, Listing
from .session_rooms import SessionRooms


class ListingViewSet(SnippetViewSet):
    """Editors look over the listings: close one that breaks the rules, correct a title or an
    expiry. Organizations keep everything else in the portal."""

    model = Listing
    icon = "resubmit"
    menu_label = _("Listings")
    list_display = ["title", "organization", "type", "kind", "status", "expires_on"]
    list_filter = ["type", "kind", "status", "audience"]
    search_fields = ["title", "description"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "organization",
        "type",
        "kind",
        "status",
        "description",
        "audience",
        "expires_on",
        "photo",
        "photo_alt",
        "photo_descriptions",
    ]
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("status"),
        FieldPanel("expires_on"),
        FieldPanel("photo_alt"),
    ]


class BookingViewSet(SnippetViewSet):
    """Editors see the bookings (read only: owners decide in the portal)."""

    model = Booking
    icon = "date"
    menu_label = _("Bookings")
    list_display = ["listing", "organization", "starts_at", "ends_at", "status"]
    list_filter = ["status"]
    ordering = ["-starts_at"]
    inspect_view_enabled = True


class ResourcesGroup(SnippetViewSetGroup):
    items = (ListingViewSet, BookingViewSet)
    menu_icon = "resubmit"
    menu_label = _("Shared resources")
    menu_order = 330
    add_to_admin_menu = True


register_snippet(ResourcesGroup)


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
    """/portal/: how many bookings wait for my answer, open offers that answer what my
    organizations seek, and the way to my resources."""
    viewer = rules.viewer_for(request.user)
    return render_to_string(
        "resources/includes/dashboard_panel.html",
        {
            "waiting": selectors.bookings_waiting_for(request.user),
            "matches": matchmaking.listings_for_organizations(viewer, viewer.admin_ids),
        },
        request=request,
    )


@hooks.register("project_workspace_panels", order=60)
def resources_workspace_panel(request, project):
    """Open offers that answer the project's needs, with why, for its coordinators (where the
    workspace shows the organizations that match)."""
    if not can_coordinate(request.user, project):
        return ""
    matches = matchmaking.listings_for_project(rules.viewer_for(request.user), project)
    if not matches:
        return ""
    return render_to_string(
        "resources/includes/workspace_panel.html",
        {"project": project, "matches": matches},
        request=request,
    )


@hooks.register("training_room_bookings")
def training_rooms(project):
    """Rooms booked for a project, for its training sessions (the contract is in
    ``training.session_links``)."""
    return selectors.project_room_bookings(project)


@hooks.register("training_room_booker")
def training_room_booker():
    """Rooms booked straight from a training session (the contract is in
    ``training.session_links``)."""
    return SessionRooms()


IN_KIND_CURRENCY = "EUR"  # the currency a listing's value per hour is stated in


@hooks.register("impact_input_suggestions")
def resources_received(project):
    """What the cluster's resources gave the project, offered to its impact map as inputs
    with their source (the contract is in ``impact.suggestions``), never added by themselves:
    returned bookings made for the project, at the value per hour their listing states (in
    kind), and the ledger hours given for it that no stated value covers (valued at the map's
    hourly rate)."""
    received = selectors.project_in_kind(project)
    rows = []
    for row in received["in_kind"]:
        listing = row["listing"]
        rows.append(
            {
                "key": f"resources:kind:{row['year']}:{listing.pk}",
                "kind": "in_kind",
                "year": row["year"],
                "hours": row["hours"],
                "amount": row["amount"],
                "currency": IN_KIND_CURRENCY,
                "description": ngettext(
                    "“%(title)s” lent to the project in %(year)s: %(hours)s h in %(count)s "
                    "booking, at %(rate)s %(currency)s an hour as its owner states",
                    "“%(title)s” lent to the project in %(year)s: %(hours)s h in %(count)s "
                    "bookings, at %(rate)s %(currency)s an hour as its owner states",
                    row["bookings"],
                )
                % {
                    "title": listing.title,
                    "year": row["year"],
                    "hours": f"{row['hours'].normalize():f}",
                    "count": row["bookings"],
                    "rate": listing.value_per_hour,
                    "currency": IN_KIND_CURRENCY,
                },
                "contributor": row["giver"],
            }
        )
    for row in received["hours"]:
        rows.append(
            {
                "key": f"resources:hours:{row['year']}:{row['giver_id']}",
                "kind": "volunteer_hours",
                "year": row["year"],
                "hours": row["hours"],
                "description": gettext(
                    "Hours of volunteer time and expertise %(giver)s gave the project in "
                    "%(year)s (the shared resources' hours ledger)"
                )
                % {"giver": row["giver"], "year": row["year"]},
                "contributor": row["giver"],
            }
        )
    return rows


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register("register_person_activity")
def person_activity(user_id, organization_id, limit):
    """Bookings a person asked for the organization, or of the organization's resources."""
    return [
        {
            "when": booking.starts_at,
            "kind": gettext("Booking"),
            "summary": f"{booking.listing.title}: {booking.get_status_display()}",
        }
        for booking in selectors.person_bookings_with(user_id, organization_id)[:limit]
    ]
