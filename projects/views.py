"""Portal views for projects: propose, the workspace, partnerships and the team.

Each view parses input, checks who is asking, calls one service or selector and renders or
redirects. Outcomes follow the permission matrix: anonymous → sign-in; a workspace or a draft
the person may not see → 404; an action they may not take → 403; bad input → a message and
nothing changed.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks

from core.confirm import confirm_page
from core.ratelimit import ratelimit_many

from . import selectors, services
from .forms import (
    InviteForm,
    JoinRequestForm,
    ProjectEditForm,
    ProjectProposeForm,
    ProjectTextsForm,
    TeamAddForm,
)
from .models import Participation, ProjectPage, TeamMembership


def _error_text(error):
    return " ".join(error.messages)


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _visible_project(request, page_id):
    """The project, or 404 if it does not exist or its existence is private to this person."""
    project = get_object_or_404(
        ProjectPage.objects.select_related("lead_organization", "region"), pk=page_id
    )
    if not selectors.can_view_project(request.user, project):
        raise Http404
    return project


def _workspace_url(project):
    return reverse("portal:project_workspace", args=[project.pk])


def _add_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def project_new(request):
    """Propose a project; it becomes a draft submitted to the "Cluster review" workflow."""
    organizations = selectors.organizations_for_proposal(request.user)
    if not organizations.exists():
        return render(request, "projects/project_propose.html", {"denied": True}, status=403)
    form = ProjectProposeForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_propose(user=request.user, **form.service_kwargs())
        except PermissionDenied as error:
            form.add_error("lead_organization", str(error))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your project was sent to the editors for review."))
            if selectors.can_enter_workspace(request.user, project):
                return redirect(_workspace_url(project))
            return redirect(project.get_url(request))
    return render(request, "projects/project_propose.html", {"form": form})


@login_required
def project_workspace(request, page_id):
    """The team's place: team, partners, pending answers, needs, matchmaking, app panels."""
    project = get_object_or_404(
        ProjectPage.objects.select_related("lead_organization", "region"), pk=page_id
    )
    perms = selectors.project_perms(request.user, project)
    if "enter_workspace" not in perms:
        raise Http404
    context = selectors.project_workspace(request.user, project, perms)
    if context["is_coordinator"]:
        context["invite_form"] = InviteForm(
            organizations=selectors.invitable_organizations(),
            shown=context["invite_candidates"],
        )
        context["team_form"] = TeamAddForm(candidates=context["team_candidates"])
    # Chat, impact and later apps add their panels here without projects importing them.
    panels = [fn(request, project) for fn in hooks.get_hooks("project_workspace_panels")]
    context["panels"] = [html for html in panels if html]
    return render(request, "projects/project_workspace.html", context)


@login_required
@require_POST
def project_invite(request, page_id):
    project = _visible_project(request, page_id)
    if not selectors.can_coordinate(request.user, project):
        raise PermissionDenied
    form = InviteForm(request.POST, organizations=selectors.invitable_organizations())
    if form.is_valid() and ratelimit_many(
        [
            ("project_invite_per_person", f"user:{request.user.pk}"),
            ("project_invite_per_project", f"project:{project.pk}"),
            (
                "project_invite_per_organization",
                f"organization:{form.cleaned_data['organization'].pk}",
            ),
        ]
    ):
        messages.error(
            request,
            _(
                "Too many invitations in a short while (from you, for this project or to this "
                "organization). No invitation was sent; please try again later."
            ),
        )
    elif form.is_valid():
        try:
            services.participation_invite(
                project=project,
                organization=form.cleaned_data["organization"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(organization)s was invited.")
                % {"organization": form.cleaned_data["organization"].title},
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(_next_url(request, _workspace_url(project)))


@login_required
@require_POST
def project_request(request, page_id):
    """An organization admin asks to join from the public project page."""
    project = _visible_project(request, page_id)
    organizations = selectors.organizations_for_join_request(request.user)
    if not organizations.exists():
        raise PermissionDenied
    back = _next_url(request, project.get_url(request) or "/")
    form = JoinRequestForm(request.POST, organizations=organizations)
    if form.is_valid():
        try:
            services.participation_request(
                project=project,
                organization=form.cleaned_data["organization"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your request was sent to the project's coordinators."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(back)


def _participation(request, pk):
    participation = get_object_or_404(
        Participation.objects.select_related("project", "organization"), pk=pk
    )
    if not selectors.can_view_project(request.user, participation.project):
        raise Http404
    return participation


def _participation_action(
    request, pk, service, allowed, done, confirm=None, confirm_statuses=None
):
    participation = _participation(request, pk)
    if not allowed(request.user, participation):
        raise PermissionDenied
    default = (
        _workspace_url(participation.project)
        if selectors.can_enter_workspace(request.user, participation.project)
        else reverse("portal:dashboard")
    )
    if request.method == "GET":
        statuses = confirm_statuses or (Participation.Status.ACTIVE,)
        if confirm is None or participation.status not in statuses:
            raise Http404
        return confirm(participation, _next_url(request, default))
    try:
        service(participation=participation, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            done
            % {
                "organization": participation.organization.title,
                "project": participation.project.title,
            },
        )
    return redirect(_next_url(request, default))


@login_required
@require_POST
def participation_accept(request, pk):
    return _participation_action(
        request,
        pk,
        services.participation_accept,
        selectors.can_answer_participation,
        _("%(organization)s is now a partner of “%(project)s”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participation_decline(request, pk):
    """GET: the confirmation page; POST: the invitation or the request is declined."""
    return _participation_action(
        request,
        pk,
        services.participation_decline,
        selectors.can_answer_participation,
        _("Declined: %(organization)s and “%(project)s”."),
        confirm=_confirm_decline(request),
        confirm_statuses=(Participation.Status.INVITED, Participation.Status.REQUESTED),
    )


def _confirm_decline(request):
    def confirm(participation, back):
        names = _names(participation)
        if participation.status == Participation.Status.INVITED:
            title = _("Decline the invitation to “%(project)s”?") % names
            question = (
                _("%(organization)s will not join “%(project)s”: the invitation is closed.")
                % names
            )
        else:
            title = _("Decline the request of %(organization)s?") % names
            question = (
                _("%(organization)s will not join “%(project)s”: its request is closed.") % names
            )
        return confirm_page(
            request,
            title=title,
            question=question,
            consequence=_("To work together later, an invitation or a request is sent again."),
            action_label=_("Decline"),
            cancel_url=back,
            fields={"next": back},
        )

    return confirm


def _names(participation):
    return {
        "organization": participation.organization.title,
        "project": participation.project.title,
    }


def _confirm_leave(request):
    def confirm(participation, back):
        names = _names(participation)
        return confirm_page(
            request,
            title=_("Take %(organization)s out of “%(project)s”?") % names,
            question=_(
                "%(organization)s will no longer be a partner of “%(project)s”, and its people "
                "leave the project's team."
            )
            % names,
            consequence=_(
                "They lose the workspace and the chat at once. To come back, the organization "
                "has to be invited or ask to join again."
            ),
            action_label=_("Leave the project"),
            cancel_url=back,
            fields={"next": back},
        )

    return confirm


def _confirm_remove_partner(request):
    def confirm(participation, back):
        names = _names(participation)
        return confirm_page(
            request,
            title=_("Remove %(organization)s from “%(project)s”?") % names,
            question=_(
                "%(organization)s will no longer be a partner of “%(project)s”, and its people "
                "leave the project's team."
            )
            % names,
            consequence=_(
                "They lose the workspace and the chat at once; the organization's admins are "
                "told. You can invite it again later."
            ),
            action_label=_("Remove %(organization)s") % names,
            cancel_url=back,
            fields={"next": back},
        )

    return confirm


@login_required
@require_http_methods(["GET", "POST"])
def participation_leave(request, pk):
    """GET: the confirmation page; POST: the organization leaves the project."""
    return _participation_action(
        request,
        pk,
        services.participation_leave,
        lambda user, p: selectors.administers(user, p.organization_id),
        _("You took %(organization)s out of “%(project)s”."),
        confirm=_confirm_leave(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participation_remove(request, pk):
    """GET: the confirmation page; POST: a coordinator removes the partner."""
    return _participation_action(
        request,
        pk,
        services.participation_remove,
        lambda user, p: selectors.can_coordinate(user, p.project),
        _("You removed %(organization)s from “%(project)s”."),
        confirm=_confirm_remove_partner(request),
    )


def _coordinated_project(request, page_id):
    project = _visible_project(request, page_id)
    if not selectors.can_coordinate(request.user, project):
        raise PermissionDenied
    return project


@login_required
@require_POST
def team_add(request, page_id):
    project = _coordinated_project(request, page_id)
    form = TeamAddForm(request.POST)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            services.team_member_add(
                project=project,
                user=membership.user,
                organization=membership.organization,
                is_coordinator=form.cleaned_data["is_coordinator"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s joined the team.")
                % {"person": membership.user.get_full_name() or membership.user.username},
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(_workspace_url(project))


def _team_row(project, user_id):
    return get_object_or_404(
        TeamMembership.objects.select_related("user"), project=project, user_id=user_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_remove(request, page_id, user_id):
    """GET: the confirmation page; POST: a coordinator takes the person off the team."""
    project = _coordinated_project(request, page_id)
    if request.method == "GET":
        row = _team_row(project, user_id)
        names = {
            "person": row.user.get_full_name() or row.user.username,
            "project": project.title,
        }
        return confirm_page(
            request,
            title=_("Remove %(person)s from the team?") % names,
            question=_("%(person)s will no longer be on the team of “%(project)s”.") % names,
            consequence=_(
                "They lose the workspace and the chat at once. You can add them again later."
            ),
            action_label=_("Remove %(person)s") % names,
            cancel_url=_workspace_url(project),
        )
    person = get_object_or_404(get_user_model(), pk=user_id)
    try:
        services.team_member_remove(project=project, user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("You took %(person)s off the team.")
            % {"person": person.get_full_name() or person.username},
        )
    return redirect(_workspace_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def team_coordinator(request, page_id, user_id):
    """GET: the confirmation page; POST: a coordinator names or steps back a coordinator."""
    project = _coordinated_project(request, page_id)
    if request.method == "GET":
        row = _team_row(project, user_id)
        names = {"person": row.user.get_full_name() or row.user.username}
        if row.is_coordinator:
            title = _("Make %(person)s a plain member?") % names
            question = (
                _(
                    "%(person)s will stay on the team but will no longer manage its partners, "
                    "team and chat."
                )
                % names
            )
            label = _("Make %(person)s a plain member") % names
        else:
            title = _("Make %(person)s a coordinator?") % names
            question = (
                _(
                    "%(person)s will manage the project's partners, team and chat, like you, and "
                    "could step you back."
                )
                % names
            )
            label = _("Make %(person)s a coordinator") % names
        return confirm_page(
            request,
            title=title,
            question=question,
            action_label=label,
            cancel_url=_workspace_url(project),
            fields={"is_coordinator": "0" if row.is_coordinator else "1"},
        )
    person = get_object_or_404(get_user_model(), pk=user_id)
    is_coordinator = request.POST.get("is_coordinator") == "1"
    try:
        services.team_set_coordinator(
            project=project, user=person, is_coordinator=is_coordinator, by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        name = person.get_full_name() or person.username
        messages.success(
            request,
            (
                _("%(person)s is now a coordinator.")
                if is_coordinator
                else _("%(person)s is no longer a coordinator.")
            )
            % {"person": name},
        )
    return redirect(_workspace_url(project))


@login_required
def project_texts(request, page_id):
    """The coordinators write the project's public texts in other languages."""
    project = _coordinated_project(request, page_id)
    latest = project.get_latest_revision_as_object()
    form = ProjectTextsForm(request.POST or None, project=latest)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_texts_update(
                project=project, user=request.user, **form.translation_kwargs()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if project.live:
                messages.success(request, _("The texts are saved and published."))
            else:
                messages.success(request, _("The texts are saved; the editors will review them."))
            return redirect(_workspace_url(project))
    return render(request, "projects/project_texts.html", {"project": latest, "form": form})


@login_required
def project_edit(request, page_id):
    """The coordinators keep the project's details up to date (a new revision of the page)."""
    project = _coordinated_project(request, page_id)
    latest = project.get_latest_revision_as_object()
    form = ProjectEditForm(request.POST or None, project=latest)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_details_update(
                project=project, user=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if project.live:
                messages.success(request, _("The project's details are saved and published."))
            else:
                messages.success(
                    request, _("The project's details are saved; the editors will review them.")
                )
            return redirect(_workspace_url(project))
    return render(request, "projects/project_edit.html", {"project": latest, "form": form})
