"""Rooms of the shared resources booked straight from a training session (the contract is in
``training.session_links``): the rooms a person may book for a project, a booking made for the
session's time and cancelled when the session moves or leaves the room, and the state of the
bookings sessions keep. The bookings are ordinary ones, made and cancelled through
``resources.bookings``: its lock and the database's exclusion constraint decide who gets a
room asked for twice at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from partners.models import PartnerPage
from projects.models import Participation

from . import bookings
from . import permissions as rules
from .models import Booking, Listing
from .selectors import listings_visible
from .services import listing_url

ROOM_PREFIX = "resources:room:"
BOOKING_PREFIX = "resources:booking:"


def _pk(key, prefix):
    if not isinstance(key, str) or not key.startswith(prefix):
        return None
    rest = key[len(prefix) :]
    return int(rest) if rest.isdigit() else None


def _label(listing):
    return f"{listing.title} · {listing.organization.title}"


def _messages(error):
    return [message for message in error.messages if message]


class SessionRooms:
    def rooms(self, user, project):
        """The rooms ``user`` may book, in one query (none when they belong to no
        organization taking part in the project, who could not book for it)."""
        viewer = rules.viewer_for(user)
        if not viewer.org_ids:
            return []
        listings = (
            listings_visible(viewer)
            .filter(kind=Listing.Kind.ROOM, type=Listing.Type.OFFER)
            .select_related("organization")
            .order_by("title", "pk")
        )
        return [
            {
                "key": f"{ROOM_PREFIX}{listing.pk}",
                "label": _label(listing),
                "url": listing_url(listing),
            }
            for listing in listings
        ]

    def _organization(self, user, project):
        """The organization the person books for: the project's lead if they belong to it,
        else another active partner of the project they belong to."""
        viewer = rules.viewer_for(user)
        participation = (
            Participation.objects.filter(
                project_id=project.pk,
                organization_id__in=rules.booking_organizations(viewer),
                status=Participation.Status.ACTIVE,
            )
            .order_by("role", "pk")
            .first()
        )
        if participation is None:
            raise ValidationError(
                _("You can book a room only for an organization of the project you belong to.")
            )
        return PartnerPage.objects.get(pk=participation.organization_id)

    def book(self, *, user, project, room, starts_at, ends_at, note=""):
        """Book ``room`` for the project from ``starts_at`` to ``ends_at``; the booking row
        (as ``training_room_bookings`` gives it), or None when the room is not of this app.
        Refused (ValidationError, nothing stored) when the room is taken or closed then."""
        pk = _pk(room, ROOM_PREFIX)
        if pk is None:
            return None
        listing = Listing.objects.filter(pk=pk, kind=Listing.Kind.ROOM).first()
        if listing is None:
            raise ValidationError(_("That room is no longer offered in Shared resources."))
        organization = self._organization(user, project)
        try:
            (booking,) = bookings.booking_request(
                user=user,
                listing=listing,
                organization=organization,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note[:500],
                project=project,
            )
        except PermissionDenied as error:
            raise ValidationError(_("You cannot book this room.")) from error
        except ValidationError as error:
            raise ValidationError(
                [_("The room cannot be booked for the session's time."), *_messages(error)]
            ) from error
        return self._row(booking, listing)

    def _row(self, booking, listing):
        return {
            "key": f"{BOOKING_PREFIX}{booking.pk}",
            "label": _label(listing),
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "url": listing_url(listing),
            "state": booking.status,
            "state_label": booking.get_status_display(),
        }

    def cancel(self, *, user, key):
        """Cancel the booking ``key`` if it still holds the room; True when it was this
        app's. Refused (ValidationError) when the person may not cancel it."""
        pk = _pk(key, BOOKING_PREFIX)
        if pk is None:
            return False
        booking = Booking.objects.select_related("listing").filter(pk=pk).first()
        if booking is None or booking.status not in (
            Booking.Status.PENDING,
            Booking.Status.APPROVED,
        ):
            return True
        try:
            bookings.booking_cancel(booking=booking, user=user)
        except PermissionDenied as error:
            raise ValidationError(
                _(
                    "Only a member of the organization that booked the room can cancel or "
                    "change its booking."
                )
            ) from error
        return True

    def states(self, keys):
        """``{key: {"state", "state_label"}}`` of this app's bookings among ``keys``, in one
        query."""
        pks = {pk for pk in (_pk(key, BOOKING_PREFIX) for key in keys) if pk is not None}
        if not pks:
            return {}
        return {
            f"{BOOKING_PREFIX}{booking.pk}": {
                "state": booking.status,
                "state_label": booking.get_status_display(),
            }
            for booking in Booking.objects.filter(pk__in=pks).only("pk", "status")
        }
