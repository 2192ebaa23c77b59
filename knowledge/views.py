"""Community pages at /communities/: the directory, a community, its questions, proposals,
reviews and sessions.

Each view parses input, reads the person's access to the community once, calls one service or
selector and renders or redirects. Outcomes follow the permission matrix: anonymous → sign-in
for anything but reading; members-only content someone may not read → 404 (its existence is
private); an action they may not take → 403; bad input → a message and nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import confirm_page
from projects.models import ProjectPage

from . import ical, selectors, services
from .forms import (
    AnswerForm,
    CommentForm,
    CommunityEditForm,
    ItemProposeForm,
    JoinForm,
    QuestionForm,
    RecordingForm,
    ReviewForm,
    RoleForm,
    SessionForm,
    TranslateForm,
    VoteForm,
)
from .models import Answer, CommunityMembership, KnowledgeItemPage


def _community(slug):
    community = selectors.community_get(slug)
    if community is None:
        raise Http404
    return community


def _community_url(community):
    return reverse("knowledge:community", args=[community.slug])


def _error_text(error):
    return " ".join(error.messages)


def _add_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def community_index(request):
    page = selectors.community_directory(request.GET.get("page"))
    return render(request, "knowledge/community_index.html", {"communities": page})


def community(request, slug):
    community = _community(slug)
    access = selectors.community_access(request.user, community)
    context = selectors.community_page(
        request.user, community, access, member_page=request.GET.get("page")
    )
    if request.user.is_authenticated and context["membership"] is None:
        context["join_form"] = JoinForm(user=request.user)
    context["role_form"] = RoleForm()
    return render(request, "knowledge/community.html", context)


@login_required
@require_POST
def community_join(request, slug):
    community = _community(slug)
    form = JoinForm(request.POST, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_community_url(community))
    try:
        membership = services.membership_join(
            community=community, user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if membership.status == CommunityMembership.Status.ACTIVE:
            messages.success(request, _("Welcome to the community."))
        else:
            messages.success(request, _("Your request was sent to the facilitators."))
    return redirect(_community_url(community))


@login_required
@require_POST
def community_leave(request, slug):
    community = _community(slug)
    try:
        services.membership_leave(community=community, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You left the community."))
    return redirect(_community_url(community))


@login_required
@require_POST
def community_follow(request, slug):
    community = _community(slug)
    follow = request.POST.get("follow") == "1"
    services.follow_set(community=community, user=request.user, follow=follow)
    if follow:
        messages.success(request, _("You will hear of the community's news."))
    else:
        messages.success(request, _("You no longer follow the community."))
    return redirect(_community_url(community))


@login_required
def community_edit(request, slug):
    """A facilitator changes the charter, joining mode, default visibility, sectors and SDGs."""
    community = _community(slug)
    if not selectors.community_access(request.user, community).can_facilitate:
        raise PermissionDenied
    # Bound to a copy: a refused form must not show unsaved values as the community's own.
    form = CommunityEditForm(request.POST or None, instance=selectors.community_get(slug))
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The community was updated."))
            return redirect(_community_url(community))
    return render(
        request,
        "knowledge/community_form.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )


def _membership(community, membership_id):
    return get_object_or_404(
        CommunityMembership.objects.select_related("user", "community"),
        pk=membership_id,
        community=community,
    )


@login_required
@require_POST
def membership_answer(request, slug, member_id):
    """A facilitator accepts (``accept=1``) or declines a request to join."""
    community = _community(slug)
    membership = _membership(community, member_id)
    if not selectors.community_access(request.user, community).can_facilitate:
        raise PermissionDenied
    try:
        if request.POST.get("accept") == "1":
            services.membership_approve(membership=membership, by=request.user)
            messages.success(request, _("The request was accepted."))
        else:
            services.membership_decline(membership=membership, by=request.user)
            messages.success(request, _("The request was declined."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(_community_url(community))


@login_required
@require_http_methods(["GET", "POST"])
def membership_role(request, slug, member_id):
    """GET (the chosen role in the query): the confirmation page; POST: the role changes."""
    community = _community(slug)
    membership = _membership(community, member_id)
    if not selectors.community_access(request.user, community).can_facilitate:
        raise PermissionDenied
    form = RoleForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a role: facilitator or member."))
        return redirect(_community_url(community))
    role = form.cleaned_data["role"]
    names = {
        "person": membership.user.get_full_name() or membership.user.username,
        "community": community.name,
        "role": CommunityMembership.Role(role).label.lower(),
    }
    if request.method == "GET":
        if role == membership.role:
            messages.info(request, _("%(person)s is already %(role)s.") % names)
            return redirect(_community_url(community))
        if role == CommunityMembership.Role.FACILITATOR:
            question = _(
                "%(person)s will accept requests to join %(community)s, review proposals, "
                "schedule sessions, edit the community and name roles."
            )
        else:
            question = _(
                "%(person)s will stay in %(community)s but no longer accept requests, review "
                "proposals, schedule sessions or name roles."
            )
        return confirm_page(
            request,
            title=_("Make %(person)s %(role)s of %(community)s?") % names,
            question=question % names,
            action_label=_("Make %(person)s %(role)s") % names,
            cancel_url=_community_url(community) + "#members-heading",
            fields={"role": role},
        )
    try:
        services.membership_role_set(membership=membership, role=role, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(person)s is now %(role)s.") % names)
    return redirect(_community_url(community))


# --- Questions ------------------------------------------------------------------------------


def question_list(request, slug):
    community = _community(slug)
    access = selectors.community_access(request.user, community)
    page = selectors.question_list(community, access, request.GET.get("page"))
    return render(
        request,
        "knowledge/question_list.html",
        {"community": community, "access": access, "questions": page},
    )


@login_required
def question_new(request, slug):
    community = _community(slug)
    access = selectors.community_access(request.user, community)
    if not access.can_take_part:
        raise PermissionDenied
    form = QuestionForm(
        request.POST or None, initial={"members_only": community.members_only_default}
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                community=community, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your question was posted."))
            return redirect("knowledge:question", community.slug, question.pk)
    return render(request, "knowledge/question_form.html", {"community": community, "form": form})


def _visible_question(request, community, question_id):
    access = selectors.community_access(request.user, community)
    question = selectors.question_get(community, question_id)
    if question is None or not selectors.can_view_question(access, question):
        raise Http404
    return question, access


def question(request, slug, question_id):
    community = _community(slug)
    question, access = _visible_question(request, community, question_id)
    return render(
        request,
        "knowledge/question.html",
        {
            "community": community,
            "question": question,
            "answers": selectors.question_answers(question),
            "access": access,
            "can_accept": selectors.can_accept(request.user, access, question),
            "answer_form": AnswerForm() if access.can_take_part else None,
        },
    )


@login_required
@require_POST
def answer_new(request, slug, question_id):
    community = _community(slug)
    question, access = _visible_question(request, community, question_id)
    if not access.can_take_part:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_post(question=question, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer was posted."))
            return redirect("knowledge:question", community.slug, question.pk)
    return render(
        request,
        "knowledge/question.html",
        {
            "community": community,
            "question": question,
            "answers": selectors.question_answers(question),
            "access": access,
            "can_accept": selectors.can_accept(request.user, access, question),
            "answer_form": form,
        },
        status=400,
    )


def _answer(request, community, answer_id):
    answer = get_object_or_404(
        Answer.objects.select_related("question__community", "question__author"),
        pk=answer_id,
        question__community=community,
    )
    _visible_question(request, community, answer.question_id)
    return answer


@login_required
@require_POST
def answer_accept(request, slug, answer_id):
    community = _community(slug)
    answer = _answer(request, community, answer_id)
    services.answer_accept(answer=answer, user=request.user)
    messages.success(request, _("The answer is marked as accepted."))
    return redirect("knowledge:question", community.slug, answer.question_id)


@login_required
@require_POST
def answer_comment(request, slug, answer_id):
    """A member comments on an answer; a refused comment is reported and nothing stored."""
    community = _community(slug)
    answer = _answer(request, community, answer_id)
    if not selectors.community_access(request.user, community).can_take_part:
        raise PermissionDenied
    form = CommentForm(request.POST)
    target = reverse("knowledge:question", args=[community.slug, answer.question_id])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(f"{target}#answer-{answer.pk}")
    try:
        services.comment_post(answer=answer, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your comment was posted."))
    return redirect(f"{target}#answer-{answer.pk}")


@login_required
@require_POST
def answer_promote(request, slug, answer_id):
    community = _community(slug)
    answer = _answer(request, community, answer_id)
    try:
        services.answer_promote(answer=answer, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The answer is now a knowledge item waiting for the community's review.")
        )
    return redirect("knowledge:question", community.slug, answer.question_id)


# --- Knowledge items ------------------------------------------------------------------------


@login_required
def item_propose(request, slug):
    """A member proposes a knowledge item: a draft in the community's review workflow."""
    community = _community(slug)
    access = selectors.community_access(request.user, community)
    if not access.can_take_part:
        raise PermissionDenied
    templates = KnowledgeItemPage.objects.filter(
        pk__in=[t.pk for t in selectors.templates_for(community, access)]
    )
    projects = ProjectPage.objects.filter(team__user=request.user).order_by("title")
    initial = {
        "language": request.LANGUAGE_CODE,
        "members_only": community.members_only_default,
        "kind": request.GET.get("kind") or KnowledgeItemPage.Kind.GUIDE,
        "related_project": request.GET.get("project"),
    }
    form = ItemProposeForm(
        request.POST or None, initial=initial, templates=templates, projects=projects
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_propose(user=request.user, community=community, **form.service_kwargs())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal was sent to the facilitators for review."))
            return redirect(_community_url(community))
    return render(request, "knowledge/item_propose.html", {"community": community, "form": form})


@login_required
def item_translate(request, slug, item_id):
    """A member or facilitator writes the item's version in another language."""
    community = _community(slug)
    item = selectors.item_get(item_id)
    access = selectors.community_access(request.user, community)
    if item is None or item.community_id != community.pk or not item.live:
        raise Http404
    if item.members_only and not access.can_read_private:
        raise Http404
    if not access.can_take_part:
        raise PermissionDenied
    languages = selectors.missing_languages(item)
    form = TranslateForm(request.POST or None, languages=languages)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_translate(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your translation was sent to the facilitators for review.")
            )
            return redirect(item.url)
    return render(
        request,
        "knowledge/item_translate.html",
        {"community": community, "item": item, "form": form, "languages": languages},
        status=400 if form.errors else 200,
    )


@login_required
def review_list(request, slug):
    community = _community(slug)
    if not selectors.community_access(request.user, community).can_review:
        raise PermissionDenied
    return render(
        request,
        "knowledge/review_list.html",
        {
            "community": community,
            "items": selectors.items_awaiting_review(community),
            "form": ReviewForm(),
        },
    )


@login_required
@require_POST
def review(request, slug, item_id):
    community = _community(slug)
    if not selectors.community_access(request.user, community).can_review:
        raise PermissionDenied
    item = selectors.item_get_for_review(community, item_id)
    if item is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("knowledge:review_list", community.slug)
    try:
        services.item_review(
            item=item,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your review was recorded."))
    return redirect("knowledge:review_list", community.slug)


@login_required
@require_POST
def item_vote(request, item_id):
    item = selectors.item_get(item_id)
    if item is None or not item.live:
        raise Http404
    access = selectors.community_access(request.user, item.community)
    if item.members_only and not access.can_read_private:
        raise Http404
    form = VoteForm(request.POST)
    if form.is_valid():
        services.item_vote(item=item, user=request.user, useful=form.cleaned_data["useful"])
        messages.success(request, _("Thank you for your answer."))
    else:
        _form_errors(request, form)
    return redirect(item.url)


@login_required
@require_POST
def item_reviewed(request, slug, item_id):
    """A facilitator or the owner confirms a published item is still current."""
    community = _community(slug)
    item = selectors.item_get(item_id)
    if item is None or item.community_id != community.pk or not item.live:
        raise Http404
    access = selectors.community_access(request.user, community)
    if item.members_only and not access.can_read_private:
        raise Http404
    try:
        services.item_reviewed_confirm(item=item, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The item is marked as reviewed today."))
    return redirect(item.url)


# --- Sessions -------------------------------------------------------------------------------


@login_required
def session_new(request, slug):
    community = _community(slug)
    if not selectors.community_access(request.user, community).can_facilitate:
        raise PermissionDenied
    form = SessionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        fields["materials_upload"] = form.cleaned_data["materials_upload"]
        try:
            services.session_create(community=community, user=request.user, **fields)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect(_community_url(community))
    return render(request, "knowledge/session_form.html", {"community": community, "form": form})


@login_required
def session_recording(request, slug, session_id):
    """A facilitator adds a past session's recording: a knowledge item in the review."""
    community = _community(slug)
    session = selectors.session_get(community, session_id)
    if session is None:
        raise Http404
    if not selectors.community_access(request.user, community).can_facilitate:
        raise PermissionDenied
    form = RecordingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_recording_add(session=session, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The recording is now a knowledge item waiting for the community's review."),
            )
            return redirect(_community_url(community))
    return render(
        request,
        "knowledge/session_recording.html",
        {"community": community, "session": session, "form": form},
        status=400 if form.errors else 200,
    )


def sessions_ics(request, slug):
    community = _community(slug)
    body = ical.community_calendar(request, community, selectors.session_list(community))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{community.slug}.ics"'
    return response
