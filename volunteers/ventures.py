"""Accepted ventures of the calls for social entrepreneurship: their mentors, milestones and
the mentors' check-ins (reads and writes).

Who does what, in one place:

- the call's managers (``calls.can_manage``) give a venture its mentors and milestones and see
  every venture of the call, overdue milestones first;
- the venture's team (the applicant) and its mentors read the venture and mark milestones done;
- a mentor records check-ins, whose minutes count as their verified volunteer hours (the same
  ledger as the training programmes' check-ins, ``HoursLog.source_key``);
- nobody else learns that a venture exists (reviewers included: their work ended with the
  decision).

Mentors come from the people of the organization that opened the call and from the network's
volunteers open to mentoring social entrepreneurs (a consent of its own, apart from the one the
training programmes read).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.personal_data import when
from core.volunteering import GivenTime
from notifications.services import notification_create_many

from . import audit, calls, selectors
from .models import CallApplication, VentureCheckin, VentureMentor, VentureMilestone
from .services import hours_record_given, hours_withdraw_given

ACCEPTED = CallApplication.Status.ACCEPTED

# Declared in ``wagtail_hooks`` for ``notifications``.
NOTIFICATION_KINDS = {
    "volunteers.venture": gettext_lazy("News about the ventures you lead or mentor"),
}


def _tell(venture, people, render):
    """Tell ``people`` (users) about ``venture``: a link to its page, about its call's
    organization."""
    notification_create_many(
        users=people,
        kind="volunteers.venture",
        render=render,
        url=reverse("calls:venture_detail", args=[venture.pk]),
        about=venture.call.organization,
    )


def _name(person):
    return person.get_full_name() or person.get_username()


def _checkin_key(checkin_id):
    return f"volunteers.venture_checkin:{checkin_id}"


# --- Who may do what ------------------------------------------------------------------------


def venture_access(user, venture):
    """What ``user`` may do with an accepted ``venture`` (its call loaded): a set of
    ``"read"``, ``"manage"``, ``"mark"`` (milestones) and ``"checkin"``."""
    if not user.is_authenticated or venture.status != ACCEPTED:
        return set()
    access = set()
    if calls.can_manage(user, venture.call):
        access |= {"read", "manage"}
    if venture.applicant_id == user.pk:
        access |= {"read", "mark"}
    if VentureMentor.objects.filter(application=venture, user=user).exists():
        access |= {"read", "mark", "checkin"}
    return access


def venture_get(venture_id):
    """The accepted venture with its call, or None."""
    return (
        CallApplication.objects.select_related("call__organization", "applicant")
        .filter(pk=venture_id, status=ACCEPTED)
        .first()
    )


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


# --- Reads ----------------------------------------------------------------------------------


def _with_progress(rows, today):
    return rows.annotate(
        milestone_count=Count("milestones", distinct=True),
        done_count=Count("milestones", filter=Q(milestones__done=True), distinct=True),
        overdue_count=Count(
            "milestones",
            filter=Q(milestones__done=False, milestones__due_on__lt=today),
            distinct=True,
        ),
    ).prefetch_related(
        Prefetch("mentors", queryset=VentureMentor.objects.select_related("user")),
    )


def ventures_of_call(call):
    """The call's accepted ventures with their mentors, milestone counts and overdue milestones
    (each ``overdue``), those with overdue milestones first; a fixed number of queries."""
    today = timezone.localdate()
    rows = _with_progress(
        CallApplication.objects.filter(call=call, status=ACCEPTED).select_related("applicant"),
        today,
    ).prefetch_related(
        Prefetch(
            "milestones",
            queryset=VentureMilestone.objects.filter(done=False, due_on__lt=today),
            to_attr="overdue",
        )
    )
    return sorted(rows.order_by("created_at", "pk"), key=lambda row: -row.overdue_count)


def ventures_of_user(user):
    """The accepted ventures ``user`` is the team of or mentors, with their call and
    progress; a fixed number of queries."""
    if not user.is_authenticated:
        return CallApplication.objects.none()
    mentored = VentureMentor.objects.filter(application=OuterRef("pk"), user=user)
    return (
        _with_progress(
            CallApplication.objects.filter(status=ACCEPTED)
            .filter(Q(applicant=user) | Exists(mentored))
            .select_related("call__organization", "applicant"),
            timezone.localdate(),
        )
        .annotate(mine=Q(applicant=user))
        .order_by("-created_at", "-pk")
    )


def milestones_of(venture):
    return list(VentureMilestone.objects.filter(application=venture).select_related("done_by"))


def mentors_of(venture):
    return list(VentureMentor.objects.filter(application=venture).select_related("user"))


def checkins_of(venture):
    return list(VentureCheckin.objects.filter(application=venture).select_related("mentor"))


def mentor_candidates(venture):
    """``[(user, where from)]``: the people of the organization that opened the call, then the
    network's volunteers open to mentoring; never the venture's own team nor its mentors."""
    taken = set(
        VentureMentor.objects.filter(application=venture).values_list("user_id", flat=True)
    )
    taken.add(venture.applicant_id)
    found = {}
    organization = venture.call.organization
    if organization is not None:
        members = (
            get_user_model()
            .objects.filter(memberships__organization=organization, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        for person in members:
            if person.pk not in taken:
                found[person.pk] = (person, organization.title)
    for user_id, profile in selectors.volunteer_mentors(ventures=True).items():
        if user_id not in taken and user_id not in found:
            found[user_id] = (
                profile["user"],
                profile["about"] or _("Volunteer open to mentoring"),
            )
    return list(found.values())


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def mentor_assign(*, user, venture, mentor_id):
    _require(
        "manage" in venture_access(user, venture),
        _("Only the call's managers give a venture its mentors."),
    )
    candidates = {person.pk: person for person, _where in mentor_candidates(venture)}
    person = candidates.get(mentor_id)
    if person is None:
        raise ValidationError(
            {"mentor": _("Choose a person of the organization or a volunteer open to mentoring.")}
        )
    mentor, created = VentureMentor.objects.get_or_create(
        application=venture, user=person, defaults={"assigned_by": user}
    )
    if created:
        calls.call_audit(venture.call, audit.VENTURE_MENTOR_ADD, by=user, person=person)
        team, call = venture.team, venture.call.title

        def render_mentor():
            return _("You mentor the venture “%(team)s” of “%(call)s”") % {
                "team": team,
                "call": call,
            }, ""

        def render_team():
            return _("%(name)s mentors your venture in “%(call)s”") % {
                "name": _name(person),
                "call": call,
            }, ""

        _tell(venture, [person], render_mentor)
        _tell(venture, [venture.applicant], render_team)
    return mentor


@transaction.atomic
def mentor_remove(*, user, venture, mentor_id):
    """The person stops mentoring the venture; their check-ins and hours stay."""
    _require(
        "manage" in venture_access(user, venture),
        _("Only the call's managers change a venture's mentors."),
    )
    mentor = (
        VentureMentor.objects.filter(application=venture, user_id=mentor_id)
        .select_related("user")
        .first()
    )
    if mentor is None:
        raise ValidationError(_("That person does not mentor this venture."))
    mentor.delete()
    calls.call_audit(venture.call, audit.VENTURE_MENTOR_REMOVE, by=user, person=mentor.user)


@transaction.atomic
def milestone_add(*, user, venture, title, due_on):
    _require(
        "manage" in venture_access(user, venture),
        _("Only the call's managers set a venture's milestones."),
    )
    milestone = VentureMilestone(application=venture, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    calls.call_audit(venture.call, audit.VENTURE_MILESTONE_ADD, by=user, person=venture.applicant)

    def render():
        return _("New milestone of the venture “%(team)s”: %(title)s, due %(due)s") % {
            "team": venture.team,
            "title": milestone.title,
            "due": date_format(milestone.due_on),
        }, ""

    people = [venture.applicant, *(row.user for row in mentors_of(venture))]
    _tell(venture, [person for person in people if person.pk != user.pk], render)
    return milestone


@transaction.atomic
def milestone_mark(*, user, milestone, done, note=""):
    """The venture's team or a mentor marks the milestone done (or not done after all), with
    a note on how it went."""
    milestone = (
        VentureMilestone.objects.select_for_update(of=("self",))
        .select_related("application__call__organization", "application__applicant")
        .get(pk=milestone.pk)
    )
    _require(
        "mark" in venture_access(user, milestone.application),
        _("Only the venture's team and mentors mark its milestones."),
    )
    milestone.done = bool(done)
    milestone.note = (note or "").strip()
    milestone.done_by = user if done else None
    milestone.done_at = timezone.now() if done else None
    milestone.full_clean()
    milestone.save()
    venture = milestone.application
    calls.call_audit(
        venture.call,
        audit.VENTURE_MILESTONE_MARK,
        by=user,
        person=venture.applicant,
        role="done" if milestone.done else "open",
    )
    return milestone


@transaction.atomic
def checkin_add(*, user, venture, held_on, minutes, note=""):
    """A mentor records a meeting with the venture's team; its minutes become their verified
    volunteer hours when they keep a volunteer profile."""
    _require(
        "checkin" in venture_access(user, venture),
        _("Only the venture's mentors record check-ins."),
    )
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A check-in cannot be in the future.")})
    checkin = VentureCheckin(
        application=venture,
        mentor=user,
        held_on=held_on,
        minutes=minutes,
        note=(note or "").strip(),
    )
    checkin.full_clean()
    checkin.save()
    calls.call_audit(venture.call, audit.VENTURE_CHECKIN_ADD, by=user, person=user)
    hours_record_given(
        GivenTime(
            key=_checkin_key(checkin.pk),
            user_id=user.pk,
            day=checkin.held_on,
            minutes=checkin.minutes,
            source=_("Mentoring a venture of “%(call)s”") % {"call": venture.call.title[:150]},
            note=_("Check-in with the venture's team"),
        )
    )
    return checkin


@transaction.atomic
def checkin_delete(*, user, checkin):
    """The mentor removes a check-in recorded by mistake; its hours go with it."""
    checkin = VentureCheckin.objects.select_for_update().get(pk=checkin.pk)
    _require(checkin.mentor_id == user.pk, _("Only the mentor who recorded it removes it."))
    key = _checkin_key(checkin.pk)
    call = checkin.application.call
    checkin.delete()
    calls.call_audit(call, audit.VENTURE_CHECKIN_DELETE, by=user, person=user)
    hours_withdraw_given(key)


# --- Personal data --------------------------------------------------------------------------


def personal_data(user):
    """The ventures ``user`` mentors, their check-ins and the milestones they marked."""
    return {
        "mentoring": [
            {"call": row.application.call.title, "assigned_at": when(row.assigned_at)}
            for row in VentureMentor.objects.filter(user=user).select_related("application__call")
        ],
        "checkins": [
            {
                "call": row.application.call.title,
                "held_on": when(row.held_on),
                "minutes": row.minutes,
                "note": row.note,
            }
            for row in VentureCheckin.objects.filter(mentor=user).select_related(
                "application__call"
            )
        ],
        "milestones_marked": [
            {"milestone": row.title, "note": row.note}
            for row in VentureMilestone.objects.filter(done_by=user)
        ],
    }


def personal_data_forget(user, context):
    """Account deletion: their mentoring seats and check-ins go (the hours with them); the
    milestones they marked stay done, without their name."""
    for checkin_id in VentureCheckin.objects.filter(mentor=user).values_list("pk", flat=True):
        hours_withdraw_given(_checkin_key(checkin_id))
    VentureCheckin.objects.filter(mentor=user).delete()
    VentureMentor.objects.filter(user=user).delete()
    VentureMentor.objects.filter(assigned_by=user).update(assigned_by=None)
    VentureMilestone.objects.filter(done_by=user).update(done_by=None)
