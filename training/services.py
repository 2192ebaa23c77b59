"""Every write of a training programme. Each service checks the programme's rule itself (a
view's check is a courtesy), validates with ``full_clean``, records what matters in the audit
trail of the project and grants or revokes permissions through ``training.permissions``."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.volunteering import GivenTime, volunteer_time_record, volunteer_time_withdraw
from notifications.services import notification_create, notification_create_many
from projects.models import Participation, TeamMembership
from projects.selectors import can_coordinate

from . import audit, matching, notification_kinds, session_links, statistics
from . import permissions as rules
from .models import (
    Attendance,
    AttendanceSheet,
    Certificate,
    CheckIn,
    Cohort,
    CohortOutcome,
    Enrolment,
    FollowUp,
    Goal,
    Learner,
    Mentorship,
    Programme,
    ProgrammePartner,
    Session,
    SessionMaterial,
    SkillLevel,
    StaffMember,
)
from .selectors import programme_access, standings

NEXT_STATUSES = {
    "referred": ("interviewed", "dropped"),
    "interviewed": ("enrolled", "dropped"),
    "enrolled": ("active", "dropped"),
    "active": ("completed", "dropped"),
    "completed": (),
    "dropped": (),
}


def _require(user, programme, what):
    access = programme_access(user, programme)
    if not getattr(access, what):
        raise PermissionDenied


def _audit(programme, action, *, by, person=None, **data):
    audit_record(programme.project, action, user=by, person=person, **data)


# --- Programmes, partners, staff ---------------------------------------------------------------


@transaction.atomic
def programme_create(*, user, project, title, summary="", **fields):
    """A project coordinator starts a programme and becomes its first coordinator."""
    if not (user.is_superuser or can_coordinate(user, project)):
        raise PermissionDenied
    programme = Programme(project=project, title=title, summary=summary, created_by=user, **fields)
    programme.full_clean()
    programme.save()
    rules.programme_groups(programme)
    _audit(programme, audit.PROGRAMME_CREATE, by=user, detail=programme.title)
    if TeamMembership.objects.filter(project=project, user=user).exists():
        _staff_put(programme, user, StaffMember.Role.COORDINATOR, by=user)
    return programme


def partner_set(*, programme, user, organization, role, contribution=""):
    """One of the project's active partner organizations takes a role in the programme."""
    _require(user, programme, "manage")
    if not Participation.objects.filter(
        project=programme.project, organization=organization, status=Participation.Status.ACTIVE
    ).exists():
        raise ValidationError(_("Only an active partner of the project can join its programme."))
    partner = ProgrammePartner.objects.filter(programme=programme, organization=organization)
    partner = partner.first() or ProgrammePartner(programme=programme, organization=organization)
    partner.role, partner.contribution = role, contribution
    partner.full_clean()
    partner.save()
    return partner


def _staff_put(programme, person, role, *, by):
    staff = StaffMember.objects.filter(programme=programme, user=person).first()
    staff = staff or StaffMember(programme=programme, user=person)
    staff.role = role
    staff.save()
    rules.staff_grant(staff)
    _audit(programme, audit.STAFF_ADD, by=by, person=person, role=role)
    return staff


@transaction.atomic
def staff_set(*, programme, user, person, role):
    """Put a member of the project's team on the programme's staff (or change their role)."""
    _require(user, programme, "manage")
    if role not in StaffMember.Role.values:
        raise ValidationError(_("Choose a role."))
    if not TeamMembership.objects.filter(project=programme.project, user=person).exists():
        raise ValidationError(_("Only members of the project's team can work in the programme."))
    current = StaffMember.objects.filter(programme=programme, user=person).first()
    if (
        current
        and current.role == StaffMember.Role.COORDINATOR
        and role != current.role
        and not programme.staff.filter(role=StaffMember.Role.COORDINATOR)
        .exclude(pk=current.pk)
        .exists()
    ):
        raise ValidationError(_("A programme keeps at least one coordinator."))
    return _staff_put(programme, person, role, by=user)


@transaction.atomic
def staff_end(*, project_id, user_ids, by=None):
    """People who left the project's team leave its programmes: their grants go, their
    mentorships end. No permission check: the project decided."""
    today = timezone.localdate()
    rows = StaffMember.objects.filter(programme__project_id=project_id, user_id__in=user_ids)
    for staff in rows.select_related("programme__project", "user"):
        rules.staff_revoke(programme_id=staff.programme_id, user_ids=[staff.user_id])
        _audit(staff.programme, audit.STAFF_END, by=by, person=staff.user)
    Mentorship.objects.filter(
        programme__project_id=project_id, mentor_id__in=user_ids, ended_on__isnull=True
    ).update(ended_on=today)
    rows.delete()


# --- Cohorts and sessions ---------------------------------------------------------------------


def cohort_create(*, programme, user, **fields):
    _require(user, programme, "manage")
    cohort = Cohort(programme=programme, **fields)
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def session_create(
    *, cohort, user, trainer=None, room_booking="", book_room="", materials=(), **fields
):
    """A session of a cohort; its room may be one booked for the project through the shared
    resources (the booking must cover the session), or booked here for the session's time
    (``book_room``), and its materials documents of the project or items of the knowledge
    base (``training.session_links``)."""
    programme = cohort.programme
    _require(user, programme, "manage")
    session = Session(cohort=cohort, trainer=trainer, **fields)
    _session_checks(cohort, session, trainer)
    _one_room(room_booking, book_room)
    if book_room:
        _session_book(programme, session, user, book_room, typed_room=session.room)
    elif room_booking:
        booking = _session_room(programme, session, room_booking)
        session.room = (session.room or booking["label"])[:120]
        session.room_booking, session.room_url = room_booking, booking["url"][:300]
    chosen = _offered_materials(programme, list(dict.fromkeys(materials)))
    session.save()
    SessionMaterial.objects.bulk_create(_material_rows(session, chosen))
    return session


def _session_room(programme, session, room_booking):
    """The offered booking ``room_booking`` must cover ``session``'s time."""
    booking = session_links.room_bookings(programme.project).get(room_booking)
    if booking is None:
        raise ValidationError(
            {"room_booking": _("Choose a room booked for the project that has not ended.")}
        )
    ends_at = session.starts_at + timedelta(minutes=session.duration_minutes)
    if not booking["starts_at"] <= session.starts_at < ends_at <= booking["ends_at"]:
        raise ValidationError(
            {"room_booking": _("The room's booking does not cover the session's time.")}
        )
    return booking


def _one_room(room_booking, book_room, *, own=""):
    if book_room and room_booking and room_booking != own:
        raise ValidationError(
            {
                "book_room": _(
                    "Either book a room for the session or choose a booking of the project, "
                    "not both."
                )
            }
        )


def _session_book(programme, session, user, room, *, typed_room):
    """Book ``room`` through the shared resources for ``session``'s time; the session keeps
    the booking as its own. Refused with the resources' reason."""
    ends_at = session.starts_at + timedelta(minutes=session.duration_minutes)
    try:
        booking = session_links.room_book(
            user=user,
            project=programme.project,
            room=room,
            starts_at=session.starts_at,
            ends_at=ends_at,
            note=f"{programme.title} · {session.cohort.name} · {session.topic}",
        )
    except ValidationError as error:
        raise ValidationError({"book_room": error.messages}) from error
    if not typed_room:
        session.room = booking["label"][:120]
    session.room_booking, session.room_url = booking["key"], booking["url"][:300]
    session.booked_room = room
    return booking


def _session_release(session, user):
    """Cancel the booking the session made itself (refused with the resources' reason)."""
    try:
        session_links.room_cancel(user=user, key=session.room_booking)
    except ValidationError as error:
        raise ValidationError({"book_room": error.messages}) from error
    session.room_booking, session.room_url, session.booked_room = "", "", ""


def _session_link(programme, session, room_booking, old_booking, old_room, fields):
    """Link (or unlink) a booking made for the project in Shared resources."""
    offered_rooms = session_links.room_bookings(programme.project) if room_booking else {}
    if room_booking and (room_booking != old_booking or room_booking in offered_rooms):
        booking = _session_room(programme, session, room_booking)
        if room_booking != old_booking:
            if not fields.get("room") or fields.get("room") == old_room:
                session.room = booking["label"][:120]
            session.room_booking, session.room_url = room_booking, booking["url"][:300]
    elif not room_booking:
        session.room_booking, session.room_url = "", ""


def _offered_materials(programme, keys, *, kept=()):
    """The material rows for ``keys`` not in ``kept``: each must be offered now."""
    wanted = [key for key in keys if key not in kept]
    offered = session_links.materials(programme.project) if wanted else {}
    for key in wanted:
        if key not in offered:
            raise ValidationError(
                {
                    "materials": _(
                        "Choose materials from the project's documents or the knowledge base."
                    )
                }
            )
    return [offered[key] for key in wanted]


def _material_rows(session, chosen):
    return [
        SessionMaterial(
            session=session,
            key=row["key"],
            title=str(row["title"])[:200],
            url=row["url"][:300],
            source=str(row.get("source", ""))[:100],
        )
        for row in chosen
    ]


def _session_checks(cohort, session, trainer):
    if (
        trainer is not None
        and not StaffMember.objects.filter(programme=cohort.programme, user=trainer).exists()
    ):
        raise ValidationError({"trainer": _("The trainer must work in the programme.")})
    session.full_clean()
    start = timezone.localdate(session.starts_at)
    if not cohort.starts_on <= start <= cohort.ends_on:
        raise ValidationError({"starts_at": _("The session must fall within the cohort's dates.")})


@transaction.atomic
def session_update(
    *, session, user, trainer=None, room_booking="", book_room="", materials=(), **fields
):
    """Change a session's time, topic, trainer, room and materials, with the rules of
    ``session_create``. A room booked through the shared resources for the project is only
    linked, never booked or cancelled here: the booking stays the project's, in Shared
    resources. A booking the session keeps is checked again against a new time while it is
    still offered; one no longer offered (ended, cancelled) may be kept as it is, not taken
    anew. A room the session booked itself (``book_room``) is its own: when the session moves
    or changes or leaves the room, that booking is cancelled and, for a room still chosen, a
    new one made for the new time, or the whole change is refused (the room is taken).
    Materials already handed out are kept while ticked (as named when chosen); new ones must
    be offered now. Nothing changes when anything is refused."""
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("cohort__programme")
        .get(pk=session.pk)
    )
    cohort = session.cohort
    programme = cohort.programme
    _require(user, programme, "manage")
    old_booking, old_room = session.room_booking, session.room
    old_booked = session.booked_room
    old_span = (session.starts_at, session.duration_minutes)
    for name, value in fields.items():
        setattr(session, name, value)
    session.trainer = trainer
    _session_checks(cohort, session, trainer)
    if old_booked and room_booking == old_booking:
        room_booking = ""  # the session's own booking, not a link to one
    _one_room(room_booking, book_room, own=old_booking)
    moved = (session.starts_at, session.duration_minutes) != old_span
    if old_booked and (not book_room or book_room != old_booked or moved):
        # Cancelled first: a session moved within its own room's booking must not clash
        # with it. A refusal below rolls the cancellation back.
        _session_release(session, user)
        if fields.get("room", old_room) == old_room:
            session.room = ""
    if book_room and session.booked_room != book_room:
        typed = fields.get("room", old_room)
        _session_book(programme, session, user, book_room, typed_room=typed != old_room and typed)
    elif not book_room and not old_booked:
        _session_link(programme, session, room_booking, old_booking, old_room, fields)
    elif not book_room and room_booking:
        _session_link(programme, session, room_booking, "", session.room, fields)
    current = set(session.materials.values_list("key", flat=True))
    materials = list(dict.fromkeys(materials))
    added = _offered_materials(programme, materials, kept=current)
    session.save()
    session.materials.exclude(key__in=materials).delete()
    SessionMaterial.objects.bulk_create(_material_rows(session, added))
    _audit(
        programme,
        audit.SESSION_UPDATE,
        by=user,
        detail=f"{cohort.name} · {session.topic} · {session.starts_at:%Y-%m-%d %H:%M}",
    )
    return session


# --- Learners and enrolment -------------------------------------------------------------------


@transaction.atomic
def learner_register(*, programme, user, cohort=None, sectors=(), **fields):
    """Register a learner with minimal data, referred to a cohort if one is given."""
    _require(user, programme, "manage")
    learner = Learner(programme=programme, **fields)
    learner.full_clean()
    learner.save()
    if sectors:
        learner.sectors.set(sectors)
    if cohort is not None:
        if cohort.programme_id != programme.pk:
            raise ValidationError(_("Choose a cohort of this programme."))
        Enrolment.objects.create(cohort=cohort, learner=learner)
    _audit(programme, audit.LEARNER_REGISTER, by=user, detail=learner.code)
    return learner


LEARNER_EDITABLE = (
    "alias",
    "birth_year",
    "guardian_consent",
    "eligibility",
    "legal_basis",
    "referral",
    "interests",
    "languages",
    "availability",
)


@transaction.atomic
def learner_update(*, learner, user, sectors=None, **fields):
    """Correct a learner's details, the mentor-matching ones too (interests, languages, when
    they are free, sectors). The audit trail names the learner by code and the fields changed,
    never their values."""
    programme = learner.programme
    _require(user, programme, "manage")
    unknown = set(fields) - set(LEARNER_EDITABLE)
    if unknown:
        raise ValidationError(_("These details cannot be changed here."))
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    changed = [name for name, value in fields.items() if getattr(learner, name) != value]
    for name, value in fields.items():
        setattr(learner, name, value)
    learner.full_clean()
    learner.save()
    if sectors is not None:
        before = set(learner.sectors.values_list("pk", flat=True))
        if before != {sector.pk for sector in sectors}:
            changed.append("sectors")
            learner.sectors.set(sectors)
    if changed:
        _audit(
            programme,
            audit.LEARNER_UPDATE,
            by=user,
            detail=f"{learner.code} ({', '.join(changed)})",
        )
    return learner


@transaction.atomic
def learner_refer(*, learner, cohort, user):
    _require(user, learner.programme, "manage")
    if cohort.programme_id != learner.programme_id:
        raise ValidationError(_("Choose a cohort of this programme."))
    if Enrolment.objects.filter(learner=learner, cohort=cohort).exists():
        raise ValidationError(_("The learner is already in that cohort."))
    return Enrolment.objects.create(cohort=cohort, learner=learner)


@transaction.atomic
def learner_erase(*, learner, user):
    """Erase a learner's data on request: the row and everything hanging from it go; the
    audit trail keeps only their pseudonymous code."""
    programme = learner.programme
    _require(user, programme, "manage")
    code = learner.code
    learner.delete()
    _audit(programme, audit.LEARNER_ERASE, by=user, detail=code)


@transaction.atomic
def enrolment_set_status(*, enrolment, user, status, drop_reason=""):
    """Move an enrolment one step on. Taking a place (enrolled) is decided under a lock on the
    cohort's row, so two coordinators cannot fill the last place twice."""
    cohort = Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
    programme = cohort.programme
    _require(user, programme, "manage")
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if status not in NEXT_STATUSES[enrolment.status]:
        raise ValidationError(
            _("An enrolment cannot go from %(old)s to %(new)s.")
            % {"old": enrolment.get_status_display(), "new": status}
        )
    drop_reason = (drop_reason or "").strip()
    if status == Enrolment.Status.DROPPED and not drop_reason:
        raise ValidationError({"drop_reason": _("Say why the learner dropped out.")})
    if status in Enrolment.PLACE_HOLDING and not enrolment.holds_place:
        taken = cohort.enrolments.filter(status__in=Enrolment.PLACE_HOLDING).count()
        if taken >= cohort.capacity:
            raise ValidationError(_("The cohort is full: no place left."))
    if status == Enrolment.Status.COMPLETED:
        if not standings(programme, cohort, [enrolment])[enrolment.pk].has_completed:
            raise ValidationError(_("The learner has not attended enough sessions to complete."))
    enrolment.status = status
    enrolment.drop_reason = drop_reason if status == Enrolment.Status.DROPPED else ""
    enrolment.save()
    _audit(
        programme,
        audit.ENROLMENT_STATUS,
        by=user,
        detail=f"{enrolment.learner.code} · {cohort.name} · {status}",
    )
    return enrolment


# --- Attendance -------------------------------------------------------------------------------


CLIENT_ID_MAX = 64


def _clean_client_id(client_id):
    client_id = (client_id or "").strip()
    if len(client_id) > CLIENT_ID_MAX or not client_id.isprintable():
        raise ValidationError(_("The sheet's id is not valid: reload the page and mark again."))
    return client_id


@transaction.atomic
def attendance_record(*, session, user, marks, client_id=""):
    """Record ``marks`` ({enrolment_id: status}) for a session; warn the coordinators and the
    learner's mentor the first time a learner can no longer complete or misses too many
    sessions in a row.

    With a ``client_id`` (the sheet's id, given by its page) the marks are stored once: a
    sheet sent again (an offline queue retrying) changes nothing, even when both sendings
    arrive together (the session's row is locked, and the database keeps one sheet per id).
    """
    cohort = session.cohort
    programme = cohort.programme
    _require(user, programme, "attend")
    client_id = _clean_client_id(client_id)
    if client_id:
        Session.objects.select_for_update().filter(pk=session.pk).first()
        if AttendanceSheet.objects.filter(session=session, client_id=client_id).exists():
            return []
    enrolments = {
        e.pk: e
        for e in cohort.enrolments.filter(status__in=("enrolled", "active")).select_related(
            "learner"
        )
    }
    for enrolment_id, status in marks.items():
        if enrolment_id not in enrolments or status not in Attendance.Status.values:
            raise ValidationError(_("Mark only learners of this cohort, with a listed status."))
    if client_id:
        AttendanceSheet.objects.create(session=session, client_id=client_id, recorded_by=user)
    for enrolment_id, status in marks.items():
        Attendance.objects.update_or_create(
            session=session,
            enrolment_id=enrolment_id,
            defaults={"status": status, "recorded_by": user},
        )
    marked = [enrolments[pk] for pk in marks]
    newly = []
    for enrolment in marked:
        at_risk = standings(programme, cohort, [enrolment])[enrolment.pk].at_risk
        if at_risk and enrolment.at_risk_since is None:
            enrolment.at_risk_since = timezone.now()
            enrolment.save(update_fields=["at_risk_since"])
            newly.append(enrolment)
        elif not at_risk and enrolment.at_risk_since is not None:
            enrolment.at_risk_since = None
            enrolment.save(update_fields=["at_risk_since"])
    for enrolment in newly:
        _warn_at_risk(programme, enrolment)
    return newly


def _warn_at_risk(programme, enrolment):
    staff_ids = set(programme.staff.values_list("user_id", flat=True))
    people = {s.user for s in programme.staff.filter(role="coordinator").select_related("user")}
    # A mentor from the volunteer network reads the mentoring page only: linked there.
    network = {}
    for m in enrolment.learner.mentorships.filter(ended_on__isnull=True).select_related("mentor"):
        if m.mentor and m.mentor_id in staff_ids:
            people.add(m.mentor)
        elif m.mentor:
            network[m.mentor] = m.pk
    code = enrolment.learner.code
    cohort_name = enrolment.cohort.name

    def render():
        return (
            _("Learner %(code)s may not complete %(cohort)s")
            % {"code": code, "cohort": cohort_name},
            _("Too many absences: talk with them before the next session."),
        )

    if people:
        notification_create_many(
            users=people,
            kind=notification_kinds.AT_RISK,
            render=render,
            url=reverse("portal:training_learner", args=[enrolment.learner_id]),
            email=False,
        )
    for mentor, mentorship_id in network.items():
        notification_create_many(
            users=[mentor],
            kind=notification_kinds.AT_RISK,
            render=render,
            url=reverse("portal:training_mentorship", args=[mentorship_id]),
            email=False,
        )


# --- Mentoring --------------------------------------------------------------------------------


@transaction.atomic
def mentorship_start(*, learner, user, mentor):
    """Pair a learner with a mentor, ending any current pairing. The mentor works in the
    programme, or is a volunteer of the network open to mentoring young people: such a
    volunteer is given no role in the programme, only the pairing, so they see this learner's
    mentoring page and nothing else of the programme."""
    programme = learner.programme
    _require(user, programme, "manage")
    if not StaffMember.objects.filter(
        programme=programme, user=mentor
    ).exists() and not matching.is_network_mentor(mentor.pk):
        raise ValidationError(
            _(
                "The mentor must work in the programme or be a volunteer open to mentoring "
                "young people."
            )
        )
    Learner.objects.select_for_update().get(pk=learner.pk)
    current = learner.mentorships.filter(ended_on__isnull=True).first()
    if current and current.mentor_id == mentor.pk:
        return current
    if current:
        current.ended_on = timezone.localdate()
        current.save(update_fields=["ended_on"])
    mentorship = Mentorship.objects.create(programme=programme, mentor=mentor, learner=learner)
    code = learner.code
    notification_create(
        user=mentor,
        kind=notification_kinds.MENTEE,
        render=lambda: (_("You mentor learner %(code)s") % {"code": code}, ""),
        url=reverse("portal:training_mentorship", args=[mentorship.pk]),
        email=False,
    )
    return mentorship


@transaction.atomic
def network_mentorships_end(*, user_id):
    """A volunteer left the network or is no longer open to mentoring: the mentorships they
    hold without being on the programme's staff end (with them their access to the learner);
    their check-ins and the hours given stay. The programme's coordinators are told, to find
    the learner another mentor, and so is the volunteer. No permission check: the volunteer
    decided."""
    staff_programmes = StaffMember.objects.filter(user_id=user_id).values("programme_id")
    ending = list(
        Mentorship.objects.select_for_update(of=("self",))
        .filter(mentor_id=user_id, ended_on__isnull=True)
        .exclude(programme_id__in=staff_programmes)
        .select_related("learner", "mentor")
    )
    if not ending:
        return
    Mentorship.objects.filter(pk__in=[m.pk for m in ending]).update(ended_on=timezone.localdate())
    coordinators = {}
    for staff in StaffMember.objects.filter(
        programme_id__in={m.programme_id for m in ending}, role=StaffMember.Role.COORDINATOR
    ).select_related("user"):
        coordinators.setdefault(staff.programme_id, []).append(staff.user)
    for mentorship in ending:
        _tell_mentorship_ended(mentorship, coordinators.get(mentorship.programme_id, ()))


def _tell_mentorship_ended(mentorship, coordinators):
    code = mentorship.learner.code
    name = mentorship.mentor.get_full_name() or mentorship.mentor.get_username()
    if coordinators:
        notification_create_many(
            users=coordinators,
            kind=notification_kinds.MENTOR_ENDED,
            render=lambda: (
                _("Learner %(code)s needs a new mentor") % {"code": code},
                _("%(name)s no longer mentors young people as a volunteer of the network.")
                % {"name": name},
            ),
            url=reverse("portal:training_learner", args=[mentorship.learner_id]),
            email=False,
        )
    notification_create(
        user=mentorship.mentor,
        kind=notification_kinds.MENTOR_ENDED,
        render=lambda: (
            _("You no longer mentor learner %(code)s") % {"code": code},
            _("The hours you gave stay in your volunteer record."),
        ),
        email=False,
    )


def _require_mentor(mentorship, user):
    if mentorship.ended_on is not None:
        raise ValidationError(_("This mentorship has ended."))
    if mentorship.mentor_id == user.pk:
        return
    _require(user, mentorship.programme, "manage")


def goal_add(*, mentorship, user, title):
    _require_mentor(mentorship, user)
    goal = Goal(mentorship=mentorship, title=(title or "").strip())
    goal.full_clean()
    goal.save()
    return goal


def goal_achieve(*, goal, user):
    _require_mentor(goal.mentorship, user)
    if goal.achieved_on is None:
        goal.achieved_on = timezone.localdate()
        goal.save(update_fields=["achieved_on"])
    return goal


def _checkin_key(checkin_id):
    return f"training.checkin:{checkin_id}"


def _checkin_count_as_volunteering(checkin):
    """The check-in's minutes are the mentor's volunteer time: recorded in their hours ledger
    (``core.volunteering``), as given, when they keep one."""
    mentorship = checkin.mentorship
    if mentorship.mentor_id is None:
        return
    programme = mentorship.programme
    volunteer_time_record(
        GivenTime(
            key=_checkin_key(checkin.pk),
            user_id=mentorship.mentor_id,
            day=checkin.held_on,
            minutes=checkin.minutes,
            source=f"{programme.project.title} · {programme.title}",
            note=_("Mentoring a learner of the training programme"),
        )
    )


def _checkin_fresh(checkin):
    """The check-in and its mentorship as stored now, locked: the mentorship may have ended."""
    return (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("mentorship__programme__project")
        .get(pk=checkin.pk)
    )


def _checkin_check(held_on):
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A check-in cannot be in the future.")})


@transaction.atomic
def checkin_add(*, mentorship, user, held_on, minutes, note=""):
    _require_mentor(mentorship, user)
    _checkin_check(held_on)
    checkin = CheckIn(mentorship=mentorship, held_on=held_on, minutes=minutes, note=note)
    checkin.full_clean()
    checkin.save()
    _checkin_count_as_volunteering(checkin)
    return checkin


@transaction.atomic
def checkin_edit(*, checkin, user, held_on, minutes, note=""):
    """Correct a check-in of a current mentorship; the mentor's hours follow."""
    checkin = _checkin_fresh(checkin)
    _require_mentor(checkin.mentorship, user)
    _checkin_check(held_on)
    checkin.held_on, checkin.minutes, checkin.note = held_on, minutes, note
    checkin.full_clean()
    checkin.save()
    _checkin_count_as_volunteering(checkin)
    return checkin


@transaction.atomic
def checkin_delete(*, checkin, user):
    """Remove a check-in of a current mentorship recorded by mistake; its hours go with it.
    (Once the mentorship ends its check-ins stay, and the hours given with them.)"""
    checkin = _checkin_fresh(checkin)
    _require_mentor(checkin.mentorship, user)
    key = _checkin_key(checkin.pk)
    checkin.delete()
    volunteer_time_withdraw(key)


# --- Certificates -----------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, enrolment, user):
    enrolment = Enrolment.objects.select_related("cohort__programme__project", "learner").get(
        pk=enrolment.pk
    )
    programme = enrolment.cohort.programme
    _require(user, programme, "manage")
    if enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(_("Only a learner who completed the cohort gets a certificate."))
    certificate, created = Certificate.objects.get_or_create(
        enrolment=enrolment, defaults={"issued_by": user}
    )
    if created:
        _audit(
            programme,
            audit.CERTIFICATE_ISSUE,
            by=user,
            detail=f"{enrolment.learner.code} · {certificate.number}",
        )
    return certificate


# --- Outcomes ---------------------------------------------------------------------------------


@transaction.atomic
def skill_level_record(*, enrolment, user, area, before, after=None):
    """A trainer records a learner's DigComp level in one area, before and (later) after."""
    _require(user, enrolment.cohort.programme, "attend")
    row = SkillLevel.objects.filter(enrolment=enrolment, area=area).first()
    row = row or SkillLevel(enrolment=enrolment, area=area)
    row.before, row.after = before, after
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def follow_up_record(*, enrolment, user, months, situation, evidence=""):
    """A coordinator records what became of a learner some months after their cohort."""
    enrolment = Enrolment.objects.select_related("cohort__programme").get(pk=enrolment.pk)
    _require(user, enrolment.cohort.programme, "manage")
    if enrolment.status not in (Enrolment.Status.COMPLETED, Enrolment.Status.DROPPED):
        raise ValidationError(_("Follow-ups are for learners who finished or left."))
    row = FollowUp.objects.filter(enrolment=enrolment, months=months).first()
    row = row or FollowUp(enrolment=enrolment, months=months)
    row.situation, row.evidence = situation, evidence
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def cohort_outcomes_accept(*, cohort, user):
    """The coordinator accepts a cohort's outcomes as its records show them now (completions,
    DigComp gains, work and study at the follow-ups), each with its evidence. Only accepted
    outcomes are offered to the project's SROI map; accepting again brings them up to date.
    Returns the accepted rows."""
    cohort = (
        Cohort.objects.select_for_update().select_related("programme__project").get(pk=cohort.pk)
    )
    programme = cohort.programme
    _require(user, programme, "manage")
    figures = statistics.cohort_outcome_figures(cohort)
    if not any(quantity for quantity, _evidence in figures.values()):
        raise ValidationError(_("The cohort has no outcome to accept yet: nothing was saved."))
    accepted = []
    for kind, (quantity, evidence) in figures.items():
        if not quantity:
            CohortOutcome.objects.filter(cohort=cohort, kind=kind).delete()
            continue
        row, _created = CohortOutcome.objects.update_or_create(
            cohort=cohort,
            kind=kind,
            defaults={"quantity": quantity, "evidence": evidence[:500], "accepted_by": user},
        )
        accepted.append(row)
    _audit(
        programme,
        audit.OUTCOMES_ACCEPT,
        by=user,
        detail=f"{cohort.name} · " + ", ".join(f"{row.kind} {row.quantity}" for row in accepted),
    )
    return accepted


# --- Personal data ----------------------------------------------------------------------------


def personal_data_forget(user, context):
    """A staff member's account goes: their grants and places on staff go, their current
    mentorships end; what they recorded stays without their name (the foreign keys are
    nulled by the database)."""
    for staff in StaffMember.objects.filter(user=user):
        rules.staff_revoke(programme_id=staff.programme_id, user_ids=[user.pk])
    StaffMember.objects.filter(user=user).delete()
    Mentorship.objects.filter(mentor=user, ended_on__isnull=True).update(
        ended_on=timezone.localdate()
    )
