"""Pages of the calls for social entrepreneurship at /calls/.

Outcomes: anonymous → sign-in for anything beyond reading the calls; managing a call someone
does not manage → 403; a review assigned to someone else → 404 (reviewers do not learn which
other applications exist); bad input → the form again, nothing stored.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partners.models import PartnerPage
from partners.selectors import organization_ids_administered

from . import calls
from .models import Call, CallApplication, CallReview
from .views import _add_errors


class CallForm(forms.ModelForm):
    organization = forms.ModelChoiceField(
        queryset=PartnerPage.objects.none(), required=False, label=gettext_lazy("Opened by")
    )

    class Meta:
        model = Call
        fields = ["organization", "title", "challenge", "eligibility", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartnerPage.objects.filter(
            pk__in=organization_ids_administered(user)
        )


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = CallApplication
        fields = ["team", "proposal"]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = CallReview
        fields = ["score", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].required = True


class AssignForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Reviewer's username"), max_length=150)


class DecideForm(forms.Form):
    feedback = forms.CharField(
        label=gettext_lazy("Feedback"), max_length=3000, required=False, widget=forms.Textarea
    )


def call_list(request):
    return render(request, "volunteers/call_list.html", {"calls": calls.call_list()[:200]})


def call_detail(request, call_id):
    call = get_object_or_404(Call.objects.select_related("organization"), pk=call_id)
    return render(
        request,
        "volunteers/call_detail.html",
        {
            "call": call,
            "form": ApplicationForm(),
            "can_manage": calls.can_manage(request.user, call),
        },
    )


@login_required
def call_create(request):
    if not calls.can_open_calls(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            call = calls.call_open(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The call is open."))
            return redirect("calls:call_detail", call_id=call.pk)
    return render(request, "volunteers/call_form.html", {"form": form})


@login_required
@require_POST
def call_apply(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            calls.application_submit(user=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect("calls:call_detail", call_id=call.pk)
    return render(request, "volunteers/call_detail.html", {"call": call, "form": form}, status=400)


@login_required
def call_applications(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    if not calls.can_manage(request.user, call):
        raise PermissionDenied
    return render(
        request,
        "volunteers/call_applications.html",
        {
            "call": call,
            "applications": calls.applications_of_call(call)[:500],
            "assign_form": AssignForm(),
            "decide_form": DecideForm(),
        },
    )


def _managed_application(request, application_id):
    application = get_object_or_404(
        CallApplication.objects.select_related("call"), pk=application_id
    )
    if not calls.can_manage(request.user, application.call):
        raise PermissionDenied
    return application


@login_required
@require_POST
def review_assign(request, application_id):
    application = _managed_application(request, application_id)
    try:
        calls.review_assign(
            user=request.user, application=application, username=request.POST.get("username")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reviewer is assigned."))
    return redirect("calls:call_applications", call_id=application.call_id)


@login_required
@require_POST
def application_decide(request, application_id, action):
    application = _managed_application(request, application_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The feedback is too long."))
    else:
        try:
            calls.application_decide(
                user=request.user,
                application=application,
                accept=action == "accept",
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The application is decided."))
    return redirect("calls:call_applications", call_id=application.call_id)


@login_required
def reviews_mine(request):
    return render(
        request,
        "volunteers/reviews_mine.html",
        {"reviews": calls.reviews_assigned(request.user)[:500]},
    )


@login_required
def review_submit(request, review_id):
    review = calls.review_get_for_reviewer(request.user, review_id)
    if review is None:
        raise Http404
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            calls.review_submit(user=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("calls:reviews_mine")
    return render(request, "volunteers/review_form.html", {"form": form, "review": review})
