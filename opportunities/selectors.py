"""Every read of opportunities with a rule or a prefetch; lists in a constant number of queries."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions as rules
from .filters import CallFilter, PostFilter
from .models import (
    ConversationRead,
    Event,
    EventRegistration,
    FundingCall,
    InterestMessage,
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


def interest_get(post_id, pk):
    """An expression of interest in the post ``post_id``, with both organizations."""
    return (
        PartnerInterest.objects.filter(post_id=post_id, pk=pk)
        .select_related("organization", "post", "post__organization")
        .first()
    )


def conversation_messages(interest):
    return interest.messages.select_related("organization", "author").order_by("created_at", "pk")


def conversations_of(viewer):
    """The private conversations of the organizations the viewer administers, on either side,
    the newest first: one query."""
    return (
        PartnerInterest.objects.filter(
            Q(organization_id__in=viewer.admin_ids) | Q(post__organization_id__in=viewer.admin_ids)
        )
        .select_related("post", "post__organization", "organization")
        .order_by("-created_at", "-pk")
    )


def unread_counts(user, interest_ids):
    """{interest id: messages written by others after the person's read marker}: one query,
    conversations with nothing unread left out."""
    seen = ConversationRead.objects.filter(interest_id=OuterRef("interest_id"), user=user).values(
        "last_read_id"
    )[:1]
    rows = (
        InterestMessage.objects.filter(interest_id__in=list(interest_ids))
        .exclude(author=user)
        .annotate(seen=Coalesce(Subquery(seen), Value(0), output_field=BigIntegerField()))
        .filter(pk__gt=F("seen"))
        .values("interest_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["interest_id"]: row["n"] for row in rows}


def with_unread(user, interests):
    """The interests as a list, each with ``unread`` for the person."""
    interests = list(interests)
    counts = unread_counts(user, [interest.pk for interest in interests]) if interests else {}
    for interest in interests:
        interest.unread = counts.get(interest.pk, 0)
    return interests


def my_interest(viewer, post):
    """The interest one of the viewer's administered organizations expressed in ``post``."""
    return (
        post.interests.filter(organization_id__in=viewer.admin_ids)
        .select_related("organization")
        .first()
    )


def post_matches(post, *, limit=6):
    """Published organizations that fit the post, each with its reasons: the kind sought, the
    sector, being based in the post's region, serving it (territories served) and giving the
    service sought (capability profile). At most four queries, however many organizations."""
    from partners.models import PartnerCapability, PartnerPage

    in_sector = set()
    if post.sector_id:
        in_sector = set(
            PartnerPage.sectors.through.objects.filter(sector_id=post.sector_id).values_list(
                "partnerpage_id", flat=True
            )
        )
    serving = set()
    if post.region_id:
        serving = set(
            PartnerPage.territories.through.objects.filter(region_id=post.region_id).values_list(
                "partnerpage_id", flat=True
            )
        )
    giving = set()
    if post.service:
        giving = set(
            PartnerCapability.objects.filter(facet="service", value=post.service).values_list(
                "page_id", flat=True
            )
        )
    condition = Q(pk__in=in_sector | serving | giving)
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
        elif organization.pk in serving:
            reasons.append(
                _("serves the same territory (%(region)s)") % {"region": post.region.name}
            )
        if organization.pk in giving:
            reasons.append(
                _("gives the service sought (%(service)s)") % {"service": post.service_label}
            )
        matches.append((len(reasons), organization, reasons))
    matches.sort(key=lambda m: (-m[0], m[1].title))
    return [(organization, reasons) for _n, organization, reasons in matches[:limit]]


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
        "conversation_messages": [
            {
                "post": row.interest.post.title,
                "organization": row.organization.title,
                "body": row.body,
                "created_at": when(row.created_at),
            }
            for row in InterestMessage.objects.filter(author=user).select_related(
                "interest__post", "organization"
            )
        ],
        "conversations_read": [
            {"post": row.interest.post.title, "last_read_message": row.last_read_id}
            for row in ConversationRead.objects.filter(user=user).select_related("interest__post")
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
