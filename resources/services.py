"""Writes about listings and answers: publish, edit, close, renew, expiry reminders, answers.

Bookings are in ``resources.bookings``. Each service checks the rule of
``resources.permissions`` itself (a view's check is a courtesy), validates with ``full_clean``,
records the change in the audit trail and makes cached public pages stale when they show it.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.pagecache import cache_invalidate
from core.uploads import sanitize_image
from notifications.services import notification_create_many
from taxonomy.services import tags_assign

from . import audit
from . import permissions as rules
from .models import (
    MAX_PHOTOS,
    Answer,
    AvailabilityRule,
    BlockedDate,
    HoursEntry,
    Listing,
    ListingPhoto,
)

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
    "value_per_hour",
    "photo_alt",
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


def _set_relations(listing, sectors, sdgs, tags, *, by):
    if sectors is not None:
        listing.sectors.set(sectors)
    if sdgs is not None:
        listing.sdgs.set(sdgs)
    if tags is not None:
        # One vocabulary in every language ("voluntaris" is "volunteers"); a name no tag has
        # yet becomes a tag proposed by ``by`` for editors to review.
        tags_assign(listing.tags, [tag.strip()[:100] for tag in tags if tag.strip()], by=by)


@transaction.atomic
def _check_photo(photo_file):
    if photo_file is None:
        return
    try:
        sanitize_image(photo_file)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None


def _photo_create(*, file, listing, user):
    """The listing's photo as a Wagtail image, re-encoded without metadata (no camera, no GPS
    position) by the shared upload check."""
    from wagtail.images import get_image_model

    file = sanitize_image(file)
    file.seek(0)
    image = get_image_model()(
        title=f"Photo of {listing.title}"[:255],
        file=ImageFile(file, name=f"resource-{listing.pk}{PurePath(file.name).suffix}"),
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _set_photo(listing, user, photo_file, remove_photo):
    """Put the new photo in (or take it out) and delete the image it replaces."""
    old = listing.photo if listing.photo_id else None
    if photo_file is not None:
        listing.photo = _photo_create(file=photo_file, listing=listing, user=user)
    elif remove_photo:
        listing.photo = None
    if listing.photo_id is None:
        listing.photo_alt = ""
    listing.full_clean()
    listing.save()
    if old is not None and listing.photo_id != old.pk:
        old.delete()


def listing_create(*, user, organization, sectors=(), sdgs=(), tags=(), photo_file=None, **fields):
    """Publish an offer or a request for ``organization``, which ``user`` administers."""
    viewer = rules.viewer_for(user)
    if not (viewer.superuser or organization.pk in viewer.admin_ids):
        raise PermissionDenied(_("Only an admin of the organization can list its resources."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _check_photo(photo_file)
    if photo_file is not None and not (fields.get("photo_alt") or "").strip():
        raise ValidationError(
            {"photo_alt": _("Say what the photo shows, for people who cannot see it.")}
        )
    listing = Listing(organization=organization, created_by=user, **fields)
    listing.full_clean()
    _check_expiry(listing.expires_on)
    _check_project(user, listing)
    listing.save()
    if photo_file is not None:
        _set_photo(listing, user, photo_file, False)
    _set_relations(listing, sectors, sdgs, tags, by=user)
    audit_record(organization, audit.LISTING_CREATE, user=user, detail=listing.title)
    cache_invalidate()
    return listing


@transaction.atomic
def listing_update(
    *,
    listing,
    user,
    sectors=None,
    sdgs=None,
    tags=None,
    photo_file=None,
    remove_photo=False,
    **fields,
):
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    _check_photo(photo_file)
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(listing, name, value)
    if photo_file is not None and not listing.photo_alt.strip():
        raise ValidationError(
            {"photo_alt": _("Say what the photo shows, for people who cannot see it.")}
        )
    if remove_photo and photo_file is None:
        listing.photo, listing.photo_alt = None, ""
    listing.full_clean()
    if "expires_on" in fields:
        _check_expiry(listing.expires_on)
        listing.reminded_at = None
    _check_project(user, listing)
    if "quantity" in fields:
        _check_quantity(listing)
    old_photo_id = Listing.objects.filter(pk=listing.pk).values_list("photo_id", flat=True)[0]
    listing.save()
    if photo_file is not None:
        _set_photo(listing, user, photo_file, False)
    if old_photo_id and old_photo_id != listing.photo_id:
        from wagtail.images import get_image_model

        get_image_model().objects.filter(pk=old_photo_id).delete()
    if listing.photo_id is None:
        _promote_first_photo(listing)
    _set_relations(listing, sectors, sdgs, tags, by=user)
    audit_record(listing.organization, audit.LISTING_UPDATE, user=user, detail=listing.title)
    cache_invalidate()
    return listing


def _promote_first_photo(listing):
    """Without a cover, the first further photo becomes it: the directory shows the cover."""
    first = listing.extra_photos.order_by("sort_order", "pk").first()
    if first is None:
        return
    listing.photo_id, listing.photo_alt = first.image_id, first.alt
    listing.save(update_fields=["photo", "photo_alt", "updated_at"])
    first.delete()


@transaction.atomic
def listing_photo_add(*, listing, user, file, alt):
    """Add a photo (the cover when there is none yet), up to ``MAX_PHOTOS`` per listing."""
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    if not (alt or "").strip():
        raise ValidationError(
            {"alt": _("Say what the photo shows, for people who cannot see it.")}
        )
    _check_photo(file)
    # The lock makes two uploads at once count each other against the cap.
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    extras = list(listing.extra_photos.values_list("sort_order", flat=True))
    if (1 if listing.photo_id else 0) + len(extras) >= MAX_PHOTOS:
        raise ValidationError(
            {"image": _("A listing has %(count)s photos at most.") % {"count": MAX_PHOTOS}}
        )
    image = _photo_create(file=file, listing=listing, user=user)
    if not listing.photo_id:
        listing.photo, listing.photo_alt = image, alt.strip()
        listing.full_clean()
        listing.save()
        added = listing
    else:
        added = ListingPhoto(
            listing=listing, image=image, alt=alt.strip(), sort_order=max(extras, default=0) + 1
        )
        added.full_clean()
        added.save()
    audit_record(listing.organization, audit.LISTING_UPDATE, user=user, detail=listing.title)
    cache_invalidate()
    return added


@transaction.atomic
def listing_photo_remove(*, listing, user, photo=None):
    """Take out a further photo, or the cover (``photo=None``): the next one becomes the cover.
    The image goes with it."""
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if photo is not None:
        photo.image.delete()  # its row goes with it (on_delete=CASCADE)
    elif listing.photo_id:
        image = listing.photo
        listing.photo, listing.photo_alt = None, ""
        listing.save(update_fields=["photo", "photo_alt", "updated_at"])
        image.delete()
        _promote_first_photo(listing)
    audit_record(listing.organization, audit.LISTING_UPDATE, user=user, detail=listing.title)
    cache_invalidate()


@transaction.atomic
def listing_photo_move(*, listing, user, photo_id, direction):
    """Move a photo one place earlier (``"up"``) or later (``"down"``); ``photo_id`` is
    ``"cover"`` or a further photo's id. Moving a photo to the first place makes it the cover.
    Returns False when there is no place to move to (nothing changes)."""
    if not rules.can_manage(rules.viewer_for(user), listing):
        raise PermissionDenied
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the photo earlier or later."))
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    extras = list(listing.extra_photos.select_for_update().order_by("sort_order", "pk"))
    # The order as people see it: the cover, then the further photos.
    sequence = ([("cover", listing.photo_id, listing.photo_alt)] if listing.photo_id else []) + [
        (str(extra.pk), extra.image_id, extra.alt) for extra in extras
    ]
    keys = [key for key, _image, _alt in sequence]
    if str(photo_id) not in keys:
        raise ValidationError(_("That photo is not one of this listing's photos."))
    index = keys.index(str(photo_id))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(sequence):
        return False
    sequence[index], sequence[other] = sequence[other], sequence[index]
    slots = sequence[1:] if listing.photo_id else sequence
    if listing.photo_id:
        listing.photo_id, listing.photo_alt = sequence[0][1], sequence[0][2]
        listing.save(update_fields=["photo", "photo_alt", "updated_at"])
    for position, (extra, slot) in enumerate(zip(extras, slots, strict=True), start=1):
        _key, image_id, alt = slot
        extra.image_id, extra.alt, extra.sort_order = image_id, alt, position
        extra.save(update_fields=["image", "alt", "sort_order"])
    audit_record(listing.organization, audit.LISTING_UPDATE, user=user, detail=listing.title)
    cache_invalidate()
    return True


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


# --- The hours ledger -------------------------------------------------------------------------

MAX_ENTRY_HOURS = Decimal("1000")
LEDGER_PAST = timedelta(days=5 * 366)


@transaction.atomic
def hours_entry_create(*, user, giver, receiver, category, hours, date, project=None):
    """An admin of the giving or the receiving organization records hours given outside a
    booking. Refuses, with nothing stored, an entry between one organization and itself, hours
    that are not a positive amount up to 1000, a date in the future or more than five years
    ago, and a project the receiver is not an active partner of."""
    from projects.models import Participation

    viewer = rules.viewer_for(user)
    if not (viewer.superuser or {giver.pk, receiver.pk} & viewer.admin_ids):
        raise PermissionDenied(
            _("Only an admin of the giving or the receiving organization can record hours.")
        )
    errors = {}
    if giver.pk == receiver.pk:
        errors["receiver"] = _("Hours are given to another organization.")
    elif not receiver.live:
        errors["receiver"] = _("Choose an organization of the cluster.")
    if category not in Listing.HOUR_KINDS:
        errors["category"] = _("Choose volunteer time or professional expertise.")
    if hours is None or not Decimal(0) < hours <= MAX_ENTRY_HOURS:
        errors["hours"] = _("Enter more than 0 and at most 1000 hours.")
    today = timezone.localdate()
    if date is None or date > today:
        errors["date"] = _("The date cannot be in the future.")
    elif date < today - LEDGER_PAST:
        errors["date"] = _("Record hours of the last five years only.")
    if (
        project is not None
        and not Participation.objects.filter(
            project_id=project.pk,
            organization_id=receiver.pk,
            status=Participation.Status.ACTIVE,
        ).exists()
    ):
        errors["project"] = _("Choose a project the receiving organization is a partner of.")
    if errors:
        raise ValidationError(errors)
    entry = HoursEntry(
        giver=giver,
        receiver=receiver,
        category=category,
        hours=hours,
        date=date,
        project=project,
        recorded_by=user,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        giver,
        audit.HOURS_RECORD,
        user=user,
        organization=receiver,
        detail=f"{hours} h, {date:%Y-%m-%d}",
    )
    return entry


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
