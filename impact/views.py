"""Portal pages of the impact map editor, under /portal/projects/<id>/impact/.

Coordinators edit; the rest of the team reads the working copy; anyone else gets a 404, as
for the workspace (a private map's existence is private too).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    SECTIONS,
    ImpactMapCreateForm,
    ImpactMapSettingsForm,
    ValueMapUploadForm,
    row_formset,
)
from .models import ImpactMap
from .presentation import report_context, report_summary
from .report import build_report
from .spreadsheet import read_value_map, value_map_xlsx
from .suggestions import input_suggestions, outcome_suggestions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SECTION_TEXT = {
    "stakeholders": (
        gettext_lazy("Stakeholders"),
        gettext_lazy(
            "Who experiences change because of the project, and how many of them. Deleting a "
            "stakeholder deletes its outcomes."
        ),
    ),
    "inputs": (
        gettext_lazy("Inputs"),
        gettext_lazy(
            "What was put in to make it happen: money, in-kind resources at their value, and "
            "volunteer hours (valued at the map's hourly rate), each with who contributed it."
        ),
    ),
    "outputs": (
        gettext_lazy("Outputs"),
        gettext_lazy(
            "What the activity produced, counted: sessions held, people trained, kits lent."
        ),
    ),
    "outcomes": (
        gettext_lazy("Outcomes"),
        gettext_lazy(
            "The changes each stakeholder experiences: how you measure them, how long they last, "
            "what they are worth (a financial proxy, with its source), and how much of them "
            "would have happened anyway (deadweight), displaced other value (displacement), is "
            "due to others (attribution) and fades each year (drop-off). Justify every "
            "percentage: the report publishes them all."
        ),
    ),
}


def _project(request, project_id, *, edit=False):
    project = selectors.project_get(project_id)
    if project is None:
        raise Http404
    access = selectors.impact_access(request.user, project)
    if access is None:
        raise Http404
    if edit and access != selectors.EDIT:
        raise PermissionDenied
    return project, access


def _map(project, kind, *, rows=True):
    if kind not in ImpactMap.Kind.values:
        raise Http404
    impact_map = selectors.impact_map_get(project, kind, rows=rows)
    if impact_map is None:
        raise Http404
    return impact_map


def _map_url(impact_map, name="impact_map"):
    return reverse(f"portal:{name}", args=[impact_map.project_id, impact_map.kind])


def _error_messages(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
def overview(request, project_id):
    project, access = _project(request, project_id)
    maps = selectors.impact_maps_of_project(project)
    entries = [(m, report_summary(build_report(m))) for m in maps]
    missing = [k for k in ImpactMap.Kind.values if k not in {m.kind for m in maps}]
    return render(
        request,
        "impact/portal/overview.html",
        {
            "project": project,
            "can_edit": access == selectors.EDIT,
            "entries": entries,
            "missing_kinds": missing,
        },
    )


@login_required
def map_create(request, project_id):
    project, _access = _project(request, project_id, edit=True)
    existing = {m.kind for m in selectors.impact_maps_of_project(project, rows=False)}
    available = [k for k in ImpactMap.Kind.values if k not in existing]
    if not available:
        messages.info(
            request, _("This project already has both a forecast and an evaluative map.")
        )
        return redirect("portal:impact_overview", project.pk)
    initial = {"kind": request.GET.get("kind") or available[0]}
    form = ImpactMapCreateForm(
        request.POST or None,
        initial={**initial, "first_year": services.default_first_year(project)},
        available_kinds=available,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            impact_map = services.impact_map_create(
                project=project, user=request.user, kind=data.pop("kind"), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Impact map created. Start with its stakeholders."))
            return redirect(_map_url(impact_map, "impact_stakeholders"))
    return render(request, "impact/portal/map_form.html", {"project": project, "form": form})


@login_required
def map_detail(request, project_id, kind):
    project, access = _project(request, project_id)
    impact_map = _map(project, kind)
    report = build_report(impact_map)
    can_edit = access == selectors.EDIT
    return render(
        request,
        "impact/portal/map.html",
        {
            "project": project,
            "impact_map": impact_map,
            "can_edit": can_edit,
            "report_ctx": report_context(report),
            "kind_label": impact_map.get_kind_display(),
            # Suggested inputs are for those who may add them.
            "suggestions": input_suggestions(impact_map, project) if can_edit else (),
            "outcome_suggestions": outcome_suggestions(impact_map, project) if can_edit else (),
            "map_outcomes": [o for s in impact_map.stakeholders.all() for o in s.outcomes.all()]
            if can_edit
            else (),
        },
    )


@login_required
@require_POST
def input_suggestion_offer(request, project_id, kind):
    """A coordinator offers a suggested input (verified volunteer hours…) to the map."""
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    key = (request.POST.get("key") or "").strip()[:60]
    try:
        row, changed = services.input_suggestion_offer(
            impact_map=impact_map, user=request.user, key=key
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if changed:
            messages.success(
                request,
                _("“%(input)s” is an input of the map now.") % {"input": row.description},
            )
        else:
            messages.info(request, _("The map already has this input with the same figure."))
    return redirect(_map_url(impact_map))


@login_required
@require_POST
def outcome_suggestion_fill(request, project_id, kind):
    """A coordinator fills an outcome's quantity with a figure another app accepted."""
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind)
    key = (request.POST.get("key") or "").strip()[:60]
    try:
        outcome_id = int(request.POST.get("outcome") or 0)
    except ValueError:
        outcome_id = 0
    try:
        outcome, changed = services.outcome_suggestion_fill(
            impact_map=impact_map, user=request.user, key=key, outcome_id=outcome_id
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if changed:
            messages.success(
                request,
                _("The quantity of “%(outcome)s” comes from the accepted figure now.")
                % {"outcome": outcome.description},
            )
        else:
            messages.info(request, _("The outcome already has this quantity."))
    return redirect(_map_url(impact_map))


@login_required
def map_settings(request, project_id, kind):
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    form = ImpactMapSettingsForm(request.POST or None, instance=impact_map)
    if request.method == "POST" and form.is_valid():
        try:
            services.impact_map_update(
                impact_map=impact_map, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect(_map_url(impact_map))
    return render(
        request,
        "impact/portal/map_form.html",
        {"project": project, "impact_map": impact_map, "form": form, "can_edit": True},
    )


@login_required
def map_rows(request, project_id, kind, section):
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    form_class = SECTIONS[section]
    try:
        extra = min(max(int(request.GET.get("add", 1)), 0), 20)
    except ValueError:
        extra = 1
    FormSet = row_formset(form_class, extra=extra)
    queryset = selectors.rows_of(impact_map, section)
    formset = FormSet(
        request.POST or None, queryset=queryset, impact_map=impact_map, prefix="rows"
    )
    if request.method == "POST" and formset.is_valid():
        rows = formset.save(commit=False)
        try:
            services.impact_rows_save(
                impact_map=impact_map,
                user=request.user,
                rows=rows,
                deleted=formset.deleted_objects,
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Saved."))
            target = request.path
            if "save_and_add" in request.POST:
                target += "?add=3"
            return redirect(target)
    if section == "outcomes" and not impact_map.stakeholders.exists():
        messages.warning(request, _("Add the stakeholders first: every outcome belongs to one."))
    return render(
        request,
        "impact/portal/rows.html",
        {
            "project": project,
            "impact_map": impact_map,
            "formset": formset,
            "section": section,
            "section_title": SECTION_TEXT[section][0],
            "section_help": SECTION_TEXT[section][1],
            "proxies": selectors.financial_proxies() if section == "outcomes" else None,
        },
    )


@login_required
@require_POST
def map_publish(request, project_id, kind):
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    try:
        services.impact_map_publish(impact_map=impact_map, user=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if project.live:
            messages.success(request, _("Published: the report is public."))
        else:
            messages.success(
                request,
                _("Published: the report will be public once the project itself is published."),
            )
    return redirect(_map_url(impact_map))


@login_required
@require_POST
def map_unpublish(request, project_id, kind):
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    services.impact_map_unpublish(impact_map=impact_map, user=request.user)
    messages.success(request, _("Unpublished: the report is private again."))
    return redirect(_map_url(impact_map))


@login_required
def map_delete(request, project_id, kind):
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    if request.method == "POST":
        services.impact_map_delete(impact_map=impact_map, user=request.user)
        messages.success(request, _("Impact map deleted."))
        return redirect("portal:impact_overview", project.pk)
    return render(
        request, "impact/portal/map_delete.html", {"project": project, "impact_map": impact_map}
    )


@login_required
def value_map_download(request, project_id, kind):
    """The map as a spreadsheet with the SROI Network template's columns (the team reads it)."""
    project, _access = _project(request, project_id)
    impact_map = _map(project, kind)
    response = HttpResponse(value_map_xlsx(impact_map), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="value-map-{project.pk}-{impact_map.kind}.xlsx"'
    )
    return response


@login_required
def value_map_import(request, project_id, kind):
    """Upload a spreadsheet, see what it would create (a dry run), then confirm."""
    project, _access = _project(request, project_id, edit=True)
    impact_map = _map(project, kind, rows=False)
    session_key = f"impact-import-{impact_map.pk}"
    if request.method == "POST" and "confirm" in request.POST:
        data = request.session.pop(session_key, None)
        if data is None:
            messages.error(request, _("Upload the spreadsheet again: nothing was imported."))
            return redirect(request.path)
        try:
            stakeholders, outcomes, inputs = services.value_map_import(
                impact_map=impact_map, user=request.user, data=data
            )
        except ValidationError as error:
            _error_messages(request, error)
            return redirect(request.path)
        messages.success(
            request,
            _(
                "Imported %(outcomes)s outcome(s), %(inputs)s input(s) and %(stakeholders)s new "
                "stakeholder(s)."
            )
            % {"outcomes": outcomes, "inputs": inputs, "stakeholders": stakeholders},
        )
        return redirect(_map_url(impact_map, "impact_outcomes"))
    form = ValueMapUploadForm(request.POST or None, request.FILES or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        parsed = read_value_map(form.cleaned_data["file"], period_years=impact_map.period_years)
        if parsed.ok:
            request.session[session_key] = parsed.as_data()
        else:
            request.session.pop(session_key, None)
    existing = set(impact_map.stakeholders.values_list("name", flat=True))
    return render(
        request,
        "impact/portal/import.html",
        {
            "project": project,
            "impact_map": impact_map,
            "form": form,
            "parsed": parsed,
            "new_stakeholders": [
                name
                for name in (parsed.stakeholders if parsed else {})
                if name.casefold() not in {e.casefold() for e in existing}
            ],
        },
    )
