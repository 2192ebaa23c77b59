"""Pages of the shared resources at /resources/: the directory, a listing, booking, the owner's
desk, answers to requests, the hours ledger and the calendar feeds.

Each view parses input, asks ``resources.permissions`` (through the selectors) and calls one
service. Outcomes: anonymous → sign-in for anything beyond reading; a listing the person may not
see → 404 (its existence is private); an action they may not take → 403; bad input → the form
again with messages, nothing stored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.models import PartnerPage
from projects.models import ProjectPage

from . import bookings, selectors, services
from . import permissions as rules
from .calendar import bookings_calendar
from .forms import (
    AnswerForm,
    AvailabilityForm,
    BlockedDateForm,
    BookingForm,
    ConditionForm,
    DeclineForm,
    HoursEntryForm,
    LedgerFilterForm,
    ListingForm,
    ListingPhotoForm,
)
from .models import MAX_PHOTOS, Answer, AvailabilityRule, BlockedDate, Booking, Listing


def _viewer(request):
    return rules.viewer_for(request.user)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _visible(request, listing_id):
    listing = selectors.listing_get_for_user(_viewer(request), listing_id)
    if listing is None:
        raise Http404
    return listing


def _detail_url(listing):
    return reverse("resources:resource_detail", args=[listing.pk])


# --- Public pages ---------------------------------------------------------------------------


def resource_directory(request):
    """Offers and requests with facets; a visitor's page is cached per URL (core.pagecache)."""
    viewer = _viewer(request)
    found = selectors.directory(viewer, request.GET, page=request.GET.get("page") or 1)
    return render(
        request,
        "resources/directory.html",
        {
            "directory": found,
            "filter_form": found.filterset.form,
            "page_obj": found.page_obj,
            "listings": found.page_obj.object_list,
            "query_string": found.query_string,
            "can_create": rules.can_create(viewer),
            "in_cluster": viewer.in_cluster,
        },
    )


def resource_detail(request, listing_id):
    viewer = _viewer(request)
    listing = _visible(request, listing_id)
    context = {
        "listing": listing,
        "show_address": rules.can_see_address(viewer, listing),
        "can_manage": rules.can_manage(viewer, listing),
        "can_book": rules.can_book(viewer, listing),
        "can_answer": rules.can_answer(viewer, listing),
        "can_see_bookings": rules.can_see_bookings(viewer, listing),
        "can_accept": rules.can_accept_answer(viewer, listing),
        "blocked_dates": selectors.upcoming_blocked_dates(listing),
        "photos": selectors.listing_photos(listing),
    }
    if viewer.authenticated:
        context["my_bookings"] = selectors.bookings_of_viewer_for_listing(viewer, listing)
    if listing.type == Listing.Type.REQUEST and (
        context["can_accept"] or viewer.editor or rules.is_owner(viewer, listing)
    ):
        context["answers"] = selectors.answers_of_request(listing)
    if context["can_answer"]:
        organizations = rules.answering_organizations(viewer, listing)
        context["answer_form"] = AnswerForm(
            organizations=PartnerPage.objects.filter(pk__in=organizations),
            offers=selectors.answerable_offers(organizations),
        )
    return render(request, "resources/listing_detail.html", context)


def listing_calendar(request, listing_id):
    listing = _visible(request, listing_id)
    body = bookings_calendar(
        listing.title, selectors.feed_bookings([listing]), host=request.get_host()
    )
    return _ics(body, f"resource-{listing.pk}.ics")


def organization_calendar(request, organization_id):
    organization = get_object_or_404(PartnerPage.objects.live(), pk=organization_id)
    listings = selectors.organization_feed_listings(_viewer(request), organization.pk)
    body = bookings_calendar(
        organization.title, selectors.feed_bookings(listings), host=request.get_host()
    )
    return _ics(body, f"organization-{organization.pk}-resources.ics")


def personal_calendar(request, feed):
    """A person's signed feed: the bookings of their organizations, as they are now."""
    viewer = selectors.feed_viewer(feed)
    if viewer is None:
        raise Http404
    body = bookings_calendar(
        _("My organizations' bookings"),
        selectors.private_feed_bookings(viewer.org_ids),
        host=request.get_host(),
        detailed=True,
    )
    return _ics(body, "my-bookings.ics", private=True)


def organization_private_calendar(request, feed, organization_id):
    """One organization's bookings, for a person of it: 404 once they have left it."""
    viewer = selectors.feed_viewer(feed)
    if viewer is None or organization_id not in viewer.org_ids:
        raise Http404
    organization = get_object_or_404(PartnerPage, pk=organization_id)
    body = bookings_calendar(
        organization.title,
        selectors.private_feed_bookings([organization_id]),
        host=request.get_host(),
        detailed=True,
    )
    return _ics(body, f"organization-{organization_id}-bookings.ics", private=True)


def _ics(body, filename, *, private=False):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


# --- Listings -------------------------------------------------------------------------------


def _organizations_administered(viewer):
    qs = PartnerPage.objects.live().order_by("title")
    return qs if viewer.superuser else qs.filter(pk__in=viewer.admin_ids)


def _projects_for(viewer):
    qs = ProjectPage.objects.live().order_by("title")
    return qs if (viewer.superuser or viewer.editor) else qs.filter(pk__in=viewer.project_ids)


@login_required
def listing_create(request):
    viewer = _viewer(request)
    if not rules.can_create(viewer):
        raise PermissionDenied
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        organizations=_organizations_administered(viewer),
        projects=_projects_for(viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                user=request.user,
                organization=form.cleaned_data["organization"],
                **form.service_kwargs(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error("organization", str(error))
        else:
            messages.success(request, _("Your listing is in the directory."))
            return redirect(_detail_url(listing))
    return render(request, "resources/listing_form.html", {"form": form, "creating": True})


@login_required
def listing_edit(request, listing_id):
    viewer = _viewer(request)
    listing = _visible(request, listing_id)
    if not rules.can_manage(viewer, listing):
        raise PermissionDenied
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        instance=listing,
        organizations=PartnerPage.objects.none(),
        projects=_projects_for(viewer),
        editing=True,
        initial={"tags": ", ".join(t.name for t in listing.tags.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(
                listing=Listing.objects.get(pk=listing.pk),
                user=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The listing was saved."))
            return redirect(_detail_url(listing))
    return render(request, "resources/listing_form.html", {"form": form, "listing": listing})


@login_required
@require_POST
def listing_close(request, listing_id):
    listing = _visible(request, listing_id)
    services.listing_close(listing=listing, user=request.user)
    messages.success(request, _("The listing is closed."))
    return redirect(_detail_url(listing))


@login_required
@require_POST
def listing_renew(request, listing_id):
    listing = _visible(request, listing_id)
    listing = services.listing_renew(listing=listing, user=request.user)
    messages.success(
        request, _("The listing now runs until %(date)s.") % {"date": listing.expires_on}
    )
    return redirect(_detail_url(listing))


@login_required
def listing_availability(request, listing_id):
    """Weekly windows and blocked days of an offer."""
    listing = _visible(request, listing_id)
    if not rules.can_manage(_viewer(request), listing):
        raise PermissionDenied
    rule_form = AvailabilityForm(prefix="rule")
    blocked_form = BlockedDateForm(prefix="blocked")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_rule":
                rule_form = AvailabilityForm(request.POST, prefix="rule")
                if rule_form.is_valid():
                    services.availability_add(
                        listing=listing, user=request.user, **rule_form.cleaned_data
                    )
                    return redirect(request.path)
            elif action == "add_blocked":
                blocked_form = BlockedDateForm(request.POST, prefix="blocked")
                if blocked_form.is_valid():
                    services.blocked_date_add(
                        listing=listing, user=request.user, **blocked_form.cleaned_data
                    )
                    return redirect(request.path)
            elif action == "remove_rule":
                rule = get_object_or_404(
                    AvailabilityRule, pk=request.POST.get("id", 0) or 0, listing=listing
                )
                services.availability_remove(rule=rule, user=request.user)
                return redirect(request.path)
            elif action == "remove_blocked":
                blocked = get_object_or_404(
                    BlockedDate, pk=request.POST.get("id", 0) or 0, listing=listing
                )
                services.blocked_date_remove(blocked=blocked, user=request.user)
                return redirect(request.path)
        except ValidationError as error:
            _add_errors(rule_form if action == "add_rule" else blocked_form, error)
    return render(
        request,
        "resources/listing_availability.html",
        {
            "listing": listing,
            "rules": listing.availability.all(),
            "blocked_dates": selectors.upcoming_blocked_dates(listing),
            "rule_form": rule_form,
            "blocked_form": blocked_form,
        },
    )


@login_required
def listing_photos(request, listing_id):
    """The listing's photos, the cover first: add one with what it shows, or take one out."""
    listing = _visible(request, listing_id)
    if not rules.can_manage(_viewer(request), listing):
        raise PermissionDenied
    form = ListingPhotoForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = ListingPhotoForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.listing_photo_add(
                        listing=listing,
                        user=request.user,
                        file=form.cleaned_data["image"],
                        alt=form.cleaned_data["alt"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("The photo was added."))
                    return redirect(request.path)
        elif action == "remove":
            photo = None
            if request.POST.get("id") != "cover":
                photo = get_object_or_404(listing.extra_photos, pk=request.POST.get("id", 0) or 0)
            services.listing_photo_remove(listing=listing, user=request.user, photo=photo)
            messages.success(request, _("The photo was removed."))
            return redirect(request.path)
        elif action in ("up", "down"):
            try:
                moved = services.listing_photo_move(
                    listing=listing,
                    user=request.user,
                    photo_id=request.POST.get("id", ""),
                    direction=action,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if moved:
                    messages.success(request, _("The photo was moved."))
                else:
                    messages.info(request, _("The photo is already there."))
            return redirect(request.path)
    return render(
        request,
        "resources/listing_photos.html",
        {
            "listing": listing,
            "photos": selectors.listing_photos(listing),
            "form": form,
            "max_photos": MAX_PHOTOS,
        },
    )


# --- Bookings -------------------------------------------------------------------------------


@login_required
def listing_book(request, listing_id):
    viewer = _viewer(request)
    listing = _visible(request, listing_id)
    if not rules.can_book(viewer, listing):
        raise PermissionDenied
    org_ids = rules.booking_organizations(viewer)
    organizations = PartnerPage.objects.filter(pk__in=org_ids)
    form = BookingForm(
        request.POST or None,
        organizations=organizations,
        listing=listing,
        projects=selectors.projects_of_organizations(org_ids),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["weeks"] > 1:
                series = bookings.booking_series_request(
                    user=request.user,
                    listing=listing,
                    organization=data["organization"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    weeks=data["weeks"],
                    note=data["note"],
                    project=data["project"],
                )
                return redirect("resources:series_detail", series_id=series.pk)
            made = bookings.booking_request(
                user=request.user,
                listing=listing,
                organization=data["organization"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                quantity=data["quantity"],
                note=data["note"],
                project=data["project"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if made[0].status == Booking.Status.APPROVED:
                messages.success(request, _("Booked: your booking is approved."))
            else:
                messages.success(request, _("Your booking waits for the owner's approval."))
            return redirect(_detail_url(listing))
    return render(request, "resources/booking_form.html", {"listing": listing, "form": form})


@login_required
def series_detail(request, series_id):
    series = selectors.series_get_for_user(_viewer(request), series_id)
    if series is None:
        raise Http404
    reasons = {
        bookings.CONFLICT: _("already booked"),
        bookings.BLOCKED: _("blocked day"),
        bookings.UNAVAILABLE: _("outside the availability"),
    }
    skipped = [(row["date"], reasons.get(row["reason"], row["reason"])) for row in series.skipped]
    return render(
        request,
        "resources/series_detail.html",
        {
            "series": series,
            "listing": series.listing,
            "bookings": selectors.series_bookings(series),
            "skipped": skipped,
        },
    )


@login_required
def listing_bookings(request, listing_id):
    """The owner's desk: every booking of the listing, with the actions each allows."""
    viewer = _viewer(request)
    listing = _visible(request, listing_id)
    if not rules.can_see_bookings(viewer, listing):
        raise PermissionDenied
    return render(
        request,
        "resources/listing_bookings.html",
        {
            "listing": listing,
            "bookings": selectors.bookings_of_listing(
                listing, include_past=request.GET.get("past") == "1"
            ),
            "can_decide": rules.can_decide(viewer, listing),
            "can_handle": rules.can_handle(viewer, listing),
            "condition_form": ConditionForm(),
            "decline_form": DeclineForm(),
        },
    )


BOOKING_ACTIONS = {
    "approve": (bookings.booking_approve, None, _("The booking is approved.")),
    "decline": (bookings.booking_decline, DeclineForm, _("The booking is declined.")),
    "cancel": (bookings.booking_cancel, None, _("The booking is cancelled.")),
    "check-out": (bookings.booking_check_out, ConditionForm, _("Checked out.")),
    "return": (bookings.booking_return, ConditionForm, _("Returned.")),
    "no-show": (bookings.booking_no_show, None, _("Marked as a no-show.")),
}


@login_required
@require_POST
def booking_action(request, booking_id, action):
    if action not in BOOKING_ACTIONS:
        raise Http404
    viewer = _viewer(request)
    booking = get_object_or_404(
        Booking.objects.select_related("listing__organization"), pk=booking_id
    )
    if not (
        rules.can_see_bookings(viewer, booking.listing)
        or booking.organization_id in viewer.org_ids
    ):
        raise Http404
    service, form_class, done = BOOKING_ACTIONS[action]
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the notes: they are too long."))
            return redirect(_back(request, booking))
        kwargs = dict(form.cleaned_data)
    try:
        service(booking=booking, user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_back(request, booking))


def _back(request, booking):
    if rules.can_see_bookings(_viewer(request), booking.listing):
        return reverse("resources:listing_bookings", args=[booking.listing_id])
    return _detail_url(booking.listing)


# --- Requests answered ----------------------------------------------------------------------


@login_required
@require_POST
def listing_answer(request, listing_id):
    viewer = _viewer(request)
    listing = _visible(request, listing_id)
    if not rules.can_answer(viewer, listing):
        raise PermissionDenied
    organizations = rules.answering_organizations(viewer, listing)
    form = AnswerForm(
        request.POST,
        organizations=PartnerPage.objects.filter(pk__in=organizations),
        offers=selectors.answerable_offers(organizations),
    )
    if form.is_valid():
        try:
            services.answer_create(
                user=request.user,
                request=listing,
                organization=form.cleaned_data["organization"],
                offer=form.cleaned_data["offer"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect(_detail_url(listing))
    else:
        messages.error(request, _("The answer could not be sent: check the form."))
    return redirect(_detail_url(listing))


@login_required
@require_POST
def answer_accept(request, answer_id):
    answer = get_object_or_404(Answer.objects.select_related("request"), pk=answer_id)
    viewer = _viewer(request)
    if not rules.can_view(viewer, answer.request):
        raise Http404
    try:
        services.answer_accept(answer=answer, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You accepted this answer; the request is fulfilled."))
    return redirect(_detail_url(answer.request))


# --- The portal side ------------------------------------------------------------------------


@login_required
def resources_mine(request):
    viewer = _viewer(request)
    feed = selectors.feed_token(request.user)
    organizations = PartnerPage.objects.filter(pk__in=viewer.org_ids).order_by("title")
    return render(
        request,
        "resources/mine.html",
        {
            "mine": selectors.mine(viewer),
            "can_create": rules.can_create(viewer),
            "feed": feed if viewer.org_ids else None,
            "feed_organizations": organizations if viewer.org_ids else (),
        },
    )


@login_required
def hours_entry_create(request):
    """An organization's admin records hours given or received outside a booking."""
    viewer = _viewer(request)
    if not (viewer.superuser or viewer.admin_ids):
        raise PermissionDenied
    form = HoursEntryForm(
        request.POST or None,
        organizations=PartnerPage.objects.live().order_by("title"),
        projects=ProjectPage.objects.live().order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_entry_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error("giver", str(error))
        else:
            messages.success(request, _("The hours are in the ledger."))
            return redirect("resources:hours_ledger")
    return render(request, "resources/hours_entry_form.html", {"form": form})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def hours_ledger(request):
    viewer = _viewer(request)
    if not (viewer.in_cluster or viewer.superuser):
        raise PermissionDenied
    form = LedgerFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    entries = selectors.hours_ledger(viewer, **{k: v for k, v in filters.items() if v})
    if not valid:
        # A period that cannot be: its error, and neither entries nor an export.
        entries = entries.none()
    elif request.GET.get("format") == "csv":
        response = HttpResponse(
            selectors.hours_ledger_csv(entries), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="hours-ledger.csv"'
        return response
    elif request.GET.get("format") == "xlsx":
        response = HttpResponse(selectors.hours_ledger_xlsx(entries), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="hours-ledger.xlsx"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "resources/hours_ledger.html",
        {
            "form": form,
            "entries": entries[:200],
            "totals": selectors.hours_totals(entries),
            "months": selectors.hours_by_month(entries),
            "query_string": query.urlencode(),
            "labels": dict(Listing.Kind.choices),
            "can_record": bool(viewer.admin_ids) or viewer.superuser,
        },
    )
