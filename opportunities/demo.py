"""Demo opportunities: funding calls from several funders, a partner-search post linked to one,
a post seeking a service with the private conversation an expression of interest opened, and an
event with meeting slots both demo organizations registered for, with one meeting.

Safe to run twice: calls, posts and events are found by their title first.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from partners.models import Membership

from . import services
from .models import Event, FundingCall, MeetingRequest, MeetingSlot, PartnerSearch

CALLS = [
    (
        "Social inclusion through digital skills",
        "eu",
        "European Commission",
        "ESF+",
        45,
        ("ngo", "foundation", "cooperative"),
        400000,
        20,
    ),
    (
        "Programa de suport al tercer sector",
        "generalitat",
        "Generalitat de Catalunya",
        "Departament de Drets Socials",
        20,
        ("ngo", "foundation"),
        60000,
        None,
    ),
    (
        "Convocatòria de projectes socials",
        "foundation",
        "A private foundation",
        "",
        75,
        ("ngo", "cooperative"),
        30000,
        10,
    ),
    (
        "Innovació social local",
        "diputacio",
        "Diputació de Barcelona",
        "",
        12,
        ("ngo", "public_body"),
        50000,
        50,
    ),
]
EVENT = "Cluster partnering day"
WORKSHOP_POST = "Partner for digital skills workshops"


def _admin(organization):
    row = (
        Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _seed_conversation(lead, partner, editor, today):
    """A post seeking the service the partner gives, in the territory it serves (so the match
    explains both), and the private conversation its interest opened, with one unread reply."""
    post = PartnerSearch.objects.filter(title=WORKSHOP_POST, organization=lead).first()
    if post is None:
        post = services.post_create(
            user=_admin(lead),
            organization=lead,
            direction=PartnerSearch.Direction.SEEK,
            title=WORKSHOP_POST,
            purpose="We seek an organization that trains young people to run digital skills "
            "workshops with us in the Barcelonès next spring.",
            service="training",
            region=lead.region,
            expires_on=today + timedelta(days=60),
        )
        services.post_review(user=editor, post=post, approve=True)
    if not post.interests.exists():
        interest = services.interest_express(
            user=_admin(partner),
            post=post,
            organization=partner,
            message="Our youth trainers could run the workshops in Catalan, Spanish and Arabic.",
        )
        services.conversation_reply(
            user=_admin(lead),
            interest=interest,
            body="Wonderful. Could we meet at the partnering day to plan the sessions?",
        )


def seed(ctx):
    lead, partner = (ctx.organizations.get(key) for key in ("lead", "partner"))
    editor = ctx.users.get("editor")
    if not (lead and partner and editor):
        ctx.log("opportunities: the demo organizations are missing, skipped")
        return
    today = timezone.localdate()
    new = 0
    calls = []
    for title, funder_type, funder, programme, days, kinds, amount, cofunding in CALLS:
        call = FundingCall.objects.filter(title=title).first()
        if call is None:
            call = services.call_propose(
                user=editor,
                title=title,
                funder_type=funder_type,
                funder=funder,
                programme=programme,
                summary="A demo call.",
                deadline=today + timedelta(days=days),
                amount=amount,
                cofunding=cofunding,
                eligible_kinds=kinds,
            )
            new += 1
        calls.append(call)
    if not PartnerSearch.objects.filter(call=calls[0], organization=lead).exists():
        post = services.call_interest(user=_admin(lead), call=calls[0], organization=lead)
        services.post_review(user=editor, post=post, approve=True)
    _seed_conversation(lead, partner, editor, today)
    event = Event.objects.filter(title=EVENT).first()
    if event is None:
        day = today + timedelta(days=21)
        start = timezone.make_aware(datetime.combine(day, time(9)))
        event = Event.objects.create(
            title=EVENT,
            summary="Meet the organizations of the cluster one to one.",
            location="Barcelona",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            capacity=40,
            published=True,
        )
        for n in range(6):
            MeetingSlot.objects.create(
                event=event,
                starts_at=start + timedelta(hours=2, minutes=30 * n),
                ends_at=start + timedelta(hours=2, minutes=30 * (n + 1)),
            )
        for organization in (lead, partner):
            services.event_register(
                user=_admin(organization), event=event, organization=organization
            )
    if not MeetingRequest.objects.filter(slot__event=event).exists():
        services.meeting_request(
            user=_admin(lead),
            slot=event.slots.first(),
            requester=lead,
            recipient=partner,
            message="Shall we talk about the ESF+ call?",
        )
    ctx.log(f"opportunities: {new} new calls, {len(CALLS)} in all, one event")
