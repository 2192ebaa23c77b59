"""Writes about listings and answers: publish, edit, close, renew, expiry reminders, answers.

Bookings are in ``resources.bookings``. Each service checks the rule of
``resources.permissions`` itself (a view's check is a courtesy), validates with ``full_clean``,
records the change in the audit trail and makes cached public pages stale when they show it.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.pagecache import cache_invalidate
from notifications.services import notification_create_many

from . import audit
from . import permissions as rules
from .models import Answer, AvailabilityRule, BlockedDate, Listing

EDITABLE_FIELDS = (
    "type",
    "kind",
    "title",
    "description",
    "quantity",
    "region",
    "address",
    "accessibility",
    "conditions",
    "conditions_note",
    "audience",
    "project",
    "auto_approve",
    "expires_on",
)
MAX_LIFETIME = timedelta(days=366)
REMIND_BEFORE = timedelta(days=7)
RENEW_FOR = timedelta(days=90)


def organization_admins(organization_id):
    return list(
        get_user_model().objects.filter(
            memberships__organization_id=organization_id, memberships__role="admin"
        )
    )


def listing_url(listing):
    return reverse("resources:resource_detail", args=[listing.pk])


def _check_expiry(expires_on, *, today=None):
    today = today or timezone.localdate()
    if expires_on < today:
        raise ValidationError({"expires_on": _("The expiry date cannot be in the past.")})
    if expires_on > today + MAX_LIFETIME:
        raise ValidationError({"expires_on": _("A listing can run for a year at most.")})


def _check_project(user, listing):
    if listing.audience != Listing.Audience.PROJECT:
        return
    viewer = rules.viewer_for(user)
    if not (viewer.superuser or viewer.editor) and listing.project_id not in viewer.project_ids:
        raise ValidationError(
            {"project": _("Choose a project one of your organizations takes part in.")}
        )


def _set_relations(listing, sectors, sdgs, tags):
    if sectors is not None:
        listing.sectors.set(sectors)
    if sdgs is not None:
        listing.sdgs.set(sdgs)
    if tags is not None:
        listing.tags.set([tag.strip()[:100] for tag in tags if tag.strip()])


@transaction.atomic
def listing_create(*, user, organization, sectors=(), sdgs=(), tags=(), **fields):
    """Publish an offer or a request for ``organization``, which ``user`` administers."""
    viewer = rules.viewer_for(user)
    if not (viewer.superuser or organization.pk in viewer.admin_ids):
        raise PermissionDenied(_("Only an admin of the organization can list its resources."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    listing = Listing(organization=organization, created_by=user, **fields)
    listing.full_clean()
    _check_expiry(listing.expires_on)
    _check_project(user, listing)
    listing.save()
    _set_relations(listing, sectors, sdgs, tags)
    audit_record(organization, audit.LISTING_CREATE, user=user, detail=listing.title)
    cache_invalidate()
    return listing


@transaction.atomic
def listing_update(*, listing, user, sectors=None, sdgs=None, tags=None, **fields):
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(listing, name, value)
    listing.full_clean()
    if "expires_on" in fields:
        _check_expiry(listing.expires_on)
        listing.reminded_at = None
    _check_project(user, listing)
    if "quantity" in fields:
        _check_quantity(listing)
    listing.save()
    _set_relations(listing, sectors, sdgs, tags)
    audit_record(listing.organization, audit.LISTING_UPDATE, user=user, detail=listing.title)
    cache_invalidate()
    return listing


def _check_quantity(listing):
    from .models import Booking

    taken = (
        Booking.objects.filter(
            listing=listing,
            status__in=Booking.HOLDING,
            ends_at__gt=timezone.now(),
            unit__gt=listing.quantity,
        )
        .order_by()
        .exists()
    )
    if taken:
        raise ValidationError(
            {"quantity": _("Units above this quantity still have bookings to come.")}
        )


@transaction.atomic
def listing_close(*, listing, user):
    """Take a listing out of the directory; its bookings stay as they are."""
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    listing.status = Listing.Status.CLOSED
    listing.save(update_fields=["status", "updated_at"])
    audit_record(listing.organization, audit.LISTING_CLOSE, user=user, detail=listing.title)
    cache_invalidate()
    return listing


@transaction.atomic
def listing_renew(*, listing, user, today=None):
    """Push the expiry date ``RENEW_FOR`` ahead of today (or of the current date if later)."""
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    today = today or timezone.localdate()
    listing.expires_on = max(listing.expires_on, today) + RENEW_FOR
    if listing.expires_on > today + MAX_LIFETIME:
        listing.expires_on = today + MAX_LIFETIME
    listing.reminded_at = None
    if listing.status == Listing.Status.CLOSED:
        listing.status = Listing.Status.OPEN
    listing.save(update_fields=["expires_on", "reminded_at", "status", "updated_at"])
    audit_record(listing.organization, audit.LISTING_RENEW, user=user, detail=listing.title)
    cache_invalidate()
    return listing


def listings_expiry_remind(*, today=None):
    """Remind the admins of each open listing that expires within a week, once; return how
    many listings were reminded. Expired listings leave the directory by themselves (the
    selectors compare the date), so the page cache is made stale when any has expired today."""
    today = today or timezone.localdate()
    due = list(
        Listing.objects.filter(
            status=Listing.Status.OPEN,
            reminded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=today + REMIND_BEFORE,
        ).select_related("organization")
    )
    for listing in due:
        with transaction.atomic():
            notification_create_many(
                users=organization_admins(listing.organization_id),
                kind="resources.expiring",
                render=lambda listing=listing: (
                    _("“%(title)s” expires on %(date)s")
                    % {
                        "title": listing.title,
                        "date": listing.expires_on.isoformat(),
                    },
                    _("Renew it if it is still on offer, or it leaves the directory."),
                ),
                url=listing_url(listing),
                about=listing.organization_id,
            )
            Listing.objects.filter(pk=listing.pk).update(reminded_at=timezone.now())
    if Listing.objects.filter(
        status=Listing.Status.OPEN, expires_on=today - timedelta(1)
    ).exists():
        cache_invalidate()
    return len(due)


# --- Availability ---------------------------------------------------------------------------


@transaction.atomic
def availability_add(*, listing, user, weekday, starts_at, ends_at):
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    rule = AvailabilityRule(listing=listing, weekday=weekday, starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The window must end after it starts.")})
    rule.full_clean()
    rule.save()
    cache_invalidate()  # the listing's public page shows its availability
    return rule


@transaction.atomic
def availability_remove(*, rule, user):
    if not rules.can_manage(rules.viewer_for(user), rule.listing):
        raise PermissionDenied
    rule.delete()
    cache_invalidate()


@transaction.atomic
def blocked_date_add(*, listing, user, date, reason=""):
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    if BlockedDate.objects.filter(listing=listing, date=date).exists():
        raise ValidationError({"date": _("That day is blocked already.")})
    blocked = BlockedDate(listing=listing, date=date, reason=reason)
    blocked.full_clean()
    blocked.save()
    cache_invalidate()
    return blocked


@transaction.atomic
def blocked_date_remove(*, blocked, user):
    if not rules.can_manage(rules.viewer_for(user), blocked.listing):
        raise PermissionDenied
    blocked.delete()
    cache_invalidate()


# --- Requests answered ----------------------------------------------------------------------


@transaction.atomic
def answer_create(*, user, request, organization, message, offer=None):
    """``organization`` answers ``request`` (a listing of type request), maybe with an offer."""
    viewer = rules.viewer_for(user)
    if not rules.can_answer(viewer, request):
        raise PermissionDenied
    if organization.pk not in rules.answering_organizations(viewer, request):
        raise PermissionDenied(_("You can answer only for an organization you administer."))
    if offer is not None and (offer.organization_id != organization.pk or not offer.is_offer):
        raise ValidationError({"offer": _("Choose one of this organization's offers.")})
    if Answer.objects.filter(request=request, organization=organization).exists():
        raise ValidationError(_("This organization has answered this request already."))
    answer = Answer(
        request=request, organization=organization, offer=offer, message=message, created_by=user
    )
    answer.full_clean()
    answer.save()
    audit_record(
        request.organization,
        audit.ANSWER_CREATE,
        user=user,
        organization=organization,
        detail=request.title,
    )
    notification_create_many(
        users=organization_admins(request.organization_id),
        kind="resources.answer",
        render=lambda: (
            _("%(organization)s answered “%(title)s”")
            % {"organization": organization.title, "title": request.title},
            message,
        ),
        url=listing_url(request),
        about=request.organization_id,
    )
    return answer


@transaction.atomic
def answer_accept(*, answer, user):
    """The requester chooses ``answer``: the request is fulfilled, the other answers are not
    chosen."""
    request = Listing.objects.select_for_update().get(pk=answer.request_id)
    if not rules.can_accept_answer(rules.viewer_for(user), request):
        raise PermissionDenied
    if request.status != Listing.Status.OPEN or answer.status != Answer.Status.PENDING:
        raise ValidationError(_("This request has been answered already."))
    Answer.objects.filter(request=request).exclude(pk=answer.pk).update(
        status=Answer.Status.DECLINED
    )
    answer.status = Answer.Status.ACCEPTED
    answer.save(update_fields=["status"])
    request.status = Listing.Status.FULFILLED
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        request.organization,
        audit.ANSWER_ACCEPT,
        user=user,
        organization=answer.organization,
        detail=request.title,
    )
    notification_create_many(
        users=organization_admins(answer.organization_id),
        kind="resources.answer_accepted",
        render=lambda: (
            _("Your answer to “%(title)s” was accepted") % {"title": request.title},
            "",
        ),
        url=listing_url(answer.offer or request),
        about=answer.organization_id,
    )
    cache_invalidate()
    return answer


# --- Personal data --------------------------------------------------------------------------


def personal_data_forget(user, context):
    """Account deletion: bookings, listings and answers stay (they are the organizations'),
    without the person."""
    from .models import Booking, BookingSeries, HoursEntry

    Listing.objects.filter(created_by=user).update(created_by=None)
    Booking.objects.filter(requested_by=user).update(requested_by=None)
    Booking.objects.filter(decided_by=user).update(decided_by=None)
    BookingSeries.objects.filter(requested_by=user).update(requested_by=None)
    Answer.objects.filter(created_by=user).update(created_by=None)
    HoursEntry.objects.filter(recorded_by=user).update(recorded_by=None)
