"""Reads about shared resources, each with the visibility of ``resources.permissions``."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from . import permissions as rules
from .filters import ListingFilter
from .models import Answer, Booking, BookingSeries, HoursEntry, Listing, ListingPhoto

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


DIRECTORY_PHOTO = "fill-480x270"
DETAIL_PHOTO = "max-960x540"


def _photos(spec):
    """The listings' photos with their renditions for ``spec``: one query for a whole page."""
    from wagtail.images import get_image_model

    return Prefetch("photo", queryset=get_image_model().objects.prefetch_renditions(spec))


def directory(viewer, params, *, page=1, page_size=PAGE_SIZE):
    """One page of the directory for ``params`` (a QueryDict): a constant number of queries."""
    base = (
        listings_visible(viewer)
        .select_related("organization", "region")
        .prefetch_related(_photos(DIRECTORY_PHOTO))
    )
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


def _extra_photos(spec):
    from wagtail.images import get_image_model

    return Prefetch(
        "extra_photos",
        queryset=ListingPhoto.objects.prefetch_related(
            Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(spec))
        ),
    )


def listing_photos(listing):
    """The listing's photos as (id, image, alt), the cover first (its id is ``"cover"``), with
    their renditions: one query for the further photos and one for their images (the cover
    comes prefetched with ``listing_get``)."""
    prefetch_related_objects([listing], _extra_photos(DETAIL_PHOTO))
    photos = [("cover", listing.photo, listing.photo_alt)] if listing.photo_id else []
    return photos + [(extra.pk, extra.image, extra.alt) for extra in listing.extra_photos.all()]


def listing_get(pk):
    return (
        Listing.objects.select_related("organization", "region", "project")
        .prefetch_related(
            "sectors",
            "sdgs",
            "tags",
            "availability",
            "blocked_dates",
            _photos(DETAIL_PHOTO),
        )
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


FEED_SALT = "resources.feed"


def feed_token(user):
    """The signed, private part of a person's booking-calendar URLs. It has no expiry: what the
    feeds show is worked out from the person's memberships when they are fetched, so leaving an
    organization ends its bookings there at once. The same person always gets the same token
    (no timestamp in it), so the address a calendar app subscribed to stays the one the page
    shows."""
    return signing.Signer(salt=FEED_SALT).sign_object(user.pk)


def feed_viewer(token):
    """The person a feed token stands for (as a viewer), or None for a bad token or an
    inactive account."""
    from django.contrib.auth import get_user_model

    try:
        user_id = signing.Signer(salt=FEED_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return rules.viewer_for(user) if user is not None else None


def private_feed_bookings(org_ids):
    """Holding bookings these organizations made, and those of their own listings, from a
    month ago on (one query)."""
    org_ids = list(org_ids)
    return (
        Booking.objects.filter(
            Q(organization_id__in=org_ids) | Q(listing__organization_id__in=org_ids),
            status__in=Booking.HOLDING,
            ends_at__gte=timezone.now() - FEED_PAST,
        )
        .select_related("listing__organization", "organization")
        .order_by("starts_at", "pk")
    )


def organization_feed_listings(viewer, organization_id):
    return listings_visible(viewer).filter(organization_id=organization_id, type="offer")


def projects_of_organizations(org_ids):
    """Projects these organizations are active partners of: a booking may be for one."""
    from projects.models import Participation, ProjectPage

    return (
        ProjectPage.objects.filter(
            participations__organization_id__in=list(org_ids),
            participations__status=Participation.Status.ACTIVE,
        )
        .distinct()
        .order_by("title")
    )


# --- What a project received, for its impact report -----------------------------------------


def project_in_kind(project):
    """What the cluster's resources gave ``project``, by year, with its source: the returned
    bookings made for it of listings that state a value per hour (``in_kind``, one row per
    listing and year), and the ledger hours given for it that no stated value covers
    (``hours``, one row per giving organization and year, valued later at the impact map's
    hourly rate). Two queries."""
    in_kind = {}
    returned = (
        Booking.objects.filter(
            project_id=project.pk,
            status=Booking.Status.RETURNED,
            listing__value_per_hour__isnull=False,
        )
        .exclude(organization_id=F("listing__organization_id"))
        .select_related("listing__organization")
        .order_by("starts_at", "pk")
    )
    for booking in returned:
        year = timezone.localtime(booking.starts_at).year
        row = in_kind.setdefault(
            (year, booking.listing_id),
            {
                "year": year,
                "listing": booking.listing,
                "giver": booking.listing.organization.title,
                "bookings": 0,
                "hours": Decimal(0),
            },
        )
        row["bookings"] += 1
        row["hours"] += Decimal(str(round(booking.hours, 2)))
    for row in in_kind.values():
        row["amount"] = (row["hours"] * row["listing"].value_per_hour).quantize(Decimal("0.01"))
    hours = (
        HoursEntry.objects.filter(project_id=project.pk)
        .filter(Q(listing__isnull=True) | Q(listing__value_per_hour__isnull=True))
        .values("date__year", "giver_id", "giver__title")
        .annotate(hours=Sum("hours"), entries=Count("pk"))
        .order_by("date__year", "giver_id")
    )
    return {
        "in_kind": sorted(in_kind.values(), key=lambda r: (r["year"], r["listing"].pk)),
        "hours": [
            {
                "year": row["date__year"],
                "giver_id": row["giver_id"],
                "giver": row["giver__title"],
                "hours": row["hours"],
                "entries": row["entries"],
            }
            for row in hours
        ],
    }


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


def hours_by_month(entries):
    """Hours of an (unsliced) ledger queryset per month and category, latest month first, in
    one query: ``[{"month": date, "volunteer": Decimal, "expertise": Decimal, "total": ...}]``."""
    months = {}
    rows = (
        entries.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month", "category")
        .annotate(hours=Sum("hours"))
    )
    for row in rows:
        month = months.setdefault(
            row["month"], {"month": row["month"], **dict.fromkeys(Listing.HOUR_KINDS, Decimal(0))}
        )
        month[row["category"]] = month.get(row["category"], Decimal(0)) + row["hours"]
    for month in months.values():
        month["total"] = sum(month[kind] for kind in Listing.HOUR_KINDS)
    return sorted(months.values(), key=lambda month: month["month"], reverse=True)


LEDGER_HEADER = ["date", "category", "hours", "giver", "receiver", "resource", "project"]
MONTHS_HEADER = ["month", *Listing.HOUR_KINDS, "total"]


def _ledger_rows(entries):
    """The ledger's rows for an export, names made safe for spreadsheets."""
    labels = dict(Listing.Kind.choices)
    for entry in entries.select_related("project").iterator(chunk_size=500):
        yield [
            entry.date,
            str(labels.get(entry.category, entry.category)),
            entry.hours,
            _cell(entry.giver.title),
            _cell(entry.receiver.title),
            _cell(entry.listing.title if entry.listing else ""),
            _cell(entry.project.title if entry.project else ""),
        ]


def hours_ledger_csv(entries):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEDGER_HEADER)
    for row in _ledger_rows(entries):
        writer.writerow([row[0].isoformat(), row[1], f"{row[2]}", *row[3:]])
    return buffer.getvalue()


def hours_ledger_xlsx(entries):
    """The ledger as an Excel workbook (openpyxl): dates as dates, hours as numbers; a second
    sheet totals the hours per month and category."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hours")
    sheet.append(LEDGER_HEADER)
    for row in _ledger_rows(entries):
        sheet.append(row)
    months = workbook.create_sheet("By month")
    months.append(MONTHS_HEADER)
    for month in hours_by_month(entries):
        months.append(
            [month["month"].strftime("%Y-%m")] + [month[key] for key in MONTHS_HEADER[1:]]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
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


def person_bookings_with(user_id, organization_id):
    """Bookings a person asked for, for the organization or of its listings, newest first."""
    return (
        Booking.objects.filter(requested_by_id=user_id)
        .filter(Q(organization_id=organization_id) | Q(listing__organization_id=organization_id))
        .select_related("listing")
        .order_by("-starts_at", "-pk")
    )


def project_room_bookings(project, *, now=None):
    """The rooms booked for ``project`` (waiting for approval, approved or in use) that have
    not ended, in one query: a training programme's session may take place in one."""
    now = now or timezone.now()
    bookings = (
        Booking.objects.filter(
            project=project,
            listing__kind=Listing.Kind.ROOM,
            status__in=Booking.HOLDING,
            ends_at__gt=now,
        )
        .select_related("listing__organization")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "key": f"resources:booking:{booking.pk}",
            "label": f"{booking.listing.title} · {booking.listing.organization.title}",
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "url": reverse("resources:resource_detail", args=[booking.listing_id]),
        }
        for booking in bookings
    ]
