"""Training pages at /portal/training/: programmes, cohorts, sessions and attendance,
learners, mentoring and certificates.

Each view parses input, reads the person's access to the programme once, calls one service or
selector and renders or redirects. Learners' data is private to the programme's staff: to
anyone else every programme page answers 404 (its existence is private), to staff without the
role an action needs 403, to an anonymous visitor the sign-in page. Bad input: a message and
nothing changed.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.opendata import records_csv_response
from projects.models import ProjectPage
from projects.selectors import can_coordinate

from . import matching, selectors, services, statistics
from .filters import LearnerFilter
from .forms import (
    CheckInForm,
    CohortForm,
    FollowUpForm,
    GoalForm,
    LearnerEditForm,
    LearnerForm,
    MentorForm,
    NetworkMentorForm,
    PartnerForm,
    ProgrammeForm,
    ReferForm,
    SessionEditForm,
    SessionForm,
    SkillForm,
    StaffForm,
    StatusForm,
)
from .models import Attendance, CohortOutcome, Goal


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def _access(request, programme, need="team"):
    """The person's access; 404 outside the staff, 403 for staff without ``need``."""
    access = selectors.programme_access(request.user, programme)
    if not access.team:
        raise Http404
    if not getattr(access, need):
        raise PermissionDenied
    return access


def _say_errors(request, error):
    messages.error(request, " ".join(error.messages))


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def _programme_url(programme):
    return reverse("portal:training_programme", args=[programme.pk])


def _form_page(request, form, *, title, back, back_label, submit):
    return render(
        request,
        "training/form.html",
        {"form": form, "title": title, "back": back, "back_label": back_label, "submit": submit},
    )


def _save_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def training_index(request):
    return render(
        request,
        "training/index.html",
        {
            "programmes": list(selectors.programmes_of(request.user)),
            "mentoring": list(selectors.mentoring_of(request.user)),
        },
    )


@login_required
def programme_new(request, project_id):
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not (request.user.is_superuser or can_coordinate(request.user, project)):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                user=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            messages.success(request, _("The programme is ready: add its partners and cohorts."))
            return redirect(_programme_url(programme))
    return _form_page(
        request,
        form,
        title=_("New training programme"),
        back=reverse("portal:project_workspace", args=[project.pk]),
        back_label=project.title,
        submit=_("Create"),
    )


@login_required
def programme(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    access = _access(request, programme)
    learner_filter = LearnerFilter(
        request.GET or None, queryset=programme.learners.all(), programme=programme
    )
    if learner_filter.is_bound and not learner_filter.is_valid():
        _form_errors(request, learner_filter.form)
        learners = programme.learners.none()
    else:
        learners = learner_filter.qs
    context = {
        "programme": programme,
        "access": access,
        "learner_filter": learner_filter,
        **selectors.programme_page(programme, learners),
    }
    if access.manage:
        context["partner_form"] = PartnerForm(programme=programme)
        context["staff_form"] = StaffForm(programme=programme)
    return render(request, "training/programme.html", context)


@login_required
@require_POST
def partner_set(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    _access(request, programme, "manage")
    form = PartnerForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.partner_set(programme=programme, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Partner saved."))
    else:
        _form_errors(request, form)
    return redirect(_programme_url(programme))


@login_required
@require_POST
def staff_set(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    _access(request, programme, "manage")
    form = StaffForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.staff_set(
                programme=programme,
                user=request.user,
                person=form.cleaned_data["person"].user,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Staff saved."))
    else:
        _form_errors(request, form)
    return redirect(_programme_url(programme))


@login_required
def cohort_new(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    _access(request, programme, "manage")
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                programme=programme, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            return redirect("portal:training_cohort", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("New cohort"),
        back=_programme_url(programme),
        back_label=programme.title,
        submit=_("Create"),
    )


@login_required
def learner_new(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    _access(request, programme, "manage")
    form = LearnerForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            learner = services.learner_register(programme=programme, user=request.user, **data)
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            messages.success(request, _("Learner %(code)s registered.") % {"code": learner.code})
            return redirect("portal:training_learner", learner.pk)
    return _form_page(
        request,
        form,
        title=_("Register a learner"),
        back=_programme_url(programme),
        back_label=programme.title,
        submit=_("Register"),
    )


@login_required
def mentees(request, programme_id):
    programme = _found(selectors.programme_get(programme_id))
    access = _access(request, programme)
    rows = selectors.mentees(programme, request.user, everyone=access.manage)
    return render(
        request,
        "training/mentees.html",
        {"programme": programme, "rows": rows, "stalled_days": selectors.STALLED_AFTER_DAYS},
    )


@login_required
def cohort(request, cohort_id):
    cohort = _found(selectors.cohort_get(cohort_id))
    access = _access(request, cohort.programme)
    context = {"cohort": cohort, "programme": cohort.programme, "access": access}
    context.update(selectors.cohort_page(cohort))
    context["status_form"] = StatusForm()
    if access.manage:
        accepted = {row.kind: row for row in cohort.outcomes.all()}
        context["outcomes"] = [
            (label, figures[0], accepted.get(kind))
            for (kind, label), figures in zip(
                CohortOutcome.Kind.choices,
                statistics.cohort_outcome_figures(cohort).values(),
                strict=True,
            )
        ]
    return render(request, "training/cohort.html", context)


@login_required
@require_POST
def cohort_outcomes_accept(request, cohort_id):
    """The coordinator accepts the cohort's outcomes: then, and only then, they are offered to
    the project's SROI map."""
    cohort = _found(selectors.cohort_get(cohort_id))
    _access(request, cohort.programme, "manage")
    try:
        services.cohort_outcomes_accept(cohort=cohort, user=request.user)
    except ValidationError as error:
        _say_errors(request, error)
    else:
        messages.success(
            request,
            _("Outcomes accepted: the project's coordinators can use them in its impact map."),
        )
    return redirect("portal:training_cohort", cohort.pk)


@login_required
def session_new(request, cohort_id):
    cohort = _found(selectors.cohort_get(cohort_id))
    programme = cohort.programme
    _access(request, programme, "manage")
    form = SessionForm(request.POST or None, programme=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        trainer = data.pop("trainer")
        try:
            services.session_create(
                cohort=cohort, user=request.user, trainer=trainer and trainer.user, **data
            )
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            return redirect("portal:training_cohort", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("New session"),
        back=reverse("portal:training_cohort", args=[cohort.pk]),
        back_label=cohort.name,
        submit=_("Add"),
    )


@login_required
def session(request, session_id):
    """One session for the programme's team: when, who trains, the room and its booking, the
    materials and who came."""
    session = _found(selectors.session_get(session_id))
    programme = session.cohort.programme
    access = _access(request, programme)
    context = {
        "session": session,
        "cohort": session.cohort,
        "programme": programme,
        "access": access,
    }
    context.update(selectors.session_page(session))
    return render(request, "training/session.html", context)


@login_required
def session_edit(request, session_id):
    """A coordinator changes a session: time, topic, trainer, room and materials."""
    session = _found(selectors.session_get(session_id))
    cohort = session.cohort
    _access(request, cohort.programme, "manage")
    form = SessionEditForm(request.POST or None, session=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        trainer = data.pop("trainer")
        try:
            services.session_update(
                session=session, user=request.user, trainer=trainer and trainer.user, **data
            )
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("portal:training_cohort", cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Change the session"),
        back=reverse("portal:training_cohort", args=[cohort.pk]),
        back_label=cohort.name,
        submit=_("Save"),
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@login_required
def attendance(request, session_id):
    """The trainer's sheet, made to be filled on a phone in the room. The page gives each
    sheet an id: with JavaScript a sheet marked offline waits in the phone's storage and is
    sent when the connection returns (static/js/attendance.js), answered in JSON; the server
    stores a sheet once however often it arrives."""
    session = _found(selectors.session_get(session_id))
    _access(request, session.cohort.programme, "attend")
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("mark-") and value:
                try:
                    marks[int(key[5:])] = value
                except ValueError:
                    marks[-1] = value
        try:
            newly = services.attendance_record(
                session=session,
                user=request.user,
                marks=marks,
                client_id=request.POST.get("client_id", ""),
            )
        except ValidationError as error:
            if _wants_json(request):
                return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
            _say_errors(request, error)
        else:
            warning = newly and _("At risk of not completing: %(codes)s") % {
                "codes": ", ".join(e.learner.code for e in newly)
            }
            if _wants_json(request):
                return JsonResponse({"ok": True, "warning": warning or ""})
            messages.success(request, _("Attendance saved."))
            if warning:
                messages.warning(request, warning)
            return redirect("portal:training_attendance", session.pk)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "cohort": session.cohort,
            "rows": selectors.session_sheet(session),
            "choices": Attendance.Status.choices,
            "client_id": uuid.uuid4().hex,
        },
    )


@login_required
def learner(request, learner_id):
    learner = _found(selectors.learner_get(learner_id))
    access = _access(request, learner.programme)
    context = {"learner": learner, "programme": learner.programme, "access": access}
    context.update(selectors.learner_page(learner))
    if access.manage:
        context["refer_form"] = ReferForm(programme=learner.programme)
        context["mentor_form"] = MentorForm(programme=learner.programme)
        context["status_form"] = StatusForm()
        context["follow_up_form"] = FollowUpForm()
    if access.attend:
        context["skill_form"] = SkillForm()
    return render(request, "training/learner.html", context)


@login_required
def learner_edit(request, learner_id):
    """A coordinator corrects a learner's details, the ones mentors are matched on too."""
    learner = _found(selectors.learner_get(learner_id))
    programme = learner.programme
    _access(request, programme, "manage")
    form = LearnerEditForm(request.POST or None, instance=learner)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.LEARNER_EDITABLE}
        try:
            services.learner_update(
                learner=learner, user=request.user, sectors=form.cleaned_data["sectors"], **data
            )
        except ValidationError as error:
            _save_service_errors(form, error)
        else:
            messages.success(request, _("Learner %(code)s saved.") % {"code": learner.code})
            return redirect("portal:training_learner", learner.pk)
    return _form_page(
        request,
        form,
        title=_("Change learner %(code)s") % {"code": learner.code},
        back=reverse("portal:training_learner", args=[learner.pk]),
        back_label=learner.code,
        submit=_("Save"),
    )


@login_required
def mentor_match(request, learner_id):
    """The programme's staff, and the volunteers of the network open to mentoring, as mentors
    for a learner, best match first, with the reasons; for the coordinators, who assign one
    from here."""
    learner = _found(selectors.learner_get(learner_id))
    _access(request, learner.programme, "manage")
    current = learner.mentorships.filter(ended_on__isnull=True).first()
    needs = matching.learner_needs(learner)
    candidates = matching.mentor_candidates(learner, needs=needs)
    network = matching.network_candidates(
        learner, needs=needs, staff_ids={c.user.pk for c in candidates}
    )
    return render(
        request,
        "training/mentor_match.html",
        {
            "learner": learner,
            "programme": learner.programme,
            "candidates": candidates,
            "network": network,
            "current_mentor_id": current and current.mentor_id,
        },
    )


def _learner_action(request, learner_id):
    learner = _found(selectors.learner_get(learner_id))
    _access(request, learner.programme, "manage")
    return learner


@login_required
@require_POST
def learner_refer(request, learner_id):
    learner = _learner_action(request, learner_id)
    form = ReferForm(request.POST, programme=learner.programme)
    if form.is_valid():
        try:
            services.learner_refer(learner=learner, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _say_errors(request, error)
    else:
        _form_errors(request, form)
    return redirect("portal:training_learner", learner.pk)


@login_required
@require_POST
def learner_mentor(request, learner_id):
    """Assign a mentor: one of the programme's staff (``mentor``, a staff row) or a volunteer
    of the network open to mentoring (``volunteer``, their account)."""
    learner = _learner_action(request, learner_id)
    if "volunteer" in request.POST:
        form = NetworkMentorForm(request.POST)
        chosen = lambda data: data["volunteer"]  # noqa: E731
        back = "portal:training_mentor_match"
    else:
        form = MentorForm(request.POST, programme=learner.programme)
        chosen = lambda data: data["mentor"].user  # noqa: E731
        back = "portal:training_learner"
    if form.is_valid():
        try:
            services.mentorship_start(
                learner=learner, user=request.user, mentor=chosen(form.cleaned_data)
            )
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Mentor assigned."))
            back = "portal:training_learner"
    else:
        _form_errors(request, form)
    return redirect(back, learner.pk)


@login_required
@require_POST
def learner_erase(request, learner_id):
    learner = _learner_action(request, learner_id)
    programme = learner.programme
    if request.POST.get("confirm") != learner.code:
        messages.error(request, _("Type the learner's code to confirm."))
        return redirect("portal:training_learner", learner.pk)
    services.learner_erase(learner=learner, user=request.user)
    messages.success(request, _("The learner's data was erased."))
    return redirect(_programme_url(programme))


@login_required
@require_POST
def enrolment_status(request, enrolment_id):
    enrolment = _found(selectors.enrolment_get(enrolment_id))
    _access(request, enrolment.cohort.programme, "manage")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_set_status(
                enrolment=enrolment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Enrolment updated."))
    else:
        _form_errors(request, form)
    return redirect(
        request.POST.get("next") == "learner"
        and reverse("portal:training_learner", args=[enrolment.learner_id])
        or reverse("portal:training_cohort", args=[enrolment.cohort_id])
    )


@login_required
@require_POST
def certificate_issue(request, enrolment_id):
    enrolment = _found(selectors.enrolment_get(enrolment_id))
    _access(request, enrolment.cohort.programme, "manage")
    try:
        certificate = services.certificate_issue(enrolment=enrolment, user=request.user)
    except ValidationError as error:
        _say_errors(request, error)
        return redirect("portal:training_learner", enrolment.learner_id)
    return redirect("portal:training_certificate", certificate.pk)


@login_required
def certificate(request, certificate_id):
    certificate = _found(selectors.certificate_get(certificate_id))
    programme = certificate.enrolment.cohort.programme
    _access(request, programme)
    return render(
        request,
        "training/certificate.html",
        {
            "certificate": certificate,
            "enrolment": certificate.enrolment,
            "programme": programme,
            "partners": list(programme.partners.select_related("organization")),
        },
    )


def _mentorship_access(request, mentorship):
    """The programme's coordinators and the mentor. A volunteer of the network mentoring the
    learner is not on the staff: the current pairing alone lets them in, to this page only."""
    user = request.user
    if (
        user.is_authenticated
        and user.is_active
        and mentorship.mentor_id == user.pk
        and mentorship.ended_on is None
    ):
        return selectors.programme_access(user, mentorship.programme)
    access = _access(request, mentorship.programme)
    if not (access.manage or mentorship.mentor_id == user.pk):
        raise PermissionDenied
    return access


@login_required
def mentorship(request, mentorship_id):
    mentorship = _found(selectors.mentorship_get(mentorship_id))
    access = _mentorship_access(request, mentorship)
    context = {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "access": access,
        "goal_form": GoalForm(),
        "checkin_form": CheckInForm(),
        **selectors.mentorship_page(mentorship),
    }
    return render(request, "training/mentorship.html", context)


def _mentorship_write(request, mentorship, form, write):
    if form.is_valid():
        try:
            write(**form.cleaned_data)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Saved."))
    else:
        _form_errors(request, form)
    return redirect("portal:training_mentorship", mentorship.pk)


@login_required
@require_POST
def goal_add(request, mentorship_id):
    mentorship = _found(selectors.mentorship_get(mentorship_id))
    _mentorship_access(request, mentorship)
    return _mentorship_write(
        request,
        mentorship,
        GoalForm(request.POST),
        lambda **data: services.goal_add(mentorship=mentorship, user=request.user, **data),
    )


@login_required
@require_POST
def checkin_add(request, mentorship_id):
    mentorship = _found(selectors.mentorship_get(mentorship_id))
    _mentorship_access(request, mentorship)
    return _mentorship_write(
        request,
        mentorship,
        CheckInForm(request.POST),
        lambda **data: services.checkin_add(mentorship=mentorship, user=request.user, **data),
    )


def _checkin_action(request, checkin_id):
    checkin = _found(selectors.checkin_get(checkin_id))
    _mentorship_access(request, checkin.mentorship)
    return checkin


@login_required
@require_POST
def checkin_edit(request, checkin_id):
    checkin = _checkin_action(request, checkin_id)
    return _mentorship_write(
        request,
        checkin.mentorship,
        CheckInForm(request.POST),
        lambda **data: services.checkin_edit(checkin=checkin, user=request.user, **data),
    )


@login_required
@require_POST
def checkin_delete(request, checkin_id):
    checkin = _checkin_action(request, checkin_id)
    mentorship = checkin.mentorship
    try:
        services.checkin_delete(checkin=checkin, user=request.user)
    except ValidationError as error:
        _say_errors(request, error)
    else:
        messages.success(request, _("Check-in removed."))
    return redirect("portal:training_mentorship", mentorship.pk)


@login_required
@require_POST
def goal_done(request, goal_id):
    goal = get_object_or_404(Goal.objects.select_related("mentorship__programme"), pk=goal_id)
    _mentorship_access(request, goal.mentorship)
    try:
        services.goal_achieve(goal=goal, user=request.user)
    except ValidationError as error:
        _say_errors(request, error)
    return redirect("portal:training_mentorship", goal.mentorship_id)


@login_required
def programme_export(request, programme_id):
    """The funder export: figures per cohort, nobody's data."""
    programme = _found(selectors.programme_get(programme_id))
    _access(request, programme, "manage")
    return records_csv_response(
        statistics.EXPORT_FIELDS,
        statistics.cohort_figures(programme),
        filename=f"training-{programme.pk}-cohorts.csv",
    )


def public_statistics(request):
    return render(request, "training/statistics.html", statistics.public_statistics())


def _enrolment_write(request, enrolment_id, need, form_class, write):
    enrolment = _found(selectors.enrolment_get(enrolment_id))
    _access(request, enrolment.cohort.programme, need)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(enrolment=enrolment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, _("Saved."))
    else:
        _form_errors(request, form)
    return redirect("portal:training_learner", enrolment.learner_id)


@login_required
@require_POST
def skill_level(request, enrolment_id):
    return _enrolment_write(
        request, enrolment_id, "attend", SkillForm, services.skill_level_record
    )


@login_required
@require_POST
def follow_up(request, enrolment_id):
    return _enrolment_write(
        request, enrolment_id, "manage", FollowUpForm, services.follow_up_record
    )
