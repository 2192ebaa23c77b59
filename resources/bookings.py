"""Writes about bookings: request (once or weekly), approve, decline, cancel, check out, return,
no-show.

Conflicts are refused by the database: on PostgreSQL an exclusion constraint keeps holding
bookings of one unit from overlapping (``migrations/0002_booking_no_overlap``), whatever path a
row takes. The services also lock the listing's row before they look for a free unit, so that
concurrent requests for one listing queue up and the second one gets a clear message instead of
an IntegrityError; on SQLite, which has no exclusion constraint, that lock and check are the
guarantee (SQLite runs one writer at a time).
"""

from datetime import time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from notifications.services import notification_create_many
from projects.models import Participation

from . import audit
from . import permissions as rules
from .models import Booking, BookingSeries, HoursEntry, Listing
from .services import listing_url, organization_admins

MAX_LENGTH = timedelta(days=31)
MAX_WEEKS = 26
HORIZON = timedelta(days=400)

CONFLICT = "conflict"
BLOCKED = "blocked"
UNAVAILABLE = "unavailable"


def _when(booking):
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _detail(booking):
    return f"{booking.listing.title}, {_when(booking)}"


def _check_range(starts_at, ends_at, *, now=None):
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A booking must end after it starts.")})
    if starts_at < now:
        raise ValidationError({"starts_at": _("A booking cannot start in the past.")})
    if ends_at - starts_at > MAX_LENGTH:
        raise ValidationError({"ends_at": _("A booking can last 31 days at most.")})
    if starts_at > now + HORIZON:
        raise ValidationError({"starts_at": _("Bookings open up to about a year ahead.")})


def _obstacle(listing, starts_at, ends_at):
    """Why the listing's calendar refuses this range (``BLOCKED``, ``UNAVAILABLE``) or None."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    last_day = (end - timedelta(microseconds=1)).date()
    if listing.blocked_dates.filter(date__gte=start.date(), date__lte=last_day).exists():
        return BLOCKED
    windows = list(listing.availability.all())
    if not windows:
        return None
    for day, seg_start, seg_end in _days(start, end):
        if not any(_window_covers(window, day, seg_start, seg_end) for window in windows):
            return UNAVAILABLE
    return None


# A window that ends at 23:59 runs until midnight: a booking may go on into the next day's
# window (a Friday night 20:00–23:59 window and a Saturday 00:00–02:00 one take 22:00–01:00).
END_OF_DAY = time(23, 59)


def _days(start, end):
    """The local days a range covers, as (day, from, until); ``until`` is None when the
    range goes on past midnight."""
    day = start.date()
    segment_start = start.time()
    while True:
        if end.date() == day:
            yield day, segment_start, end.time()
            return
        next_day = day + timedelta(days=1)
        if end.date() == next_day and end.time() == time(0):
            yield day, segment_start, None
            return
        yield day, segment_start, None
        day, segment_start = next_day, time(0)


def _window_covers(window, day, segment_start, segment_end):
    if window.weekday != day.weekday() or window.starts_at > segment_start:
        return False
    if segment_end is None:
        return window.ends_at >= END_OF_DAY
    return segment_end <= window.ends_at


OBSTACLE_TEXT = {
    BLOCKED: lambda: _("The resource is not available on that day."),
    UNAVAILABLE: lambda: _("That time is outside the resource's availability."),
    CONFLICT: lambda: _("That time is already booked."),
}


def _free_units(listing, starts_at, ends_at):
    taken = set(
        Booking.objects.filter(
            listing=listing,
            status__in=Booking.HOLDING,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).values_list("unit", flat=True)
    )
    return [unit for unit in range(1, listing.quantity + 1) if unit not in taken]


def _lock(listing):
    """Queue this transaction behind any other booking the listing's calendar."""
    return Listing.objects.select_for_update().select_related("organization").get(pk=listing.pk)


def _check_can_book(user, listing, organization):
    viewer = rules.viewer_for(user)
    if not rules.can_book(viewer, listing):
        raise PermissionDenied(_("You cannot book this resource."))
    if organization.pk not in rules.booking_organizations(viewer):
        raise PermissionDenied(_("You can book only for an organization you belong to."))


def _check_project(organization, project):
    """A booking counts for a project only when the booking organization is one of its active
    partners (its impact report is then offered the booking's value)."""
    if project is None:
        return
    if not Participation.objects.filter(
        project_id=project.pk,
        organization_id=organization.pk,
        status=Participation.Status.ACTIVE,
    ).exists():
        raise ValidationError(
            {"project": _("Choose a project this organization is an active partner of.")}
        )


def _place(
    listing, *, organization, user, starts_at, ends_at, quantity, note, series=None, project=None
):
    """Create ``quantity`` bookings on free units, or raise ValidationError with the reason.
    The caller holds the listing's lock."""
    obstacle = _obstacle(listing, starts_at, ends_at)
    if obstacle:
        raise ValidationError(OBSTACLE_TEXT[obstacle](), code=obstacle)
    units = _free_units(listing, starts_at, ends_at)
    if len(units) < quantity:
        raise ValidationError(OBSTACLE_TEXT[CONFLICT](), code=CONFLICT)
    status = Booking.Status.APPROVED if listing.auto_approve else Booking.Status.PENDING
    now = timezone.now()
    made = []
    try:
        # A savepoint: a series goes on with its next date when this one conflicts.
        with transaction.atomic():
            for unit in units[:quantity]:
                booking = Booking(
                    listing=listing,
                    unit=unit,
                    organization=organization,
                    requested_by=user,
                    series=series,
                    project=project,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=note,
                    status=status,
                    decided_at=now if listing.auto_approve else None,
                )
                booking.full_clean(
                    exclude=["listing", "organization", "series", "requested_by", "project"]
                )
                booking.save()
                made.append(booking)
    except IntegrityError as error:
        # The exclusion constraint: another transaction took the unit without our lock.
        raise ValidationError(OBSTACLE_TEXT[CONFLICT](), code=CONFLICT) from error
    return made


def _notify_request(listing, bookings, organization, series=None):
    first = bookings[0]
    if listing.auto_approve:
        return
    count = len(bookings)
    notification_create_many(
        users=organization_admins(listing.organization_id),
        kind="resources.booking_requested",
        render=lambda: (
            _("%(organization)s asks to book “%(title)s”")
            % {"organization": organization.title, "title": listing.title},
            _("%(when)s (%(count)s booking(s) to answer)")
            % {"when": _when(first), "count": count},
        ),
        url=reverse("resources:listing_bookings", args=[listing.pk]),
        about=listing.organization_id,
    )


@transaction.atomic
def booking_request(
    *, user, listing, organization, starts_at, ends_at, quantity=1, note="", project=None
):
    """Ask for ``quantity`` units of ``listing`` from ``starts_at`` to ``ends_at`` for
    ``organization``; approved at once when the owner chose auto-approval. Returns the
    bookings; refuses (ValidationError) with nothing stored when any unit is missing."""
    _check_can_book(user, listing, organization)
    _check_project(organization, project)
    _check_range(starts_at, ends_at)
    listing = _lock(listing)
    if not 1 <= quantity <= listing.quantity:
        raise ValidationError(
            {"quantity": _("Ask for 1 to %(max)s units.") % {"max": listing.quantity}}
        )
    bookings = _place(
        listing,
        organization=organization,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        quantity=quantity,
        note=note,
        project=project,
    )
    for booking in bookings:
        audit_record(
            listing.organization,
            audit.BOOKING_APPROVE if listing.auto_approve else audit.BOOKING_REQUEST,
            user=user,
            organization=organization,
            detail=_detail(booking),
        )
    _notify_request(listing, bookings, organization)
    return bookings


def _weekly(starts_at, ends_at, weeks):
    """The occurrences of a weekly series at the same local wall-clock time (DST-safe)."""
    start = timezone.localtime(starts_at)
    length = ends_at - starts_at
    for week in range(weeks):
        naive = start.replace(tzinfo=None) + timedelta(weeks=week)
        local_start = timezone.make_aware(naive)
        yield local_start, local_start + length


@transaction.atomic
def booking_series_request(
    *, user, listing, organization, starts_at, ends_at, weeks, note="", project=None
):
    """Book the same slot every week for ``weeks`` weeks, skipping (and recording) the dates
    that conflict, are blocked or fall outside the availability. Refuses with nothing stored
    when no date at all can be booked."""
    _check_can_book(user, listing, organization)
    _check_project(organization, project)
    if not 2 <= weeks <= MAX_WEEKS:
        raise ValidationError(
            {"weeks": _("A series repeats 2 to %(max)s times.") % {"max": MAX_WEEKS}}
        )
    _check_range(starts_at, ends_at)
    occurrences = list(_weekly(starts_at, ends_at, weeks))
    _check_range(*occurrences[-1])
    listing = _lock(listing)
    series = BookingSeries.objects.create(
        listing=listing, organization=organization, requested_by=user, occurrences=weeks
    )
    made, skipped = [], []
    for start, end in occurrences:
        try:
            made += _place(
                listing,
                organization=organization,
                user=user,
                starts_at=start,
                ends_at=end,
                quantity=1,
                note=note,
                series=series,
                project=project,
            )
        except ValidationError as error:
            skipped.append({"date": start.date().isoformat(), "reason": error.code or CONFLICT})
    if not made:
        raise ValidationError(_("None of these dates can be booked."), code=CONFLICT)
    series.skipped = skipped
    series.save(update_fields=["skipped"])
    for booking in made:
        audit_record(
            listing.organization,
            audit.BOOKING_APPROVE if listing.auto_approve else audit.BOOKING_REQUEST,
            user=user,
            organization=organization,
            detail=_detail(booking),
        )
    _notify_request(listing, made, organization, series)
    return series


# --- The owner's decisions and the desk ----------------------------------------------------


def _locked_booking(booking):
    return (
        Booking.objects.select_for_update()
        .select_related("listing__organization", "organization")
        .get(pk=booking.pk)
    )


def _notify_booker(booking, kind, title, body=""):
    notification_create_many(
        users=[booking.requested_by] if booking.requested_by_id else [],
        kind=kind,
        render=lambda: (title(), body),
        url=listing_url(booking.listing),
    )


def _transition(booking, user, *, allowed, may, to, action, **changes):
    booking = _locked_booking(booking)
    if not may(rules.viewer_for(user), booking):
        raise PermissionDenied
    if booking.status not in allowed:
        raise ValidationError(
            _("This booking is %(status)s: it cannot be changed that way.")
            % {"status": booking.get_status_display().lower()}
        )
    booking.status = to
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.full_clean(exclude=["listing", "organization", "series", "requested_by"])
    booking.save()
    audit_record(
        booking.listing.organization,
        action,
        user=user,
        organization=booking.organization,
        detail=_detail(booking),
    )
    return booking


@transaction.atomic
def booking_approve(*, booking, user):
    booking = _transition(
        booking,
        user,
        allowed=(Booking.Status.PENDING,),
        may=lambda v, b: rules.can_decide(v, b.listing),
        to=Booking.Status.APPROVED,
        action=audit.BOOKING_APPROVE,
        decided_by=user,
        decided_at=timezone.now(),
    )
    _notify_booker(
        booking,
        "resources.booking_approved",
        lambda: _("Your booking of “%(title)s” is approved") % {"title": booking.listing.title},
        _when(booking),
    )
    return booking


@transaction.atomic
def booking_decline(*, booking, user, reason=""):
    booking = _transition(
        booking,
        user,
        allowed=(Booking.Status.PENDING,),
        may=lambda v, b: rules.can_decide(v, b.listing),
        to=Booking.Status.DECLINED,
        action=audit.BOOKING_DECLINE,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=reason,
    )
    _notify_booker(
        booking,
        "resources.booking_declined",
        lambda: _("Your booking of “%(title)s” was declined") % {"title": booking.listing.title},
        reason,
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking, user):
    """Cancel a pending or approved booking. Whoever asked for it is told (unless they cancel
    it themselves); so are the owner's admins when the booking side cancels."""
    booking = _transition(
        booking,
        user,
        allowed=(Booking.Status.PENDING, Booking.Status.APPROVED),
        may=rules.can_cancel,
        to=Booking.Status.CANCELLED,
        action=audit.BOOKING_CANCEL,
    )
    listing = booking.listing
    if booking.requested_by_id and booking.requested_by_id != user.pk:
        _notify_booker(
            booking,
            "resources.booking_cancelled",
            lambda: _("Your booking of “%(title)s” was cancelled") % {"title": listing.title},
            _when(booking),
        )
    if not rules.is_owner_admin(rules.viewer_for(user), listing):
        notification_create_many(
            users=[u for u in organization_admins(listing.organization_id) if u.pk != user.pk],
            kind="resources.booking_cancelled",
            render=lambda: (
                _("%(organization)s cancelled a booking of “%(title)s”")
                % {"organization": booking.organization.title, "title": listing.title},
                _when(booking),
            ),
            url=reverse("resources:listing_bookings", args=[listing.pk]),
            about=listing.organization_id,
        )
    return booking


@transaction.atomic
def booking_check_out(*, booking, user, condition=""):
    return _transition(
        booking,
        user,
        allowed=(Booking.Status.APPROVED,),
        may=lambda v, b: rules.can_handle(v, b.listing),
        to=Booking.Status.CHECKED_OUT,
        action=audit.BOOKING_CHECK_OUT,
        checked_out_at=timezone.now(),
        checkout_condition=condition,
    )


@transaction.atomic
def booking_return(*, booking, user, condition=""):
    """Take the resource back; for volunteer time and expertise the hours go in the ledger."""
    booking = _transition(
        booking,
        user,
        allowed=(Booking.Status.CHECKED_OUT,),
        may=lambda v, b: rules.can_handle(v, b.listing),
        to=Booking.Status.RETURNED,
        action=audit.BOOKING_RETURN,
        returned_at=timezone.now(),
        return_condition=condition,
    )
    listing = booking.listing
    if listing.gives_hours and booking.organization_id != listing.organization_id:
        HoursEntry.objects.create(
            listing=listing,
            booking=booking,
            giver_id=listing.organization_id,
            receiver_id=booking.organization_id,
            project_id=booking.project_id,
            category=listing.kind,
            hours=Decimal(str(round(booking.hours, 2))),
            date=timezone.localtime(booking.starts_at).date(),
            recorded_by=user,
        )
    return booking


@transaction.atomic
def booking_no_show(*, booking, user):
    if booking.starts_at > timezone.now():
        raise ValidationError(_("A booking that has not started yet cannot be a no-show."))
    booking = _transition(
        booking,
        user,
        allowed=(Booking.Status.APPROVED,),
        may=lambda v, b: rules.can_handle(v, b.listing),
        to=Booking.Status.NO_SHOW,
        action=audit.BOOKING_NO_SHOW,
    )
    _notify_booker(
        booking,
        "resources.booking_no_show",
        lambda: (
            _("You were marked as not having come for “%(title)s”")
            % {"title": booking.listing.title}
        ),
        _when(booking),
    )
    return booking


# --- Reminders ------------------------------------------------------------------------------

REMIND_AHEAD = timedelta(hours=24)


def bookings_remind(*, now=None):
    """Remind whoever asked for each approved booking that starts within a day, once; return
    how many were reminded."""
    now = now or timezone.now()
    due = list(
        Booking.objects.filter(
            status=Booking.Status.APPROVED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + REMIND_AHEAD,
            requested_by__isnull=False,
        ).select_related("listing", "requested_by")
    )
    for booking in due:
        with transaction.atomic():
            _notify_booker(
                booking,
                "resources.booking_reminder",
                lambda booking=booking: (
                    _("Reminder: “%(title)s” is booked for you") % {"title": booking.listing.title}
                ),
                _when(booking),
            )
            Booking.objects.filter(pk=booking.pk).update(reminded_at=now)
    return len(due)
