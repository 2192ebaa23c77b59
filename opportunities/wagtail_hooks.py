"""How opportunities plugs into the Wagtail admin (editors review calls and posts, curate
events), the notification centre and the personal-data registry."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.personal_data import PersonalData
from partners.selectors import TERM_USERS_HOOK

from . import notification_kinds, selectors, services
from .models import Event, FundingCall, PartnerSearch


class FundingCallViewSet(SnippetViewSet):
    """Editors publish calls and review the ones members propose (status "waiting")."""

    model = FundingCall
    icon = "doc-full"
    menu_label = _("Funding calls")
    list_display = ["title", "funder", "deadline", "status"]
    list_filter = ["status", "funder_type"]
    search_fields = ["title", "funder", "programme"]


class PartnerSearchViewSet(SnippetViewSet):
    """Editors review partner-search posts: publish or reject them."""

    model = PartnerSearch
    icon = "group"
    menu_label = _("Partner-search posts")
    list_display = ["title", "organization", "expires_on", "status"]
    list_filter = ["status", "direction"]
    search_fields = ["title", "purpose"]


class EventViewSet(SnippetViewSet):
    """Editors create events and their one-to-one meeting slots."""

    model = Event
    icon = "date"
    menu_label = _("Events")
    list_display = ["title", "starts_at", "capacity", "published"]
    search_fields = ["title", "summary"]


class OpportunitiesGroup(SnippetViewSetGroup):
    items = (FundingCallViewSet, PartnerSearchViewSet, EventViewSet)
    menu_icon = "pick"
    menu_label = _("Opportunities")
    menu_order = 320
    add_to_admin_menu = True


register_snippet(OpportunitiesGroup)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="opportunities",
        models=(
            "opportunities.FundingCall",
            "opportunities.PartnerSearch",
            "opportunities.PartnerInterest",
            "opportunities.InterestMessage",
            "opportunities.ConversationRead",
            "opportunities.EventRegistration",
            "opportunities.MeetingRequest",
            "opportunities.CallProject",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
    )


@hooks.register(TERM_USERS_HOOK)
def capability_term_on_a_post(term):
    """A partner-search post names a service by its code: that term is in use."""
    return term.facet == "service" and PartnerSearch.objects.filter(service=term.code).exists()
