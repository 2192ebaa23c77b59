"""Workspace pages at /portal/projects/<id>/documents/, …/tasks/, …/meetings/.

Each view reads the person's access to the project once, calls one service or selector and
renders or redirects. The workspace is the team's: anonymous → sign-in; anyone off the team →
404 (its content is private, even its existence); an action the person may not take → 403;
bad input → a message and nothing changed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    AttendanceForm,
    DocumentUploadForm,
    FolderForm,
    MeetingForm,
    MilestoneForm,
    MinutesForm,
    TaskFilterForm,
    TaskForm,
    TaskStatusForm,
    UpdateForm,
    VersionForm,
)
from .ical import meetings_calendar
from .models import Attendance, Task


def _error_text(error):
    return " ".join(error.messages)


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def _team_project(request, page_id):
    project, perms = selectors.workspace_project(request.user, page_id)
    if project is None:
        raise Http404
    return project, perms


# --- Documents --------------------------------------------------------------------------------


@login_required
def documents(request, page_id):
    project, perms = _team_project(request, page_id)
    folders = selectors.folders_list(project)
    folder = None
    if folder_id := request.GET.get("folder"):
        folder = next((f for f in folders if str(f.pk) == folder_id), None)
    return render(
        request,
        "workspace/documents.html",
        {
            "project": project,
            "folders": folders,
            "folder": folder,
            "documents": selectors.documents_list(project, folder=folder),
            "upload_form": DocumentUploadForm(project=project, initial={"folder": folder}),
            "folder_form": FolderForm(),
        },
    )


@login_required
@require_POST
def document_upload(request, page_id):
    project, _perms = _team_project(request, page_id)
    form = DocumentUploadForm(request.POST, request.FILES, project=project)
    url = reverse("portal:project_documents", args=[project.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(url)
    try:
        document = services.document_upload(
            project=project,
            user=request.user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            folder=form.cleaned_data["folder"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(url)
    messages.success(request, _("“%(title)s” uploaded.") % {"title": document.title})
    return redirect(reverse("portal:project_document", args=[project.pk, document.pk]))


@login_required
@require_POST
def folder_create(request, page_id):
    project, _perms = _team_project(request, page_id)
    form = FolderForm(request.POST)
    url = reverse("portal:project_documents", args=[project.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(url)
    try:
        folder = services.folder_create(
            project=project, user=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(url)
    return redirect(f"{url}?folder={folder.pk}")


def _document(request, page_id, document_id):
    project, perms = _team_project(request, page_id)
    document = selectors.document_get_for_user(request.user, project, document_id)
    if document is None:
        raise Http404
    return project, perms, document


@login_required
def document(request, page_id, document_id):
    project, perms, document = _document(request, page_id, document_id)
    return render(
        request,
        "workspace/document.html",
        {
            "project": project,
            "document": document,
            "versions": selectors.document_versions(document),
            "version_form": VersionForm(),
            "can_delete": document.created_by_id == request.user.pk
            or "coordinate_project" in perms,
        },
    )


@login_required
@require_POST
def document_version(request, page_id, document_id):
    project, _perms, document = _document(request, page_id, document_id)
    form = VersionForm(request.POST, request.FILES)
    url = reverse("portal:project_document", args=[project.pk, document.pk])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(url)
    try:
        version = services.document_version_add(
            document=document, user=request.user, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(url)
    messages.success(request, _("Version %(number)s uploaded.") % {"number": version.number})
    return redirect(url)


@login_required
@require_POST
def document_delete(request, page_id, document_id):
    project, _perms, document = _document(request, page_id, document_id)
    services.document_delete(document=document, user=request.user)
    messages.success(request, _("“%(title)s” deleted.") % {"title": document.title})
    return redirect(reverse("portal:project_documents", args=[project.pk]))


@login_required
def document_file(request, page_id, document_id, version_id):
    """The file of one version, to the team only; ``?inline=1`` previews images and PDFs.

    With ``WORKSPACE_X_ACCEL_REDIRECT`` set (e.g. ``/protected-media/``, an ``internal``
    location of nginx over the media folder), the web server sends the bytes once this view
    has said yes.
    """
    _project, _perms, document = _document(request, page_id, document_id)
    version = selectors.version_get(document, version_id)
    if version is None:
        raise Http404
    inline = request.GET.get("inline") == "1" and version.previewable
    services.document_download_count(document)
    disposition = content_disposition_header(not inline, version.filename)
    prefix = getattr(settings, "WORKSPACE_X_ACCEL_REDIRECT", "")
    if prefix:
        response = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + version.file.file.name
    else:
        response = FileResponse(version.file.file.open("rb"), content_type=version.content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    # A previewed file may not run anything in the portal's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Tasks and milestones ---------------------------------------------------------------------


def _tasks_context(project, perms, *, task_form=None):
    team = selectors.team_people(project)
    return {
        "project": project,
        "team": team,
        "is_coordinator": "coordinate_project" in perms,
        "milestones": selectors.milestones_list(project),
        "task_form": task_form or TaskForm(project=project, team=team),
        "milestone_form": MilestoneForm(),
    }


@login_required
def tasks(request, page_id):
    project, perms = _team_project(request, page_id)
    context = _tasks_context(project, perms)
    filters = TaskFilterForm(request.GET or None, team=context["team"])
    assignee = status = None
    if filters.is_valid():
        assignee = filters.cleaned_data["assignee"]
        status = filters.cleaned_data["status"]
    context.update(
        filters=filters,
        tasks=selectors.tasks_list(project, assignee_id=assignee, status=status),
    )
    return render(request, "workspace/tasks.html", context)


@login_required
def task_board(request, page_id):
    project, perms = _team_project(request, page_id)
    return render(
        request,
        "workspace/task_board.html",
        {
            "project": project,
            "columns": selectors.tasks_board(project),
            "statuses": Task.Status.choices,
        },
    )


def _task_fields(form):
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "assignees": data["assignees"],
        "due_on": data["due_on"],
        "milestone": data["milestone"],
        "status": data["status"],
    }


@login_required
@require_POST
def task_create(request, page_id):
    project, perms = _team_project(request, page_id)
    form = TaskForm(request.POST, project=project, team=selectors.team_people(project))
    if form.is_valid():
        try:
            task = services.task_create(project=project, user=request.user, **_task_fields(form))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Task “%(title)s” added.") % {"title": task.title})
            return redirect(reverse("portal:project_tasks", args=[project.pk]))
    else:
        _form_errors(request, form)
    context = _tasks_context(project, perms, task_form=form)
    context.update(
        filters=TaskFilterForm(team=context["team"]), tasks=selectors.tasks_list(project)
    )
    return render(request, "workspace/tasks.html", context, status=400)


@login_required
def task(request, page_id, task_id):
    project, _perms = _team_project(request, page_id)
    task = selectors.task_get(project, task_id)
    if task is None:
        raise Http404
    team = selectors.team_people(project)
    form = TaskForm(request.POST or None, instance=task, project=project, team=team)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.task_update(task=task, user=request.user, **_task_fields(form))
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Task saved."))
                return redirect(reverse("portal:project_tasks", args=[project.pk]))
        else:
            _form_errors(request, form)
    return render(request, "workspace/task.html", {"project": project, "task": task, "form": form})


@login_required
@require_POST
def task_status(request, page_id, task_id):
    project, _perms = _team_project(request, page_id)
    task = selectors.task_get(project, task_id)
    if task is None:
        raise Http404
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        services.task_set_status(task=task, user=request.user, status=form.cleaned_data["status"])
    else:
        _form_errors(request, form)
    return redirect(reverse("portal:project_task_board", args=[project.pk]))


@login_required
@require_POST
def milestone_create(request, page_id):
    project, _perms = _team_project(request, page_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        _form_errors(request, form)
    return redirect(reverse("portal:project_tasks", args=[project.pk]))


# --- Meetings ---------------------------------------------------------------------------------


def _meetings_page(request, project, form, status=200):
    upcoming, past = selectors.meetings_list(project)
    token = selectors.feed_token(request.user)
    return render(
        request,
        "workspace/meetings.html",
        {
            "project": project,
            "upcoming": upcoming,
            "past": past,
            "form": form,
            "project_feed": reverse("portal:project_meetings_ics", args=[project.pk, token]),
            "personal_feed": reverse("portal:project_meetings_personal_ics", args=[token]),
        },
        status=status,
    )


@login_required
def meetings(request, page_id):
    project, _perms = _team_project(request, page_id)
    return _meetings_page(request, project, MeetingForm(initial={"time_zone": "Europe/Madrid"}))


@login_required
@require_POST
def meeting_create(request, page_id):
    project, _perms = _team_project(request, page_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(
                project=project, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Meeting “%(title)s” planned.") % {"title": meeting.title})
            return redirect(reverse("portal:project_meeting", args=[project.pk, meeting.pk]))
    else:
        _form_errors(request, form)
    return _meetings_page(request, project, form, status=400)


def _meeting(request, page_id, meeting_id):
    project, _perms = _team_project(request, page_id)
    meeting = selectors.meeting_get(project, meeting_id)
    if meeting is None:
        raise Http404
    return project, meeting


@login_required
def meeting(request, page_id, meeting_id):
    project, meeting = _meeting(request, page_id, meeting_id)
    attendances = list(meeting.attendances.all())
    mine = next((a.answer for a in attendances if a.user_id == request.user.pk), None)
    return render(
        request,
        "workspace/meeting.html",
        {
            "project": project,
            "meeting": meeting,
            "attendances": attendances,
            "my_answer": mine,
            "answers": Attendance.Answer.choices,
            "minutes_form": MinutesForm(
                documents=selectors.project_documents_for_choice(project),
                initial={
                    "minutes": meeting.minutes,
                    "minutes_document": meeting.minutes_document_id,
                },
            ),
        },
    )


@login_required
@require_POST
def meeting_attendance(request, page_id, meeting_id):
    project, meeting = _meeting(request, page_id, meeting_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        services.attendance_answer(
            meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
        )
    else:
        _form_errors(request, form)
    return redirect(reverse("portal:project_meeting", args=[project.pk, meeting.pk]))


@login_required
@require_POST
def meeting_minutes(request, page_id, meeting_id):
    project, meeting = _meeting(request, page_id, meeting_id)
    form = MinutesForm(request.POST, documents=selectors.project_documents_for_choice(project))
    if form.is_valid():
        services.meeting_minutes_set(meeting=meeting, user=request.user, **form.cleaned_data)
        messages.success(request, _("Minutes saved."))
    else:
        _form_errors(request, form)
    return redirect(reverse("portal:project_meeting", args=[project.pk, meeting.pk]))


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def meetings_ics(request, page_id, feed):
    """One project's meetings for a calendar app: the signed URL stands for the person, and
    only while they are on the team (else 404)."""
    user = selectors.feed_user(feed)
    project, _perms = selectors.workspace_project(user, page_id) if user else (None, None)
    if project is None:
        raise Http404
    body = meetings_calendar(request, project.title, selectors.meetings_for_feed(user, project))
    return _calendar_response(body, f"project-{project.pk}.ics")


def meetings_personal_ics(request, feed):
    """Every meeting of every team the person is on, for a calendar app."""
    user = selectors.feed_user(feed)
    if user is None:
        raise Http404
    body = meetings_calendar(request, _("My project meetings"), selectors.meetings_for_feed(user))
    return _calendar_response(body, "meetings.ics")


# --- Public updates ---------------------------------------------------------------------------


def _coordinated_project(request, page_id):
    project, perms = _team_project(request, page_id)
    if "coordinate_project" not in perms:
        raise PermissionDenied
    return project


def _updates_page(request, project, form, status=200):
    return render(
        request,
        "workspace/updates.html",
        {"project": project, "updates": selectors.updates_of_project(project), "form": form},
        status=status,
    )


@login_required
def updates(request, page_id):
    """The team sees its project's news; only the coordinators get the form to post."""
    project, perms = _team_project(request, page_id)
    form = None
    if "coordinate_project" in perms:
        languages = selectors.project_languages(project)
        codes = [code for code, _name in languages]
        initial = request.LANGUAGE_CODE if request.LANGUAGE_CODE in codes else codes[0]
        form = UpdateForm(languages=languages, initial={"language": initial})
    return _updates_page(request, project, form)


@login_required
@require_POST
def update_create(request, page_id):
    project = _coordinated_project(request, page_id)
    form = UpdateForm(request.POST, request.FILES, languages=selectors.project_languages(project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_publish(
                project=project,
                user=request.user,
                title=data["title"],
                body=data["body"],
                language=data["language"],
                image_file=data["image"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Update published on the project's page."))
            return redirect(reverse("portal:project_updates", args=[project.pk]))
    else:
        _form_errors(request, form)
    return _updates_page(request, project, form, status=400)


@login_required
@require_POST
def update_delete(request, page_id, update_id):
    project = _coordinated_project(request, page_id)
    update = selectors.update_get(project, update_id)
    if update is None:
        raise Http404
    services.update_delete(update=update, user=request.user)
    messages.success(request, _("Update deleted."))
    return redirect(reverse("portal:project_updates", args=[project.pk]))
