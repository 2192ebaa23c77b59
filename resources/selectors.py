"""Reads about shared resources, each with the visibility of ``resources.permissions``."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import permissions as rules
from .filters import ListingFilter
from .models import Answer, Booking, BookingSeries, HoursEntry, Listing

PAGE_SIZE = 24


def _active(qs, *, today=None):
    today = today or timezone.localdate()
    return qs.filter(status=Listing.Status.OPEN, expires_on__gte=today, organization__live=True)


def listings_visible(viewer):
    """Open, unexpired listings of published organizations this person may see."""
    qs = _active(Listing.objects.all())
    if viewer.superuser or viewer.editor:
        return qs
    audience = Q(audience=Listing.Audience.PUBLIC) | Q(organization_id__in=viewer.org_ids)
    if viewer.in_cluster:
        audience |= Q(audience=Listing.Audience.CLUSTER)
    if viewer.project_ids:
        audience |= Q(audience=Listing.Audience.PROJECT, project_id__in=viewer.project_ids)
    return qs.filter(audience)


@dataclass
class Directory:
    filterset: ListingFilter
    page_obj: object
    errors: list
    query_string: str

    @property
    def filtered(self):
        data = getattr(self.filterset.form, "cleaned_data", {})
        return any(data.get(name) for name in self.filterset.form.fields)


def directory(viewer, params, *, page=1, page_size=PAGE_SIZE):
    """One page of the directory for ``params`` (a QueryDict): a constant number of queries."""
    base = listings_visible(viewer).select_related("organization", "region")
    filterset = ListingFilter(params, queryset=base)
    form = filterset.form
    form.is_valid()
    errors = [message for messages in form.errors.values() for message in messages]
    qs = filterset.qs.order_by("-created_at", "-pk")
    paginator = Paginator(qs, page_size)
    page_obj = paginator.get_page(page)
    kept = params.copy()
    kept.pop("page", None)
    return Directory(filterset, page_obj, errors, kept.urlencode())


def listing_get(pk):
    return (
        Listing.objects.select_related("organization", "region", "project")
        .prefetch_related("sectors", "sdgs", "tags", "availability", "blocked_dates")
        .filter(pk=pk)
        .first()
    )


def listing_get_for_user(viewer, pk):
    """The listing if this person may see it (None otherwise: its existence stays private)."""
    listing = listing_get(pk)
    if listing is None or not rules.can_view(viewer, listing):
        return None
    return listing


def upcoming_blocked_dates(listing, *, today=None):
    today = today or timezone.localdate()
    return [b for b in listing.blocked_dates.all() if b.date >= today]


def bookings_of_listing(listing, *, include_past=False):
    qs = Booking.objects.filter(listing=listing).select_related("organization", "requested_by")
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now() - timedelta(days=30))
    return qs.order_by("starts_at", "unit", "pk")


def bookings_of_viewer_for_listing(viewer, listing):
    """The bookings this person's organizations made of ``listing``."""
    if not viewer.org_ids:
        return Booking.objects.none()
    return (
        Booking.objects.filter(listing=listing, organization_id__in=viewer.org_ids)
        .select_related("organization")
        .order_by("-starts_at", "pk")[:50]
    )


def answers_of_request(listing):
    return (
        Answer.objects.filter(request=listing)
        .select_related("organization", "offer")
        .order_by("created_at", "pk")
    )


def series_get_for_user(viewer, pk):
    series = (
        BookingSeries.objects.select_related("listing__organization", "organization")
        .filter(pk=pk)
        .first()
    )
    if series is None:
        return None
    if not (
        viewer.superuser
        or series.organization_id in viewer.org_ids
        or rules.is_owner(viewer, series.listing)
    ):
        return None
    return series


def series_bookings(series):
    return Booking.objects.filter(series=series).order_by("starts_at", "pk")


@dataclass
class Mine:
    listings: list
    to_answer: list
    bookings: list


def mine(viewer):
    """The portal view of one person's resources: their organizations' listings, the bookings
    waiting for them, and the bookings their organizations made."""
    listings = list(
        Listing.objects.filter(organization_id__in=viewer.org_ids)
        .select_related("organization")
        .annotate(
            pending=Count("bookings", filter=Q(bookings__status=Booking.Status.PENDING)),
            answer_count=Count("answers"),
        )
        .order_by("-created_at", "-pk")[:100]
    )
    to_answer = list(
        Booking.objects.filter(
            listing__organization_id__in=viewer.admin_ids, status=Booking.Status.PENDING
        )
        .select_related("listing", "organization")
        .order_by("starts_at", "pk")[:100]
    )
    bookings = list(
        Booking.objects.filter(
            organization_id__in=viewer.org_ids, ends_at__gte=timezone.now() - timedelta(days=30)
        )
        .select_related("listing__organization")
        .order_by("starts_at", "pk")[:100]
    )
    return Mine(listings, to_answer, bookings)


def answerable_offers(organization_ids):
    return (
        _active(Listing.objects.filter(organization_id__in=organization_ids))
        .filter(type=Listing.Type.OFFER)
        .select_related("organization")
        .order_by("organization__title", "title")
    )


# --- Calendar feeds -------------------------------------------------------------------------

FEED_PAST = timedelta(days=30)


def feed_bookings(listings):
    """The holding bookings of ``listings`` from a month ago on, for an iCalendar feed."""
    return (
        Booking.objects.filter(
            listing__in=listings,
            status__in=Booking.HOLDING,
            ends_at__gte=timezone.now() - FEED_PAST,
        )
        .select_related("listing")
        .order_by("starts_at", "pk")
    )


def organization_feed_listings(viewer, organization_id):
    return listings_visible(viewer).filter(organization_id=organization_id, type="offer")


# --- The hours ledger -----------------------------------------------------------------------


def hours_ledger(viewer, *, category="", date_from=None, date_to=None):
    """Hours given and received by this person's organizations (every entry for editors)."""
    qs = HoursEntry.objects.select_related("giver", "receiver", "listing")
    if not (viewer.superuser or viewer.editor):
        qs = qs.filter(Q(giver_id__in=viewer.org_ids) | Q(receiver_id__in=viewer.org_ids))
    if category:
        qs = qs.filter(category=category)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-pk")


def hours_totals(entries):
    """Totals by category of an (unsliced) ledger queryset, in one query."""
    return list(
        entries.order_by().values("category").annotate(hours=Sum("hours")).order_by("category")
    )


def hours_ledger_csv(entries):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "category", "hours", "giver", "receiver", "resource"])
    labels = dict(Listing.Kind.choices)
    for entry in entries.iterator(chunk_size=500):
        writer.writerow(
            [
                entry.date.isoformat(),
                str(labels.get(entry.category, entry.category)),
                f"{entry.hours}",
                _cell(entry.giver.title),
                _cell(entry.receiver.title),
                _cell(entry.listing.title if entry.listing else ""),
            ]
        )
    return buffer.getvalue()


def _cell(value):
    """No formula injection when the export is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --- Personal data --------------------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def personal_data(user):
    return {
        "listings_created": [
            {"id": row.pk, "title": row.title, "organization": row.organization.title}
            for row in Listing.objects.filter(created_by=user).select_related("organization")
        ],
        "bookings_requested": [
            {
                "resource": row.listing.title,
                "organization": row.organization.title,
                "starts_at": _when(row.starts_at),
                "ends_at": _when(row.ends_at),
                "status": row.status,
                "note": row.note,
            }
            for row in Booking.objects.filter(requested_by=user).select_related(
                "listing", "organization"
            )
        ],
        "answers": [
            {
                "request": row.request.title,
                "message": row.message,
                "created_at": _when(row.created_at),
            }
            for row in Answer.objects.filter(created_by=user).select_related("request")
        ],
    }


def bookings_waiting_for(user):
    """How many bookings of listings this person's organizations own wait for their admins'
    answer, when the person is one of those admins: one query."""
    from partners.models import Membership

    administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organization_id"
    )
    return Booking.objects.filter(
        listing__organization_id__in=administered, status=Booking.Status.PENDING
    ).count()
