"""Pages of the cluster's opportunities: the funding calls board, partner-search posts, events
with one-to-one meetings, and the cluster's map and figures.

Each view parses input, asks ``opportunities.permissions`` (through the selectors) and calls one
service. Outcomes: anonymous → sign-in for anything beyond reading; something the person may not
see → 404 (its existence is private); an action they may not take → 403; bad input → the form
again (or a message) with nothing stored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.opendata import csv_response
from partners.models import PartnerPage

from . import figures, selectors, services
from . import permissions as rules
from .calendar import calls_calendar, meetings_calendar
from .forms import (
    CallProposeForm,
    ConversationForm,
    InterestForm,
    MeetingRequestForm,
    OrganizationChoiceForm,
    PostForm,
)
from .models import EventRegistration, MeetingRequest, MeetingSlot, Moderation

FEED_SALT = "opportunities.agenda-feed"


def _viewer(request):
    return rules.viewer_for(request.user)


def _messages_of(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _administered(viewer):
    qs = PartnerPage.objects.live().order_by("title")
    return qs if viewer.superuser else qs.filter(pk__in=viewer.admin_ids)


def _ics(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Funding calls --------------------------------------------------------------------------


def call_board(request):
    board = selectors.calls_board(request.GET, page=request.GET.get("page") or 1)
    return render(
        request,
        "opportunities/call_board.html",
        {
            "board": board,
            "filter_form": board.filterset.form,
            "page_obj": board.page_obj,
            "calls": board.page_obj.object_list,
            "can_propose": rules.can_propose_call(_viewer(request)),
        },
    )


def call_detail(request, call_id):
    viewer = _viewer(request)
    call = selectors.call_get_for_user(viewer, call_id)
    if call is None:
        raise Http404
    context = {"call": call}
    if rules.can_post(viewer) and not call.is_archived:
        context["interest_form"] = OrganizationChoiceForm(organizations=_administered(viewer))
    return render(request, "opportunities/call_detail.html", context)


def calls_ics(request):
    body = calls_calendar(selectors.calls_for_feed(), host=request.get_host())
    return _ics(body, "funding-call-deadlines.ics")


@login_required
def call_propose(request):
    if not rules.can_propose_call(_viewer(request)):
        raise PermissionDenied
    form = CallProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extra = {key: data.pop(key) for key in ("eligible_kinds", "regions", "sectors", "sdgs")}
        try:
            call = services.call_propose(user=request.user, **data, **extra)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if call.status == Moderation.PUBLISHED:
                return redirect("opportunities:call_detail", call.pk)
            messages.success(request, _("Thank you: an editor will review the call."))
            return redirect("opportunities:call_board")
    return render(request, "opportunities/call_form.html", {"form": form})


@login_required
@require_POST
def call_interest(request, call_id):
    viewer = _viewer(request)
    call = selectors.call_get_for_user(viewer, call_id)
    if call is None:
        raise Http404
    if not rules.can_post(viewer):
        raise PermissionDenied
    form = OrganizationChoiceForm(request.POST, organizations=_administered(viewer))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organizations."))
        return redirect("opportunities:call_detail", call.pk)
    organization = form.cleaned_data["organization"]
    as_project = request.POST.get("make") == "project"
    try:
        if as_project:
            project = services.call_project_propose(
                user=request.user, call=call, organization=organization
            )
        else:
            post = services.call_interest(user=request.user, call=call, organization=organization)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("opportunities:call_detail", call.pk)
    if as_project:
        messages.success(
            request, _("Your draft project is linked to the call and waits for an editor.")
        )
        return redirect("portal:project_workspace", project.pk)
    messages.success(
        request,
        _("Your partner-search post is waiting for an editor's review. Complete it meanwhile."),
    )
    return redirect("opportunities:post_detail", post.pk)


# --- Partner-search posts -------------------------------------------------------------------


def post_board(request):
    board = selectors.posts_board(request.GET, page=request.GET.get("page") or 1)
    return render(
        request,
        "opportunities/post_board.html",
        {
            "board": board,
            "filter_form": board.filterset.form,
            "page_obj": board.page_obj,
            "posts": board.page_obj.object_list,
            "can_post": rules.can_post(_viewer(request)),
        },
    )


def _visible_post(request, post_id):
    post = selectors.post_get_for_user(_viewer(request), post_id)
    if post is None:
        raise Http404
    return post


def post_detail(request, post_id):
    viewer = _viewer(request)
    post = _visible_post(request, post_id)
    context = {
        "post": post,
        "can_manage": rules.can_manage_post(viewer, post),
        "matches": selectors.post_matches(post) if post.is_listed else [],
    }
    if context["can_manage"] or viewer.is_member(post.organization_id):
        context["show_interests"] = True
        context["open_conversations"] = viewer.is_admin(post.organization_id)
        context["interests"] = selectors.interests_of_post(post)
        if context["open_conversations"]:
            context["interests"] = selectors.with_unread(request.user, context["interests"])
    if viewer.authenticated and viewer.admin_ids:
        mine = selectors.my_interest(viewer, post)
        context["my_interest"] = selectors.with_unread(request.user, [mine])[0] if mine else None
    if rules.can_express_interest(viewer, post):
        context["interest_form"] = InterestForm(
            organizations=_administered(viewer).exclude(pk=post.organization_id)
        )
    return render(request, "opportunities/post_detail.html", context)


@login_required
def post_create(request):
    viewer = _viewer(request)
    if not rules.can_post(viewer):
        raise PermissionDenied
    form = PostForm(request.POST or None, organizations=_administered(viewer))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            post = services.post_create(user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you: an editor will review the post."))
            return redirect("opportunities:post_detail", post.pk)
    return render(request, "opportunities/post_form.html", {"form": form})


@login_required
def posts_mine(request):
    viewer = _viewer(request)
    return render(
        request,
        "opportunities/posts_mine.html",
        {
            "posts": selectors.posts_of(viewer),
            "conversations": selectors.with_unread(
                request.user, selectors.conversations_of(viewer)
            ),
        },
    )


def _post_action(request, post_id, service, done):
    post = _visible_post(request, post_id)
    if not rules.can_manage_post(_viewer(request), post):
        raise PermissionDenied
    try:
        service(user=request.user, post=post)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("opportunities:post_detail", post.pk)


@login_required
@require_POST
def post_close(request, post_id):
    return _post_action(request, post_id, services.post_close, _("The post is closed."))


@login_required
@require_POST
def post_renew(request, post_id):
    return _post_action(request, post_id, services.post_renew, _("The post is renewed."))


@login_required
@require_POST
def post_interest(request, post_id):
    viewer = _viewer(request)
    post = _visible_post(request, post_id)
    if not rules.can_express_interest(viewer, post):
        raise PermissionDenied
    form = InterestForm(
        request.POST, organizations=_administered(viewer).exclude(pk=post.organization_id)
    )
    if form.is_valid():
        try:
            services.interest_express(
                user=request.user,
                post=post,
                organization=form.cleaned_data["organization"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Your message opened a private conversation with the organization's admins."),
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("opportunities:post_detail", post.pk)


def conversation(request, post_id, interest_id):
    """The private conversation an expression of interest opened: only the admins of the two
    organizations find it (anyone else: 404, as if it did not exist)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    viewer = _viewer(request)
    # Not the board's visibility: the two organizations keep their conversation after the post
    # is closed or expired.
    interest = selectors.interest_get(post_id, interest_id)
    if interest is None or not rules.can_converse(viewer, interest, interest.post):
        raise Http404
    post = interest.post
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_reply(
                user=request.user, interest=interest, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("opportunities:conversation", post.pk, interest.pk)
    conversation = list(selectors.conversation_messages(interest))
    services.conversation_mark_read(
        user=request.user, interest=interest, last_id=conversation[-1].pk if conversation else 0
    )
    return render(
        request,
        "opportunities/conversation.html",
        {"post": post, "interest": interest, "conversation": conversation, "form": form},
    )


# --- Events and one-to-one meetings ---------------------------------------------------------


def event_list(request):
    return render(request, "opportunities/event_list.html", {"events": selectors.events_list()})


def _visible_event(request, event_id):
    event = selectors.event_get(event_id, _viewer(request))
    if event is None:
        raise Http404
    return event


def event_detail(request, event_id):
    viewer = _viewer(request)
    event = _visible_event(request, event_id)
    registrations = list(selectors.registrations_of(event))
    registered = {r.organization_id for r in registrations if r.status == "registered"}
    mine = [r for r in registrations if viewer.is_member(r.organization_id)]
    for registration in mine:
        registration.can_cancel = viewer.is_admin(registration.organization_id)
    context = {
        "event": event,
        "registered_count": len(registered),
        "mine": mine,
        "in_meetings": bool(rules.registered_org_ids(viewer, registered)),
    }
    if rules.can_register(viewer):
        taken = {r.organization_id for r in registrations}
        organizations = _administered(viewer).exclude(pk__in=taken)
        if organizations:
            context["register_form"] = OrganizationChoiceForm(organizations=organizations)
    return render(request, "opportunities/event_detail.html", context)


@login_required
@require_POST
def event_register(request, event_id):
    viewer = _viewer(request)
    event = _visible_event(request, event_id)
    if not rules.can_register(viewer):
        raise PermissionDenied
    form = OrganizationChoiceForm(request.POST, organizations=_administered(viewer))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organizations."))
        return redirect("events:event_detail", event.pk)
    try:
        registration = services.event_register(
            user=request.user, event=event, organization=form.cleaned_data["organization"]
        )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        if registration.status == "registered":
            messages.success(request, _("Your organization is registered."))
        else:
            messages.warning(request, _("The event is full: your organization is waiting."))
    return redirect("events:event_detail", event.pk)


@login_required
@require_POST
def event_registration_cancel(request, event_id, registration_id):
    event = _visible_event(request, event_id)
    registration = get_object_or_404(
        EventRegistration.objects.select_related("organization"),
        pk=registration_id,
        event=event,
    )
    viewer = _viewer(request)
    if not viewer.is_member(registration.organization_id):
        raise Http404
    if not viewer.is_admin(registration.organization_id):
        raise PermissionDenied
    try:
        services.event_registration_cancel(user=request.user, registration=registration)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(organization)s is no longer registered.")
            % {"organization": registration.organization.title},
        )
    return redirect("events:event_detail", event.pk)


def _meeting_standing(request, event_id):
    """The event and the viewer's organizations registered for it; 403 if none."""
    viewer = _viewer(request)
    event = _visible_event(request, event_id)
    registered = selectors.registered_ids(event)
    mine = rules.registered_org_ids(viewer, registered)
    if not mine:
        raise PermissionDenied
    return event, registered, mine


@login_required
def event_participants(request, event_id):
    event, registered, mine = _meeting_standing(request, event_id)
    registrations = [
        r for r in selectors.registrations_of(event) if r.organization_id in registered
    ]
    slots = list(selectors.slots_with_seats(event))
    busy = {(seat.slot_id, seat.organization_id) for slot in slots for seat in slot.taken}
    form = MeetingRequestForm(
        organizations=PartnerPage.objects.filter(pk__in=mine).order_by("title"),
        slots=MeetingSlot.objects.filter(event=event),
    )
    return render(
        request,
        "opportunities/event_participants.html",
        {
            "event": event,
            "registrations": registrations,
            "mine": mine,
            "slots": slots,
            "busy": busy,
            "form": form,
        },
    )


@login_required
@require_POST
def meeting_request(request, event_id):
    event, registered, mine = _meeting_standing(request, event_id)
    recipient = get_object_or_404(PartnerPage, pk=request.POST.get("recipient") or 0)
    form = MeetingRequestForm(
        request.POST,
        organizations=PartnerPage.objects.filter(pk__in=mine),
        slots=MeetingSlot.objects.filter(event=event),
    )
    if form.is_valid():
        try:
            services.meeting_request(
                user=request.user,
                slot=form.cleaned_data["slot"],
                requester=form.cleaned_data["organization"],
                recipient=recipient,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Meeting requested: it holds the slot for both."))
            return redirect("events:agenda", event.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("events:participants", event.pk)


@login_required
def agenda(request, event_id):
    event, registered, mine = _meeting_standing(request, event_id)
    meetings = list(selectors.agenda(event, mine))
    for meeting in meetings:
        meeting.mine_asked = meeting.requester_id in mine
        meeting.can_answer = meeting.recipient_id in mine and meeting.status == "requested"
        meeting.can_cancel = meeting.status in MeetingRequest.HOLDING
    feed = signing.dumps(request.user.pk, salt=FEED_SALT)
    return render(
        request,
        "opportunities/agenda.html",
        {"event": event, "meetings": meetings, "agenda_key": feed},
    )


@login_required
@require_POST
def meeting_action(request, meeting_id, action):
    meeting = get_object_or_404(
        MeetingRequest.objects.select_related("slot", "slot__event"), pk=meeting_id
    )
    viewer = _viewer(request)
    if not rules.can_cancel_meeting(viewer, meeting):
        raise Http404
    if action != "cancel" and not rules.can_answer_meeting(viewer, meeting):
        raise PermissionDenied
    try:
        if action == "cancel":
            services.meeting_cancel(user=request.user, meeting=meeting)
        else:
            services.meeting_answer(user=request.user, meeting=meeting, accept=action == "accept")
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    return redirect("events:agenda", meeting.slot.event_id)


def agenda_ics(request, agenda_key):
    """A person's meetings as a calendar, behind a signed link (calendar clients do not sign
    in); it lists only meetings of the organizations the person is in now."""
    from django.contrib.auth import get_user_model

    try:
        user_id = signing.loads(agenda_key, salt=FEED_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404
    body = meetings_calendar(selectors.person_meetings(user), host=request.get_host())
    return _ics(body, "my-meetings.ics")


# --- The cluster's map and figures ----------------------------------------------------------


def cluster_figures(request):
    region_rows = figures._by_region(figures._regions())
    tables = [
        (
            name,
            label,
            figures.bars(
                [(str(r), p, pr) for r, p, pr in region_rows]
                if name == "region"
                else figures.figure(name)
            ),
        )
        for name, label in figures.FIGURES.items()
        if name != "municipality"
    ]
    return render(
        request,
        "opportunities/cluster.html",
        {
            "tables": tables,
            "tiles": figures.cluster_map(region_rows),
            "map_width": figures.comarques.WIDTH,
            "map_height": figures.comarques.HEIGHT,
            "municipalities": figures.figure("municipality"),
            "municipality_label": figures.FIGURES["municipality"],
            "extras": figures.extra_figures(),
        },
    )


def figure_csv(request, figure):
    try:
        rows = [figures.columns(figure), *figures.figure(figure)]
    except KeyError as error:
        raise Http404 from error
    return csv_response(rows, filename=f"cluster-{figure}.csv")
