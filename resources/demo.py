"""Demo shared resources: a dozen offers and requests, each of every kind, for every audience
(public, the cluster, one project's partners), listings in every state (open, fulfilled,
closed, expired), bookings in every state, a weekly series with a skipped
date, an answered request, hours in the ledger and a room lent to the demo project (with the
value its owner states, offered to the project's impact map).

Safe to run twice: a listing is found by its organization and title, and its bookings are made
only with the listing. Future bookings go through the services; past ones (returned, no-show)
are written as they would have ended, since no service books the past.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from partners.models import Membership, PartnerPage
from taxonomy.models import Region

from . import bookings, services
from .models import Booking, HoursEntry, Listing

K = Listing.Kind

# owner key, type, kind, title, quantity, conditions, audience, auto approve, description
LISTINGS = [
    (
        "lead",
        "offer",
        K.ROOM,
        "Meeting room for 12 people",
        1,
        "free",
        "public",
        False,
        "A bright room with a screen and a whiteboard, on the ground floor.",
    ),
    (
        "lead",
        "offer",
        K.EQUIPMENT,
        "Projector and portable screen",
        2,
        "deposit",
        "cluster",
        True,
        "Two full-HD projectors with screens and cables. A 50 € deposit per unit.",
    ),
    (
        "lead",
        "offer",
        K.EXPERTISE,
        "Ten hours of legal advice on grants",
        1,
        "free",
        "cluster",
        False,
        "Our lawyer reviews funding applications and partnership agreements.",
    ),
    (
        "partner",
        "offer",
        K.VEHICLE,
        "Nine-seat van",
        1,
        "cost",
        "cluster",
        False,
        "For outings and deliveries; fuel and a per-kilometre fee are charged.",
    ),
    (
        "partner",
        "offer",
        K.VOLUNTEER,
        "University volunteers for workshops",
        3,
        "free",
        "public",
        True,
        "Students of social education who run digital-skills workshops.",
    ),
    (
        "partner",
        "request",
        K.ROOM,
        "A hall for a 60-person event in spring",
        1,
        "free",
        "public",
        False,
        "We are looking for an accessible hall for a half-day event.",
    ),
    (
        "outsider",
        "offer",
        K.ROOM,
        "Training kitchen",
        1,
        "cost",
        "public",
        False,
        "A professional kitchen for cooking courses, available in the afternoons.",
    ),
    (
        "outsider",
        "offer",
        K.EQUIPMENT,
        "Laptops for courses",
        10,
        "free",
        "cluster",
        True,
        "Ten refurbished laptops with office software, lent by the unit.",
    ),
    (
        "outsider",
        "request",
        K.EXPERTISE,
        "Help with our impact report",
        1,
        "free",
        "cluster",
        False,
        "A few hours of someone who has written an SROI report before.",
    ),
    (
        "outsider",
        "request",
        K.VOLUNTEER,
        "Volunteers to sort food donations",
        1,
        "free",
        "public",
        False,
        "Saturday mornings before the holidays.",
    ),
    (
        "lead",
        "request",
        K.VEHICLE,
        "A van for a move in March",
        1,
        "cost",
        "public",
        False,
        "One day, within the city.",
    ),
    (
        "partner",
        "offer",
        K.EXPERTISE,
        "Accessibility audit of your premises",
        1,
        "free",
        "public",
        False,
        "An occupational therapist visits and writes recommendations.",
    ),
    (
        "partner",
        "request",
        K.EQUIPMENT,
        "Forty folding chairs for a street fair",
        1,
        "free",
        "cluster",
        False,
        "For one Saturday in June; we collect and return them ourselves.",
    ),
    (
        "lead",
        "offer",
        K.EQUIPMENT,
        "Tablets for the project's workshops",
        6,
        "free",
        "project",
        True,
        "Six tablets with a charging case, for the partners of the digital skills project.",
    ),
]

# Listings for the partners of one project only: title → the demo project's key.
PROJECT_AUDIENCE = {"Tablets for the project's workshops": "digital-skills"}


def _admin(organization):
    row = (
        Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _at(days, hour, length_hours=2):
    day = timezone.localdate() + timedelta(days=days)
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return start, start + timedelta(hours=length_hours)


def seed(ctx):
    organizations = {key: ctx.organizations.get(key) for key in ("lead", "partner", "outsider")}
    if not all(organizations.values()):
        ctx.log("resources: the demo organizations are missing, skipped")
        return
    region = Region.objects.order_by("name").first()
    made = {}
    new = 0
    for owner, kind_type, kind, title, quantity, conditions, audience, auto, text in LISTINGS:
        organization = organizations[owner]
        listing = Listing.objects.filter(organization=organization, title=title).first()
        if listing is None:
            admin = _admin(organization)
            project = ctx.projects.get(PROJECT_AUDIENCE.get(title, ""))
            if audience == Listing.Audience.PROJECT and project is None:
                audience = Listing.Audience.CLUSTER
            listing = services.listing_create(
                user=admin,
                organization=organization,
                type=kind_type,
                kind=kind,
                title=title,
                description=text,
                quantity=quantity,
                conditions=conditions,
                audience=audience,
                project=project if audience == Listing.Audience.PROJECT else None,
                auto_approve=auto,
                region=region,
                address="Carrer de la Demo 1, Barcelona" if kind == K.ROOM else "",
                expires_on=timezone.localdate() + timedelta(days=120),
                tags=["demo"],
            )
            made[title] = listing
            new += 1
    if made:
        _values(made)
        _bookings(ctx, organizations, made)
        _listing_states(ctx, organizations, made)
    ctx.log(f"resources: {new} new listings, {len(LISTINGS)} in all")


# What an hour of these is worth, as their owners state it: a project they helped is offered
# that value as an input of its impact report.
VALUES = {
    "Meeting room for 12 people": Decimal("20.00"),
    "Ten hours of legal advice on grants": Decimal("60.00"),
}


def _values(made):
    for title, value in VALUES.items():
        if title in made:
            Listing.objects.filter(pk=made[title].pk).update(value_per_hour=value)
            made[title].value_per_hour = value


def _listing_states(ctx, organizations, made):
    """Listings in every state: the hall request answered and fulfilled, a closed offer and an
    expired one (its owner was reminded)."""
    hall = made.get("A hall for a 60-person event in spring")
    answer = hall.answers.first() if hall else None
    if answer is not None:
        services.answer_accept(answer=answer, user=_admin(organizations["partner"]))
    laptops = made.get("Laptops for courses")
    if laptops:
        services.listing_close(listing=laptops, user=_admin(organizations["outsider"]))
    audit = made.get("Accessibility audit of your premises")
    if audit:
        # Expired a few days ago: it left the directory, its owner can renew it.
        Listing.objects.filter(pk=audit.pk).update(
            expires_on=timezone.localdate() - timedelta(days=3),
            reminded_at=timezone.now() - timedelta(days=10),
        )


def _bookings(ctx, organizations, made):
    lead, partner, outsider = (
        organizations["lead"],
        organizations["partner"],
        organizations["outsider"],
    )
    member = ctx.users["member"]
    outsider_admin = _admin(outsider)
    coordinator = ctx.users["coordinator"]
    room = made.get("Meeting room for 12 people")
    van = made.get("Nine-seat van")
    expertise = made.get("Ten hours of legal advice on grants")
    if room:
        # pending, approved, declined, cancelled, checked out: the room's desk shows them all.
        states = [
            (partner, member, 3, None),
            (outsider, outsider_admin, 4, "approve"),
            (partner, member, 5, "decline"),
            (outsider, outsider_admin, 6, "cancel"),
            (partner, member, 7, "check_out"),
        ]
        for organization, user, days, action in states:
            (booking,) = bookings.booking_request(
                user=user,
                listing=room,
                organization=organization,
                starts_at=_at(days, 10)[0],
                ends_at=_at(days, 10)[1],
                note="Demo booking",
            )
            if action == "approve" or action == "check_out":
                bookings.booking_approve(booking=booking, user=coordinator)
            if action == "check_out":
                bookings.booking_check_out(booking=booking, user=coordinator, condition="Clean")
            if action == "decline":
                bookings.booking_decline(
                    booking=booking, user=coordinator, reason="Closed that day"
                )
            if action == "cancel":
                bookings.booking_cancel(booking=booking, user=outsider_admin)
        # A weekly series whose first date meets the approved booking above: it is skipped.
        start, end = _at(4, 10)
        bookings.booking_series_request(
            user=member,
            listing=room,
            organization=partner,
            starts_at=start,
            ends_at=end,
            weeks=4,
            note="Weekly meeting",
        )
    # Past bookings, as they ended: returned (with the hours they gave) and a no-show.
    if expertise:
        start, end = _at(-10, 9, 3)
        past = Booking.objects.create(
            listing=expertise,
            unit=1,
            organization=outsider,
            requested_by=outsider_admin,
            starts_at=start,
            ends_at=end,
            status=Booking.Status.RETURNED,
            checked_out_at=start,
            returned_at=end,
            return_condition="Report reviewed",
        )
        HoursEntry.objects.create(
            listing=expertise,
            booking=past,
            giver=lead,
            receiver=outsider,
            category=K.EXPERTISE,
            hours=Decimal("3.00"),
            date=start.date(),
            recorded_by=coordinator,
        )
    project = ctx.projects.get("digital-skills")
    if room and project is not None:
        # Lent to the project and returned: its impact map is offered the room's value.
        start, end = _at(-12, 9, 5)
        Booking.objects.create(
            listing=room,
            unit=1,
            organization=partner,
            requested_by=member,
            project=project,
            starts_at=start,
            ends_at=end,
            status=Booking.Status.RETURNED,
            checked_out_at=start,
            returned_at=end,
            return_condition="Tidy",
        )
    if van:
        start, end = _at(-5, 8, 4)
        Booking.objects.create(
            listing=van,
            unit=1,
            organization=lead,
            requested_by=coordinator,
            starts_at=start,
            ends_at=end,
            status=Booking.Status.NO_SHOW,
        )
    hall = made.get("A hall for a 60-person event in spring")
    kitchen = made.get("Training kitchen")
    if hall and kitchen and PartnerPage.objects.filter(pk=outsider.pk, live=True).exists():
        services.answer_create(
            user=outsider_admin,
            request=hall,
            organization=outsider,
            offer=kitchen,
            message="Our training kitchen has a hall next to it for 70 people.",
        )
