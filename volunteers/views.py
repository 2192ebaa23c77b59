"""Pages of the volunteer network at /volunteer/: the open roles, a role and its shifts, the
volunteer's profile, hours and certificate, and the coordinators' pages.

Each view parses input, asks the selectors who may do what and calls one service. Outcomes:
anonymous → sign-in for anything beyond reading; a role of a project the person may not see →
404; an action they may not take → 403; bad input → the form again with its messages, nothing
stored.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import opendata
from partners.models import PartnerPage
from projects.models import ProjectPage
from projects.selectors import can_coordinate

from . import selectors, services
from .certificate_pdf import render as certificate_pdf_render
from .forms import (
    AgreementForm,
    ApplyForm,
    DecisionForm,
    HoursForm,
    PeriodForm,
    ProfileForm,
    RejectForm,
    RequirementConfirmForm,
    RequirementRecordForm,
    RoleDirectoryFilter,
    RoleForm,
    ShiftForm,
)
from .models import HoursLog


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _role_or_404(request, role_id):
    role = selectors.role_get_for_user(request.user, role_id)
    if role is None:
        raise Http404
    return role


def _coordinated_project(request, project_id):
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not can_coordinate(request.user, project):
        raise PermissionDenied
    return project


def _coordinated_organization(request, organization_id):
    """The organization, for its admins, who coordinate the roles it publishes itself."""
    organization = get_object_or_404(PartnerPage, pk=organization_id)
    if not selectors.can_coordinate_organization_roles(request.user, organization):
        raise PermissionDenied
    return organization


def _hours_review_url(publisher):
    if isinstance(publisher, PartnerPage):
        return reverse("volunteers:organization_hours_review", args=[publisher.pk])
    return reverse("volunteers:hours_review", args=[publisher.pk])


# --- Public pages -------------------------------------------------------------------------------


def role_list(request):
    """Open roles of published projects, narrowed by facets; for a volunteer, the roles that
    match their skills and interests first, with what matches."""
    directory = RoleDirectoryFilter(request.GET or None, queryset=selectors.role_list())
    profile = selectors.profile_of(request.user)
    roles = selectors.explain_matches(profile, directory.qs[:200])
    return render(
        request,
        "volunteers/role_list.html",
        {"roles": roles, "directory": directory, "profile": profile},
    )


def role_detail(request, role_id):
    role = _role_or_404(request, role_id)
    profile = selectors.profile_of(request.user)
    application = selectors.application_of(request.user, role)
    requirement_records = selectors.requirement_records_of(request.user, role)
    today = timezone.localdate()
    requirements_held = all(
        record is not None and record.confirmed and record.valid_until >= today
        for _requirement, record in requirement_records
    )
    return render(
        request,
        "volunteers/role_detail.html",
        {
            "role": role,
            "shifts": selectors.shifts_of(role, request.user),
            "can_coordinate": selectors.can_coordinate_role(request.user, role),
            "profile": profile,
            "application": application,
            "requirement_records": requirement_records,
            # A screening role's shifts are for accepted volunteers who signed the agreement
            # and hold its requirements (the sign-up checks each shift's dates again).
            "may_take_places": bool(
                profile
                and role.open
                and requirements_held
                and (not role.screening or (application and application.ready))
            ),
            "apply_form": ApplyForm(),
            "requirement_form": RequirementRecordForm(role=role),
            "now": timezone.now(),
            "today": today,
        },
    )


def certificate_verify(request, token):
    """Anyone may check a certificate's link; a forged or altered one is not found."""
    claim = selectors.certificate_check(token)
    if claim is None:
        raise Http404
    person = get_user_model().objects.filter(pk=claim["u"]).first()
    return render(
        request,
        "volunteers/certificate_verify.html",
        {"claim": claim, "person": person},
    )


# --- The volunteer's pages ----------------------------------------------------------------------


@login_required
def profile(request):
    current = selectors.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteers:profile")
    return render(request, "volunteers/profile.html", {"form": form, "profile": current})


@login_required
@require_POST
def profile_withdraw(request):
    try:
        services.profile_withdraw(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You left the volunteer network."))
    return redirect("volunteers:profile")


@login_required
@require_POST
def shift_signup(request, shift_id):
    shift = selectors.shift_get(shift_id)
    if shift is None or selectors.role_get_for_user(request.user, shift.role_id) is None:
        raise Http404
    try:
        services.shift_signup(user=request.user, shift=shift)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have a place on this shift."))
    return redirect("volunteers:role_detail", role_id=shift.role_id)


@login_required
@require_POST
def shift_cancel(request, shift_id):
    shift = selectors.shift_get(shift_id)
    if shift is None:
        raise Http404
    try:
        services.shift_cancel(user=request.user, shift=shift)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You gave up your place."))
    return redirect("volunteers:role_detail", role_id=shift.role_id)


@login_required
@require_POST
def role_apply(request, role_id):
    role = _role_or_404(request, role_id)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("volunteers:role_detail", role_id=role.pk)
    try:
        services.role_apply(user=request.user, role=role, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application is sent: the coordinators will answer."))
    return redirect("volunteers:role_detail", role_id=role.pk)


def _application_for_volunteer_or_coordinator(request, application_id):
    """The application for its volunteer (and the role's coordinators, to read); anyone else
    is told it does not exist."""
    application = selectors.application_get(application_id)
    if application is None:
        raise Http404
    mine = application.user_id == request.user.pk
    if not mine and not selectors.can_coordinate_role(request.user, application.role):
        raise Http404
    return application, mine


@login_required
def agreement(request, application_id):
    """The volunteer agreement of an accepted application: its volunteer accepts it here."""
    application, mine = _application_for_volunteer_or_coordinator(request, application_id)
    # Bound on every POST: an empty one (the box left unticked) must say why it failed.
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.agreement_accept(user=request.user, application=application, accept=True)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("You accepted the agreement: choose your shifts now."))
                return redirect("volunteers:role_detail", role_id=application.role_id)
    return render(
        request,
        "volunteers/agreement.html",
        {"application": application, "mine": mine, "form": form},
    )


@login_required
def hours_mine(request):
    roles = selectors.roles_signed_up(request.user)
    form = HoursForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your hours wait for a coordinator's verification."))
            return redirect("volunteers:hours_mine")
    return render(
        request,
        "volunteers/hours_mine.html",
        {"form": form, "entries": selectors.hours_of(request.user)[:500], "has_roles": roles},
    )


def _certificate(request):
    """The person's verified hours by project, their sum, the day and the link to check them."""
    rows, total = selectors.verified_totals(request.user)
    issued = timezone.localdate()
    token = selectors.certificate_token(request.user, total, issued)
    verify_url = request.build_absolute_uri(reverse("volunteers:certificate_verify", args=[token]))
    return {"rows": rows, "total": total, "issued": issued, "verify_url": verify_url}


@login_required
def certificate(request):
    """A printable certificate of the person's verified hours, with a link anyone can check."""
    return render(request, "volunteers/certificate.html", _certificate(request))


@login_required
def certificate_pdf(request):
    """The same certificate as a PDF file to hand to a university."""
    context = _certificate(request)
    pdf = certificate_pdf_render(
        name=request.user.get_full_name() or request.user.get_username(),
        site_name=settings.WAGTAIL_SITE_NAME,
        **context,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"volunteer-hours-{context['issued'].isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The coordinators' pages --------------------------------------------------------------------


def _role_create(request, *, project=None, organization=None):
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(
                user=request.user, project=project, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The role is offered. Add its shifts."))
            return redirect("volunteers:shift_create", role_id=role.pk)
    return render(
        request,
        "volunteers/role_form.html",
        {"form": form, "project": project, "organization": organization},
    )


@login_required
def role_create(request, project_id):
    return _role_create(request, project=_coordinated_project(request, project_id))


@login_required
def organization_role_create(request, organization_id):
    """An organization's admin offers a role the organization publishes itself, with no
    project."""
    return _role_create(request, organization=_coordinated_organization(request, organization_id))


@login_required
def role_edit(request, role_id):
    """A coordinator of the role (of its project, or an admin of its organization) changes
    what it asks."""
    role = _role_or_404(request, role_id)
    if not selectors.can_coordinate_role(request.user, role):
        raise PermissionDenied
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(user=request.user, role=role, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The role is saved."))
            return redirect("volunteers:role_detail", role_id=role.pk)
    return render(
        request,
        "volunteers/role_form.html",
        {"form": form, "role": role, "project": role.project, "organization": role.organization},
    )


@login_required
def shift_create(request, role_id):
    role = _role_or_404(request, role_id)
    if not selectors.can_coordinate_role(request.user, role):
        raise PermissionDenied
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_create(user=request.user, role=role, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The shift is added."))
            return redirect("volunteers:role_detail", role_id=role.pk)
    return render(request, "volunteers/shift_form.html", {"form": form, "role": role})


@login_required
def role_applications(request, role_id):
    """The role's applications, for its project's coordinators to decide on."""
    role = _role_or_404(request, role_id)
    if not selectors.can_coordinate_role(request.user, role):
        raise PermissionDenied
    return render(
        request,
        "volunteers/role_applications.html",
        {
            "role": role,
            "applications": selectors.applications_of_role(role),
            "decision_form": DecisionForm(),
            "requirements": list(role.requirements.all()),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def application_decide(request, application_id, decision):
    application = selectors.application_get(application_id)
    if application is None:
        raise Http404
    if not selectors.can_coordinate_role(request.user, application.role):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("volunteers:role_applications", role_id=application.role_id)
    try:
        services.application_decide(
            user=request.user,
            application=application,
            decision=decision,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The volunteer is told."))
    return redirect("volunteers:role_applications", role_id=application.role_id)


def _coordinated_application(request, application_id):
    """The application, for a coordinator of its role: 404 when missing, 403 to others."""
    application = selectors.application_get(application_id)
    if application is None:
        raise Http404
    if not selectors.can_coordinate_role(request.user, application.role):
        raise PermissionDenied
    return application


def _application_anchor(application):
    url = reverse("volunteers:role_applications", args=[application.role_id])
    return f"{url}#application-{application.pk}"


def _form_errors(form):
    return " ".join(m for ms in form.errors.values() for m in ms)


@login_required
@require_POST
def requirement_record(request, application_id):
    """A coordinator records until when an applicant holds one of the role's requirements."""
    application = _coordinated_application(request, application_id)
    form = RequirementRecordForm(request.POST, role=application.role)
    target = _application_anchor(application)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    try:
        services.requirement_record(
            user=request.user, application=application, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The date is recorded."))
    return redirect(target)


@login_required
@require_POST
def requirement_claim(request, role_id):
    """A volunteer enters until when they hold one of the role's requirements."""
    role = _role_or_404(request, role_id)
    form = RequirementRecordForm(request.POST, role=role)
    target = reverse("volunteers:role_detail", args=[role.pk]) + "#requirements"
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    try:
        record = services.requirement_claim(user=request.user, role=role, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if record.confirmed:
            messages.success(request, _("This date is confirmed already."))
        else:
            messages.success(
                request,
                _("The date is entered: show the document to the coordinators, who confirm it."),
            )
    return redirect(target)


@login_required
@require_POST
def requirement_confirm(request, application_id):
    """A coordinator confirms the date an applicant entered for one of the role's
    requirements."""
    application = _coordinated_application(request, application_id)
    form = RequirementConfirmForm(request.POST, role=application.role)
    target = _application_anchor(application)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    try:
        services.requirement_confirm(
            user=request.user, application=application, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The date is confirmed."))
    return redirect(target)


def _period_form(request):
    return PeriodForm(request.GET if request.GET else None)


def _private_csv(rows, *, filename):
    """A CSV download for the signed-in coordinator: cells defused like open data (no cell
    runs as a formula), but never readable by other sites and never cached."""
    response = HttpResponse(opendata.BOM, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    opendata.write_csv(response, rows)
    return response


def _volunteer_name(row):
    return " ".join(filter(None, (row["user__first_name"], row["user__last_name"])))


@login_required
def hours_review(request, project_id):
    """The hours waiting for the project's coordinators, its verified totals by year and by
    volunteer (in a period, if one is chosen), and their CSV."""
    return _hours_review(request, _coordinated_project(request, project_id))


@login_required
def organization_hours_review(request, organization_id):
    """The same for the roles an organization publishes itself, for its admins."""
    return _hours_review(request, _coordinated_organization(request, organization_id))


def _hours_review(request, project):
    organization = project if isinstance(project, PartnerPage) else None
    period = _period_form(request)
    start, end = period.period()
    return render(
        request,
        "volunteers/hours_review.html",
        {
            "project": None if organization else project,
            "organization": organization,
            "publisher": project,
            "export_url": reverse(
                "volunteers:organization_hours_export"
                if organization
                else "volunteers:hours_export",
                args=[project.pk],
            ),
            "entries": selectors.hours_pending_for_project(project)[:500],
            "by_year": selectors.project_verified_hours_by_year(project),
            "period": period,
            "by_volunteer": None
            if period.errors
            else selectors.volunteer_totals(project, start, end),
            "export_query": period.query(),
            "reject_form": RejectForm(),
        },
    )


@login_required
def hours_export(request, project_id):
    """CSV: each volunteer's verified hours on the project, in the period."""
    return _hours_export(request, _coordinated_project(request, project_id), "project")


@login_required
def organization_hours_export(request, organization_id):
    """CSV: each volunteer's verified hours on the roles the organization publishes itself."""
    organization = _coordinated_organization(request, organization_id)
    return _hours_export(request, organization, "organization")


def _hours_export(request, project, column):
    period = _period_form(request)
    if period.errors:
        return opendata.error_response(
            [message for errors in period.errors.values() for message in errors]
        )
    start, end = period.period()
    rows = [[column, "volunteer", "name", "verified_hours", "entries", "first_day", "last_day"]]
    rows.extend(
        [
            project.title,
            row["user__username"],
            _volunteer_name(row),
            row["total"],
            row["entries"],
            row["first_day"],
            row["last_day"],
        ]
        for row in selectors.volunteer_totals(project, start, end)
    )
    prefix = "volunteer-hours-organization" if column == "organization" else "volunteer-hours"
    return _private_csv(rows, filename=f"{prefix}-{project.pk}.csv")


@login_required
def hours_totals(request):
    """Verified hours of every project the person coordinates, in the period; ``?format=csv``
    downloads them. Nobody sees another coordinator's projects."""
    period = _period_form(request)
    export_format = opendata.requested_format(request)
    if export_format not in ("", "csv"):
        return opendata.unknown_format(export_format, formats=("csv",))
    if export_format == "csv" and period.errors:
        return opendata.error_response(
            [message for errors in period.errors.values() for message in errors]
        )
    by = request.GET.get("by", "project")
    if by not in ("project", "organization"):
        return opendata.error_response([_("Totals are by project or by organization.")])
    start, end = period.period()
    totals = None if period.errors else selectors.project_totals(request.user, start, end)
    by_organization = (
        None if period.errors else selectors.organization_totals(request.user, start, end)
    )
    if export_format == "csv" and by == "organization":
        rows = [
            ["organization_id", "organization", "verified_hours", "projects", "volunteers"]
            + ["entries"]
        ]
        rows.extend(
            [
                row["organization_id"],
                row["organization_title"],
                row["total"],
                row["projects"],
                row["people"],
                row["entries"],
            ]
            for row in by_organization
        )
        return _private_csv(rows, filename="volunteer-hours-by-organization.csv")
    if export_format == "csv":
        rows = [["project_id", "project", "verified_hours", "volunteers", "entries"]]
        rows.extend(
            [
                row["role__project_id"],
                row["role__project__title"],
                row["total"],
                row["people"],
                row["entries"],
            ]
            for row in totals
        )
        return _private_csv(rows, filename="volunteer-hours-by-project.csv")
    return render(
        request,
        "volunteers/hours_totals.html",
        {
            "period": period,
            "totals": totals,
            "by_organization": by_organization,
            "export_query": period.query(),
        },
    )


@login_required
@require_POST
def hours_decide(request, entry_id, action):
    entry = get_object_or_404(
        HoursLog.objects.select_related("role__project", "role__organization"),
        pk=entry_id,
        role__isnull=False,
    )
    if not selectors.can_coordinate_role(request.user, entry.role):
        raise PermissionDenied
    target = _hours_review_url(entry.role.publisher)
    form = RejectForm(request.POST) if action == "reject" else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Say why the hours are rejected."))
        return redirect(target)
    try:
        services.hours_decide(
            user=request.user,
            entry=entry,
            verify=action == "verify",
            reason=form.cleaned_data["reason"] if form is not None else "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hours are decided."))
    return redirect(target)
