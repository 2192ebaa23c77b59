"""Every write about opportunities: calls proposed, posts published and expired, interest
expressed, event registrations and one-to-one meetings.

Each service checks the rule of ``opportunities.permissions`` itself (a view's check is a
courtesy) and validates with ``full_clean``; a refusal raises ``PermissionDenied`` or
``ValidationError`` with nothing stored.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ratelimit import parse_rate, ratelimit_hit
from notifications.services import notification_create_many
from partners import capabilities

from . import permissions as rules
from .models import (
    CallEligibleKind,
    CallProject,
    ConversationRead,
    Event,
    EventRegistration,
    FundingCall,
    InterestMessage,
    MeetingRequest,
    MeetingSeat,
    MeetingSlot,
    Moderation,
    PartnerInterest,
    PartnerSearch,
)

MAX_LIFETIME = timedelta(days=366)
RENEW_FOR = timedelta(days=90)
REMIND_BEFORE = timedelta(days=7)


def organization_admins(organization_id):
    return list(
        get_user_model().objects.filter(
            memberships__organization_id=organization_id, memberships__role="admin"
        )
    )


def _organization_members(organization_ids):
    return list(
        get_user_model()
        .objects.filter(memberships__organization_id__in=organization_ids)
        .distinct()
    )


# --- Funding calls --------------------------------------------------------------------------


@transaction.atomic
def call_propose(*, user, eligible_kinds=(), regions=(), sectors=(), sdgs=(), **fields):
    """A member proposes a call: it waits for an editor's review (an editor's is published)."""
    viewer = rules.viewer_for(user)
    if not rules.can_propose_call(viewer):
        raise PermissionDenied
    status = Moderation.PUBLISHED if viewer.editor else Moderation.PENDING
    call = FundingCall(**fields, status=status, proposed_by=user)
    call.full_clean()
    if call.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline has already passed.")})
    call.save()
    call.regions.set(regions)
    call.sectors.set(sectors)
    call.sdgs.set(sdgs)
    call.save()
    CallEligibleKind.objects.bulk_create(
        CallEligibleKind(call=call, kind=kind) for kind in dict.fromkeys(eligible_kinds)
    )
    return call


@transaction.atomic
def call_interest(*, user, call, organization):
    """ "We are interested in forming a consortium": a partner-search post of ``organization``,
    linked to the call, waiting for review and expiring with the call."""
    if call.status != Moderation.PUBLISHED or call.is_archived:
        raise ValidationError(_("This call is closed."))
    return post_create(
        user=user,
        organization=organization,
        direction=PartnerSearch.Direction.SEEK,
        title=(_("Consortium for %(call)s") % {"call": call.title})[:200],
        purpose=_("We are forming a consortium to apply to “%(call)s” (%(funder)s).")
        % {"call": call.title, "funder": call.funder},
        call=call,
        expires_on=call.deadline,
    )


@transaction.atomic
def call_project_propose(*, user, call, organization):
    """A draft project led by ``organization`` to answer the call, submitted for review like any
    proposal (``projects.services.project_propose`` decides who may), and linked to the call."""
    from projects.services import project_propose

    if call.status != Moderation.PUBLISHED or call.is_archived:
        raise ValidationError(_("This call is closed."))
    project = project_propose(
        user=user,
        lead_organization=organization,
        title=(_("Consortium for %(call)s") % {"call": call.title})[:200],
        summary=(
            _("A consortium to apply to “%(call)s” (%(funder)s), deadline %(date)s.")
            % {"call": call.title, "funder": call.funder, "date": call.deadline.isoformat()}
        )[:300],
    )
    CallProject.objects.create(call=call, project=project, created_by=user)
    return project


def calls_deadline_remind(*, now=None):
    """Remind the organizations seeking partners for a call that its deadline is a week away.
    Once per call; returns how many calls were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = FundingCall.objects.filter(
        status=Moderation.PUBLISHED,
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + REMIND_BEFORE,
    )
    count = 0
    for call in due:
        with transaction.atomic():
            if not FundingCall.objects.filter(pk=call.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            org_ids = list(
                call.partner_searches.exclude(status=PartnerSearch.Status.REJECTED).values_list(
                    "organization_id", flat=True
                )
            )
            org_ids += list(call.projects.values_list("project__lead_organization_id", flat=True))
            users = _organization_members(org_ids)
            if users:
                notification_create_many(
                    users=users,
                    kind="opportunities.call_deadline",
                    render=lambda call=call: (
                        _("The deadline of “%(call)s” is %(date)s")
                        % {"call": call.title, "date": call.deadline.isoformat()},
                        "",
                    ),
                    url=reverse("opportunities:call_detail", args=[call.pk]),
                )
            count += 1
    return count


# --- Partner-search posts -------------------------------------------------------------------


def _check_expiry(expires_on):
    today = timezone.localdate()
    if expires_on < today:
        raise ValidationError({"expires_on": _("The expiry date has already passed.")})
    if expires_on > today + MAX_LIFETIME:
        raise ValidationError({"expires_on": _("A post may last one year at most.")})


@transaction.atomic
def post_create(*, user, organization, **fields):
    viewer = rules.viewer_for(user)
    if not viewer.is_admin(organization.pk):
        raise PermissionDenied
    post = PartnerSearch(**fields, organization=organization, created_by=user)
    post.full_clean()
    service = capabilities.term("service", post.service) if post.service else None
    if service is not None and service.retired:
        raise ValidationError(
            {
                "service": _("“%(name)s” is no longer offered; choose another service.")
                % {"name": service.label}
            }
        )
    _check_expiry(post.expires_on)
    post.save()
    return post


@transaction.atomic
def post_review(*, user, post, approve):
    if not rules.viewer_for(user).editor:
        raise PermissionDenied
    post.status = PartnerSearch.Status.PUBLISHED if approve else PartnerSearch.Status.REJECTED
    post.save(update_fields=["status"])
    return post


@transaction.atomic
def post_close(*, user, post):
    if not rules.can_manage_post(rules.viewer_for(user), post):
        raise PermissionDenied
    post.status = PartnerSearch.Status.CLOSED
    post.save(update_fields=["status"])
    return post


@transaction.atomic
def post_renew(*, user, post):
    """Another ``RENEW_FOR`` from today; the reminder may come again."""
    if not rules.can_manage_post(rules.viewer_for(user), post):
        raise PermissionDenied
    if post.status in (PartnerSearch.Status.CLOSED, PartnerSearch.Status.REJECTED):
        raise ValidationError(_("A closed or rejected post cannot be renewed."))
    post.expires_on = timezone.localdate() + RENEW_FOR
    post.reminded_at = None
    post.save(update_fields=["expires_on", "reminded_at"])
    return post


def posts_expiry_remind(*, now=None):
    """Tell the admins of each published post expiring within a week, once per expiry."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = PartnerSearch.objects.filter(
        status=PartnerSearch.Status.PUBLISHED,
        reminded_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + REMIND_BEFORE,
    )
    count = 0
    for post in due:
        with transaction.atomic():
            if not PartnerSearch.objects.filter(pk=post.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            notification_create_many(
                users=organization_admins(post.organization_id),
                kind="opportunities.post_expiring",
                render=lambda post=post: (
                    _("“%(title)s” expires on %(date)s: renew it if you are still looking")
                    % {"title": post.title, "date": post.expires_on.isoformat()},
                    "",
                ),
                url=reverse("opportunities:post_detail", args=[post.pk]),
                about=post.organization_id,
            )
            count += 1
    return count


def _message_rate_check(user, field):
    """Refuse a message past the person's rate (``CLUSTER_RATE_LIMITS["opportunities_message"]``):
    each one notifies the other organization's admins."""
    limit, period = parse_rate(settings.CLUSTER_RATE_LIMITS["opportunities_message"])
    if ratelimit_hit(f"opportunities_message:user:{user.pk}", limit, period):
        message = _("You have sent many messages in a short while. Wait a little and try again.")
        raise ValidationError({field: message})


@transaction.atomic
def interest_express(*, user, post, organization, message):
    """An admin of another organization says it is interested: a private conversation between
    the two organizations' admins opens with the message, and the post's admins are told."""
    viewer = rules.viewer_for(user)
    if not rules.can_express_interest(viewer, post) or not viewer.is_admin(organization.pk):
        raise PermissionDenied
    if organization.pk == post.organization_id:
        raise ValidationError(_("Your organization wrote this post."))
    interest = PartnerInterest(post=post, organization=organization, message=message)
    interest.created_by = user
    interest.full_clean(exclude=["post", "organization"])
    if PartnerInterest.objects.filter(post=post, organization=organization).exists():
        raise ValidationError(_("Your organization has already expressed interest."))
    _message_rate_check(user, "message")
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError as error:
        raise ValidationError(_("Your organization has already expressed interest.")) from error
    InterestMessage.objects.create(
        interest=interest, organization=organization, author=user, body=message
    )
    notification_create_many(
        users=organization_admins(post.organization_id),
        kind="opportunities.interest",
        render=lambda: (
            _("%(organization)s is interested in “%(title)s”")
            % {"organization": organization.title, "title": post.title},
            message,
        ),
        url=reverse("opportunities:conversation", args=[post.pk, interest.pk]),
        about=post.organization_id,
    )
    return interest


def conversation_mark_read(*, user, interest, last_id):
    """The person has read the conversation up to the message ``last_id``; a marker only moves
    forward (two tabs may report out of order)."""
    if not last_id:
        return
    marker, created = ConversationRead.objects.get_or_create(
        interest=interest, user=user, defaults={"last_read_id": last_id}
    )
    if not created and marker.last_read_id < last_id:
        ConversationRead.objects.filter(pk=marker.pk, last_read_id__lt=last_id).update(
            last_read_id=last_id
        )


@transaction.atomic
def conversation_reply(*, user, interest, body):
    """An admin of either organization writes in their private conversation; the other
    organization's admins are told."""
    post = interest.post
    viewer = rules.viewer_for(user)
    side = rules.conversation_side(viewer, interest, post)
    if side is None:
        raise PermissionDenied
    message = InterestMessage(interest=interest, organization_id=side, author=user, body=body)
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    message.full_clean()
    _message_rate_check(user, "body")
    message.save()
    other = interest.organization_id if side == post.organization_id else post.organization_id
    writer = post.organization if side == post.organization_id else interest.organization
    notification_create_many(
        users=[u for u in organization_admins(other) if u.pk != user.pk],
        kind="opportunities.conversation",
        render=lambda: (
            _("%(organization)s wrote about “%(title)s”")
            % {"organization": writer.title, "title": post.title},
            body,
        ),
        url=reverse("opportunities:conversation", args=[post.pk, interest.pk]),
        about=other,
    )
    return message


# --- Events and one-to-one meetings ---------------------------------------------------------


@transaction.atomic
def event_register(*, user, event, organization):
    """A place if one is left, the waiting list otherwise: the event row is locked, so two
    organizations registering at once never both take the last place."""
    if not rules.viewer_for(user).is_admin(organization.pk):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.published or event.ends_at < timezone.now():
        raise ValidationError(_("Registration for this event is closed."))
    if EventRegistration.objects.filter(event=event, organization=organization).exists():
        raise ValidationError(_("Your organization is already registered."))
    taken = EventRegistration.objects.filter(
        event=event, status=EventRegistration.Status.REGISTERED
    ).count()
    status = (
        EventRegistration.Status.REGISTERED
        if taken < event.capacity
        else EventRegistration.Status.WAITING
    )
    return EventRegistration.objects.create(
        event=event, organization=organization, status=status, registered_by=user
    )


@transaction.atomic
def event_registration_cancel(*, user, registration):
    """An admin takes their organization off an event: its meetings there are cancelled and,
    if it held a place, the first organization waiting gets it (and its admins are told).

    The event row is locked, as in ``event_register``, so a place freed here is never given
    twice, nor taken by a registration arriving at the same moment as well as by the waiting
    list. Returns the registration promoted, if any."""
    if not rules.viewer_for(user).is_admin(registration.organization_id):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = EventRegistration.objects.select_for_update().filter(pk=registration.pk).first()
    if registration is None:
        raise ValidationError(_("This registration is already cancelled."))
    if event.ends_at < timezone.now():
        raise ValidationError(_("This event is over."))
    organization_id = registration.organization_id
    held_place = registration.status == EventRegistration.Status.REGISTERED
    meetings = MeetingRequest.objects.filter(
        slot__event=event, status__in=MeetingRequest.HOLDING
    ).filter(Q(requester_id=organization_id) | Q(recipient_id=organization_id))
    MeetingSeat.objects.filter(meeting__in=meetings).delete()
    meetings.update(status=MeetingRequest.Status.CANCELLED)
    registration.delete()
    promoted = None
    if held_place:
        taken = EventRegistration.objects.filter(
            event=event, status=EventRegistration.Status.REGISTERED
        ).count()
        if taken < event.capacity:
            promoted = (
                EventRegistration.objects.filter(
                    event=event, status=EventRegistration.Status.WAITING
                )
                .select_related("organization")
                .order_by("created_at", "pk")
                .first()
            )
    if promoted is not None:
        promoted.status = EventRegistration.Status.REGISTERED
        promoted.save(update_fields=["status"])
        transaction.on_commit(lambda: _notify_place(promoted, event))
    return promoted


def _notify_place(registration, event):
    users = _organization_members([registration.organization_id])
    if users:
        notification_create_many(
            users=users,
            kind="opportunities.place_freed",
            render=lambda: (
                _("A place at %(event)s is now yours") % {"event": event.title},
                "",
            ),
            url=reverse("events:event_detail", args=[event.pk]),
        )


def _registered(event, *organization_ids):
    return EventRegistration.objects.filter(
        event=event,
        organization_id__in=organization_ids,
        status=EventRegistration.Status.REGISTERED,
    ).count() == len(set(organization_ids))


def meeting_request(*, user, slot, requester, recipient, message=""):
    """Ask ``recipient`` for a meeting in ``slot``: it holds the slot for both at once.

    The slot row is locked so concurrent requests queue, and each organization's seat in the
    slot is unique in the database: whatever the timing, one organization never has two
    meetings in one slot. A clash is a clear refusal, nothing stored."""
    viewer = rules.viewer_for(user)
    if not viewer.is_member(requester.pk):
        raise PermissionDenied
    if requester.pk == recipient.pk:
        raise ValidationError(_("Choose another organization to meet."))
    if not _registered(slot.event_id, requester.pk, recipient.pk):
        raise ValidationError(_("Both organizations must be registered for the event."))
    if len(message) > 500:
        raise ValidationError({"message": _("Keep the message under 500 characters.")})
    try:
        with transaction.atomic():
            MeetingSlot.objects.select_for_update().get(pk=slot.pk)
            busy = set(
                MeetingSeat.objects.filter(
                    slot=slot, organization_id__in=[requester.pk, recipient.pk]
                ).values_list("organization_id", flat=True)
            )
            if requester.pk in busy:
                raise ValidationError(_("Your organization already has a meeting in this slot."))
            if recipient.pk in busy:
                raise ValidationError(_("That organization already has a meeting in this slot."))
            meeting = MeetingRequest.objects.create(
                slot=slot,
                requester=requester,
                recipient=recipient,
                message=message,
                requested_by=user,
            )
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(slot=slot, organization=requester, meeting=meeting),
                    MeetingSeat(slot=slot, organization=recipient, meeting=meeting),
                ]
            )
    except IntegrityError as error:
        raise ValidationError(_("This slot has just been taken; choose another.")) from error
    transaction.on_commit(lambda: _notify_meeting(meeting, requested=True))
    return meeting


@transaction.atomic
def meeting_answer(*, user, meeting, accept):
    if not rules.can_answer_meeting(rules.viewer_for(user), meeting):
        raise PermissionDenied
    meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    if accept:
        meeting.status = MeetingRequest.Status.ACCEPTED
    else:
        meeting.status = MeetingRequest.Status.DECLINED
        meeting.seats.all().delete()
    meeting.save(update_fields=["status"])
    transaction.on_commit(lambda: _notify_meeting(meeting, requested=False))
    return meeting


@transaction.atomic
def meeting_cancel(*, user, meeting):
    if not rules.can_cancel_meeting(rules.viewer_for(user), meeting):
        raise PermissionDenied
    meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in MeetingRequest.HOLDING:
        raise ValidationError(_("This meeting is no longer planned."))
    meeting.status = MeetingRequest.Status.CANCELLED
    meeting.seats.all().delete()
    meeting.save(update_fields=["status"])
    return meeting


def _notify_meeting(meeting, *, requested):
    organization_id = meeting.recipient_id if requested else meeting.requester_id
    users = _organization_members([organization_id])
    if not users:
        return
    event = meeting.slot.event
    url = reverse("events:agenda", args=[event.pk])
    if requested:
        notification_create_many(
            users=users,
            kind="opportunities.meeting_requested",
            render=lambda: (
                _("%(organization)s asks to meet you at %(event)s")
                % {"organization": meeting.requester.title, "event": event.title},
                meeting.message,
            ),
            url=url,
        )
    else:
        accepted = meeting.status == MeetingRequest.Status.ACCEPTED
        notification_create_many(
            users=users,
            kind="opportunities.meeting_answered",
            render=lambda: (
                (
                    _("%(organization)s accepted your meeting at %(event)s")
                    if accepted
                    else _("%(organization)s declined your meeting at %(event)s")
                )
                % {"organization": meeting.recipient.title, "event": event.title},
                "",
            ),
            url=url,
        )


def personal_data_forget(user, context):
    """Account deletion: calls, posts, registrations and meetings stay (they are the
    organizations'), without the person."""
    FundingCall.objects.filter(proposed_by=user).update(proposed_by=None)
    PartnerSearch.objects.filter(created_by=user).update(created_by=None)
    PartnerInterest.objects.filter(created_by=user).update(created_by=None)
    InterestMessage.objects.filter(author=user).update(author=None)
    # How far the person read is theirs alone.
    ConversationRead.objects.filter(user=user).delete()
    CallProject.objects.filter(created_by=user).update(created_by=None)
    EventRegistration.objects.filter(registered_by=user).update(registered_by=None)
    MeetingRequest.objects.filter(requested_by=user).update(requested_by=None)
