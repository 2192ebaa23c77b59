"""Every read of opportunities with a rule or a prefetch; lists in a constant number of queries."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from . import permissions as rules
from .filters import CallFilter, PostFilter
from .models import (
    Event,
    EventRegistration,
    FundingCall,
    MeetingRequest,
    MeetingSlot,
    Moderation,
    PartnerInterest,
    PartnerSearch,
)

PAGE_SIZE = 24


@dataclass
class Board:
    filterset: object
    page_obj: object
    errors: list
    query_string: str

    @property
    def filtered(self):
        return bool(self.query_string)


def _board(filterset, params, qs, page, page_size):
    form = filterset.form
    form.is_valid()
    errors = [message for messages in form.errors.values() for message in messages]
    page_obj = Paginator(qs, page_size).get_page(page)
    kept = params.copy()
    kept.pop("page", None)
    return Board(filterset, page_obj, errors, kept.urlencode())


def calls_board(params, *, page=1, page_size=PAGE_SIZE):
    """Published calls, open ones by nearest deadline (archived too when asked)."""
    base = FundingCall.objects.filter(status=Moderation.PUBLISHED).prefetch_related(
        "eligible_kinds", "regions"
    )
    filterset = CallFilter(params, queryset=base)
    qs = filterset.qs
    if not params.get("archived"):
        qs = qs.filter(deadline__gte=timezone.localdate()).order_by("deadline", "pk")
    else:
        qs = qs.order_by("-deadline", "-pk")
    return _board(filterset, params, qs, page, page_size)


def call_get_for_user(viewer, pk):
    call = (
        FundingCall.objects.prefetch_related("eligible_kinds", "regions", "sectors", "sdgs")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        return None
    if call.status == Moderation.PUBLISHED or viewer.editor:
        return call
    return None


def calls_for_feed():
    """Every published call whose deadline is not more than a year past."""
    since = timezone.localdate().replace(year=timezone.localdate().year - 1)
    return FundingCall.objects.filter(status=Moderation.PUBLISHED, deadline__gte=since)


def posts_board(params, *, page=1, page_size=PAGE_SIZE):
    base = (
        PartnerSearch.objects.filter(
            status=PartnerSearch.Status.PUBLISHED, expires_on__gte=timezone.localdate()
        )
        .select_related("organization", "region", "sector", "call")
        .order_by("-created_at", "-pk")
    )
    filterset = PostFilter(params, queryset=base)
    return _board(filterset, params, filterset.qs, page, page_size)


def post_get_for_user(viewer, pk):
    post = (
        PartnerSearch.objects.select_related("organization", "region", "sector", "call")
        .filter(pk=pk)
        .first()
    )
    if post is None or not rules.can_see_post(viewer, post):
        return None
    return post


def posts_of(viewer):
    """The posts of the viewer's organizations, whatever their state."""
    return (
        PartnerSearch.objects.filter(organization_id__in=viewer.org_ids)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )


def interests_of_post(post):
    return post.interests.select_related("organization", "created_by")


def post_matches(post, *, limit=6):
    """Published organizations that fit the post, each with its reasons (kind, sector, region):
    two queries."""
    from partners.models import PartnerPage

    in_sector = set()
    if post.sector_id:
        in_sector = set(
            PartnerPage.sectors.through.objects.filter(sector_id=post.sector_id).values_list(
                "partnerpage_id", flat=True
            )
        )
    condition = Q(pk__in=in_sector)
    if post.partner_kind:
        condition |= Q(kind=post.partner_kind)
    if post.region_id:
        condition |= Q(region_id=post.region_id)
    organizations = (
        PartnerPage.objects.live()
        .filter(condition)
        .exclude(pk=post.organization_id)
        .only("pk", "title", "url_path", "kind", "region_id")
        .order_by("title")[:200]
    )
    matches = []
    for organization in organizations:
        reasons = []
        if post.partner_kind and organization.kind == post.partner_kind:
            reasons.append(organization.get_kind_display())
        if organization.pk in in_sector:
            reasons.append(post.sector.name)
        if post.region_id and organization.region_id == post.region_id:
            reasons.append(post.region.name)
        matches.append((len(reasons), organization, reasons))
    matches.sort(key=lambda m: (-m[0], m[1].title))
    return [(organization, reasons) for _, organization, reasons in matches[:limit]]


def events_list():
    return (
        Event.objects.filter(published=True, ends_at__gte=timezone.now())
        .select_related("region")
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=EventRegistration.Status.REGISTERED),
            )
        )
        .order_by("starts_at", "pk")
    )


def event_get(pk, viewer=None):
    event = Event.objects.select_related("region").filter(pk=pk).first()
    if event is None or not (event.published or (viewer and viewer.editor)):
        return None
    return event


def registrations_of(event):
    return (
        EventRegistration.objects.filter(event=event)
        .select_related("organization", "organization__region")
        .order_by("organization__title")
    )


def registered_ids(event):
    return set(
        EventRegistration.objects.filter(
            event=event, status=EventRegistration.Status.REGISTERED
        ).values_list("organization_id", flat=True)
    )


def agenda(event, organization_ids):
    """The meetings of these organizations at the event, by time, with both sides."""
    return (
        MeetingRequest.objects.filter(slot__event=event)
        .filter(Q(requester_id__in=organization_ids) | Q(recipient_id__in=organization_ids))
        .select_related("slot", "requester", "recipient")
        .order_by("slot__starts_at", "pk")
    )


def slots_with_seats(event):
    return MeetingSlot.objects.filter(event=event).prefetch_related(
        Prefetch("seats", to_attr="taken")
    )


def person_meetings(user):
    """Every planned meeting of any of the person's organizations, in every event to come."""
    from partners.models import Membership

    org_ids = Membership.objects.filter(user=user).values("organization_id")
    return (
        MeetingRequest.objects.filter(status__in=MeetingRequest.HOLDING)
        .filter(Q(requester_id__in=org_ids) | Q(recipient_id__in=org_ids))
        .filter(slot__ends_at__gte=timezone.now() - timezone.timedelta(days=30))
        .select_related("slot", "slot__event", "requester", "recipient")
        .order_by("slot__starts_at", "pk")
    )


def personal_data(user):
    from core.personal_data import when

    return {
        "calls_proposed": [
            {"id": row.pk, "title": row.title, "status": row.status}
            for row in FundingCall.objects.filter(proposed_by=user)
        ],
        "partner_search_posts": [
            {"id": row.pk, "title": row.title, "organization": row.organization.title}
            for row in PartnerSearch.objects.filter(created_by=user).select_related("organization")
        ],
        "interests_expressed": [
            {"post": row.post.title, "message": row.message, "created_at": when(row.created_at)}
            for row in PartnerInterest.objects.filter(created_by=user).select_related("post")
        ],
        "event_registrations": [
            {"event": row.event.title, "organization": row.organization.title}
            for row in EventRegistration.objects.filter(registered_by=user).select_related(
                "event", "organization"
            )
        ],
        "meetings_requested": [
            {
                "event": row.slot.event.title,
                "with": row.recipient.title,
                "starts_at": when(row.slot.starts_at),
                "message": row.message,
                "status": row.status,
            }
            for row in MeetingRequest.objects.filter(requested_by=user).select_related(
                "slot__event", "recipient"
            )
        ],
    }
