"""Portal views for organizations and the invitation link (the directory: ``directory.py``).

Each view parses input, asks a selector who may do what, calls one service and renders. Who
sees what: drafts answer 404 to whoever may not see them (their existence is private), other
refusals 403 to a signed-in person and the sign-in page to an anonymous one.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import confirm_page
from core.person_cards import with_card_urls
from core.ratelimit import client_ip, ratelimit, ratelimit_many

from . import selectors, services
from .forms import InvitationForm, OrganizationForm, RoleForm
from .models import Membership, PartnerPage


def _organization_for(request, page_id):
    """The organization, or 404 when it is missing or a draft this person may not see."""
    organization = get_object_or_404(PartnerPage, pk=page_id)
    access = selectors.organization_access(request.user, organization)
    if not access.view:
        raise Http404
    return organization, access


def _form_errors(form, error):
    """Put a service's ValidationError on the form, field by field where it says which."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Apply and manage ----------------------------------------------------------------------


def _refused(response, retry_after):
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


@login_required
def organization_apply(request):
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        retry_after = ratelimit_many(
            [
                ("organization_apply_per_person", f"user:{request.user.pk}"),
                ("organization_apply_per_address", f"ip:{client_ip(request)}"),
            ]
        )
        if retry_after:
            form.add_error(
                None,
                _(
                    "You have applied to register organizations too many times in a short "
                    "while. Nothing was registered; please wait and try again later."
                ),
            )
            response = render(request, "partners/organization_apply.html", {"form": form})
            return _refused(response, retry_after)
        try:
            organization = services.organization_apply(user=request.user, **form.service_kwargs())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: %(organization)s is registered and awaits review by the "
                    "cluster's editors. You can keep editing it meanwhile."
                )
                % {"organization": organization.title},
            )
            return redirect("portal:organization_manage", organization.pk)
    return render(request, "partners/organization_apply.html", {"form": form})


def _manage_page(request, organization, access, *, profile_form=None, invite_form=None):
    latest = organization.get_latest_revision_as_object() if access.edit else organization
    state = selectors.organization_review_states([organization])[organization.pk]
    memberships = with_card_urls(selectors.organization_members(organization))
    context = {
        "organization": organization,
        "access": access,
        "review_state": state,
        "review_comment": (
            selectors.organization_review_comment(organization)
            if state == selectors.CHANGES_REQUESTED
            else ""
        ),
        "profile_form": (
            (profile_form or OrganizationForm(organization=latest)) if access.edit else None
        ),
        "invite_form": (invite_form or InvitationForm()) if access.manage_members else None,
        "memberships": memberships,
        "my_membership": next((m for m in memberships if m.user_id == request.user.pk), None),
        "invitations": (
            selectors.organization_invitations_pending(organization)
            if access.manage_members
            else []
        ),
        "roles": Membership.Role.choices,
        "admin_count": sum(m.role == Membership.Role.ADMIN for m in memberships),
    }
    return render(request, "partners/organization_manage.html", context)


@login_required
def organization_manage(request, page_id):
    """Members see who is in; admins also edit the profile and manage people; editors edit."""
    organization, access = _organization_for(request, page_id)
    if not (access.member or access.edit):
        raise PermissionDenied
    if request.method != "POST":
        return _manage_page(request, organization, access)
    if not access.edit:
        raise PermissionDenied
    latest = organization.get_latest_revision_as_object()
    form = OrganizationForm(request.POST, request.FILES, organization=latest)
    if form.is_valid():
        try:
            organization = services.organization_update(
                organization=organization, user=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if organization.live:
                message = _("The profile is saved and published.")
            else:
                message = _("The profile is saved; the editors will review this version.")
            messages.success(request, message)
            return redirect("portal:organization_manage", organization.pk)
    return _manage_page(request, organization, access, profile_form=form)


@login_required
def organization_preview(request, page_id):
    """The latest version of the profile as the public will see it (drafts included)."""
    organization, access = _organization_for(request, page_id)
    if not access.see_drafts:
        raise Http404
    page = organization.get_latest_revision_as_object()
    context = page.get_context(request)
    context["is_preview"] = True
    return TemplateResponse(request, page.get_template(request), context)


@login_required
@require_POST
def organization_invite(request, page_id):
    organization, access = _organization_for(request, page_id)
    if not access.manage_members:
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        retry_after = ratelimit_many(
            [
                ("invitation_per_person", f"user:{request.user.pk}"),
                ("invitation_per_organization", f"organization:{organization.pk}"),
                ("invitation_per_recipient", f"email:{form.cleaned_data['email'].lower()}"),
            ]
        )
        if retry_after:
            form.add_error(
                None,
                _(
                    "Too many invitations in a short while (from you, from this organization "
                    "or to this address). No invitation was sent; please try again later."
                ),
            )
            response = _manage_page(request, organization, access, invite_form=form)
            return _refused(response, retry_after)
        try:
            invitation = services.invitation_create(
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link works once, for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("portal:organization_manage", organization.pk)
    return _manage_page(request, organization, access, invite_form=form)


def _manage_url(organization):
    return reverse("portal:organization_manage", args=[organization.pk])


@login_required
@require_http_methods(["GET", "POST"])
def organization_invitation_revoke(request, page_id, invitation_id):
    """GET: the confirmation page; POST: an admin withdraws the invitation."""
    organization, access = _organization_for(request, page_id)
    if not access.manage_members:
        raise PermissionDenied
    invitation = get_object_or_404(organization.invitations, pk=invitation_id)
    if request.method == "GET":
        names = {"email": invitation.email, "organization": organization.title}
        return confirm_page(
            request,
            title=_("Withdraw the invitation to %(email)s?") % names,
            question=_("The link sent to %(email)s will no longer let them join %(organization)s.")
            % names,
            consequence=_("You can invite the same address again later."),
            action_label=_("Withdraw the invitation"),
            cancel_url=_manage_url(organization),
        )
    try:
        services.invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
    return redirect("portal:organization_manage", organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organization_member_role(request, page_id, membership_id):
    """GET (the chosen role in the query): the confirmation page; POST: the role changes."""
    organization, access = _organization_for(request, page_id)
    if not access.manage_members:
        raise PermissionDenied
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_id
    )
    form = RoleForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a role: admin or member."))
        return redirect("portal:organization_manage", organization.pk)
    if request.method == "GET":
        role = form.cleaned_data["role"]
        names = {
            "person": membership.user.get_full_name() or membership.user.username,
            "organization": organization.title,
            "role": Membership.Role(role).label.lower(),
        }
        if role == membership.role:
            messages.info(request, _("%(person)s is already %(role)s.") % names)
            return redirect("portal:organization_manage", organization.pk)
        if role == Membership.Role.ADMIN:
            question = _(
                "%(person)s will manage %(organization)s: its members, invitations, details "
                "and projects."
            )
        else:
            question = _(
                "%(person)s will stay in %(organization)s but no longer manage its members, "
                "invitations, details or projects."
            )
        return confirm_page(
            request,
            title=_("Make %(person)s %(role)s of %(organization)s?") % names,
            question=question % names,
            action_label=_("Make %(person)s %(role)s") % names,
            cancel_url=_manage_url(organization),
            fields={"role": role},
        )
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {
                "person": membership.user.get_full_name() or membership.user.username,
                "role": membership.get_role_display().lower(),
            },
        )
    return redirect("portal:organization_manage", organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organization_member_remove(request, page_id, membership_id):
    """GET: the confirmation page; POST: an admin removes the person."""
    organization, access = _organization_for(request, page_id)
    if not access.manage_members:
        raise PermissionDenied
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_id
    )
    person = membership.user
    if request.method == "GET":
        names = {
            "person": person.get_full_name() or person.username,
            "organization": organization.title,
        }
        return confirm_page(
            request,
            title=_("Remove %(person)s from %(organization)s?") % names,
            question=_("%(person)s will no longer be a member of %(organization)s.") % names,
            consequence=_(
                "They leave every project team they are on for %(organization)s and lose those "
                "workspaces and chats at once. You can invite them again later."
            )
            % names,
            action_label=_("Remove %(person)s") % names,
            cancel_url=_manage_url(organization),
        )
    try:
        services.membership_remove(membership=membership, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:organization_manage", organization.pk)
    messages.success(
        request,
        _("%(person)s is no longer in %(organization)s.")
        % {"person": person.get_full_name() or person.username, "organization": organization},
    )
    if person == request.user:
        return redirect("portal:dashboard")
    return redirect("portal:organization_manage", organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organization_leave(request, page_id):
    """GET: the confirmation page; POST: the person leaves the organization."""
    organization, access = _organization_for(request, page_id)
    if not access.member:
        raise PermissionDenied
    if request.method == "GET":
        names = {"organization": organization.title}
        return confirm_page(
            request,
            title=_("Leave %(organization)s?") % names,
            question=_("You will no longer be a member of %(organization)s.") % names,
            consequence=_(
                "You leave every project team you are on for %(organization)s and lose those "
                "workspaces and chats at once. To come back, an admin has to invite you again."
            )
            % names,
            action_label=_("Leave %(organization)s") % names,
            cancel_url=_manage_url(organization),
        )
    try:
        services.membership_leave(organization=organization, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:organization_manage", organization.pk)
    messages.success(
        request, _("You left %(organization)s.") % {"organization": organization.title}
    )
    return redirect("portal:dashboard")


@login_required
def organization_activity(request, page_id):
    """The audit trail of one organization, for its admins (editors read it in the admin)."""
    organization, access = _organization_for(request, page_id)
    if not access.manage_members:
        raise PermissionDenied
    paginator = Paginator(
        selectors.organization_activity(organization), selectors.ACTIVITY_PAGE_SIZE
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "partners/organization_activity.html",
        {"organization": organization, "page_obj": page_obj, "entries": list(page_obj)},
    )


# --- The invitation link -------------------------------------------------------------------


@ratelimit(
    "invitation_accept",
    message=gettext_lazy(
        "Too many attempts to accept an invitation from your connection. Please wait a "
        "while, then open the link in your e-mail again."
    ),
)
def organization_invitation_accept(request, token):
    """The link in the invitation e-mail: anyone may open it; joining needs the invited account.

    Opening a valid link vouches for the invited address in this browser session, so signing up
    with that address needs no second confirmation e-mail (allauth's stashed verified e-mail).
    """
    context = {"token": token}
    try:
        invitation = selectors.invitation_read(token)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "partners/invitation_accept.html", context, status=400)
    context["invitation"] = invitation
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Someone who has not chosen a language here yet reads on in the invitation's.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
        response = _invitation_accept(request, token, invitation, context)
        _remember_language(response, invitation.language)
        return response
    return _invitation_accept(request, token, invitation, context)


@ratelimit(
    "invitation_accept",
    message=gettext_lazy(
        "Too many attempts with invitation links from your connection. Please wait a while, "
        "then open the link in your e-mail again."
    ),
)
@require_http_methods(["GET", "POST"])
def organization_invitation_decline(request, token):
    """GET: the confirmation page; POST: the invited person declines (see the service)."""
    context = {"token": token}
    try:
        invitation = selectors.invitation_read(token)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "partners/invitation_accept.html", context, status=400)
    context["invitation"] = invitation
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
        response = _invitation_decline(request, token, invitation, context)
        _remember_language(response, invitation.language)
        return response
    return _invitation_decline(request, token, invitation, context)


def _invitation_decline(request, token, invitation, context):
    organization = invitation.organization
    if request.method == "POST":
        try:
            services.invitation_decline(token=token, user=request.user)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "partners/invitation_accept.html", context, status=400)
        names = {"organization": organization.title}
        if invitation.invited_by_id and invitation.invited_by.is_active:
            inviter = invitation.invited_by
            names["person"] = inviter.get_full_name() or inviter.username
            text = _(
                "You declined the invitation to join %(organization)s. %(person)s, who invited "
                "you, is told."
            )
        else:
            text = _("You declined the invitation to join %(organization)s.")
        messages.success(request, text % names)
        return redirect("portal:dashboard" if request.user.is_authenticated else "/")
    if request.user.is_authenticated and not selectors.user_has_email(
        request.user, invitation.email
    ):
        context["error"] = _(
            "This invitation was sent to %(invited)s, but you are signed in as %(you)s. "
            "Sign in with the account of the invited address."
        ) % {"invited": invitation.email, "you": request.user.email or request.user.username}
        return render(request, "partners/invitation_accept.html", context, status=400)
    inviter = invitation.invited_by if invitation.invited_by_id else None
    if inviter is not None and not inviter.is_active:
        inviter = None
    names = {
        "organization": organization.title,
        "person": (inviter.get_full_name() or inviter.username) if inviter else "",
    }
    return confirm_page(
        request,
        title=_("Decline the invitation to join %(organization)s?") % names,
        question=(
            _("You will not join %(organization)s, and %(person)s, who invited you, is told.")
            if inviter
            else _("You will not join %(organization)s.")
        )
        % names,
        consequence=_(
            "The link stops working. If you change your mind, ask for a new invitation."
        ),
        action_label=_("Decline the invitation"),
        cancel_url=selectors.invitation_url(invitation),
    )


def _remember_language(response, language):
    """What Django's set_language view stores: the visitor's language, for the next pages."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _invitation_accept(request, token, invitation, context):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        from allauth.account.adapter import get_adapter

        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "partners/invitation_accept.html", context)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "partners/invitation_accept.html", context, status=400)
        messages.success(
            request,
            _("Welcome to %(organization)s.") % {"organization": membership.organization.title},
        )
        return redirect("portal:organization_manage", membership.organization_id)
    # Say at once what would go wrong, rather than after a click.
    if not selectors.user_has_email(request.user, invitation.email):
        context["error"] = _(
            "This invitation was sent to %(invited)s, but you are signed in as %(you)s. "
            "Sign in with the account of the invited address."
        ) % {"invited": invitation.email, "you": request.user.email or request.user.username}
    elif invitation.organization.memberships.filter(user=request.user).exists():
        context["error"] = _("You are already a member of %(organization)s.") % {
            "organization": invitation.organization.title
        }
    return render(
        request,
        "partners/invitation_accept.html",
        context,
        status=400 if "error" in context else 200,
    )
