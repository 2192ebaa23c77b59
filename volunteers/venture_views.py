"""Pages of the accepted ventures of the calls for social entrepreneurship, under /calls/.

Outcomes: anonymous → sign-in; a venture the person is neither the team, a mentor nor a
manager of (or an application not accepted) → 404, so its existence stays private; the call's
ventures to someone who does not manage it → 403; an action the person may not take → 403;
bad input → the page again with its messages (400), nothing stored.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import calls, ventures
from .models import Call, VentureCheckin, VentureMilestone
from .views import _add_errors


class MentorForm(forms.Form):
    mentor = forms.TypedChoiceField(label=gettext_lazy("Mentor"), coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            (person.pk, f"{person.get_full_name() or person.username} · {where}")
            for person, where in candidates
        ]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = VentureMilestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MarkForm(forms.Form):
    done = forms.BooleanField(label=gettext_lazy("Done"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckinForm(forms.ModelForm):
    class Meta:
        model = VentureCheckin
        fields = ["held_on", "minutes", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


def _venture_or_404(request, venture_id, need="read"):
    venture = ventures.venture_get(venture_id)
    if venture is None:
        raise Http404
    access = ventures.venture_access(request.user, venture)
    if "read" not in access:
        raise Http404
    if need not in access:
        raise PermissionDenied
    return venture, access


def _mark_form(milestone, data=None):
    """The form that marks ``milestone``, its fields named apart from the other milestones'."""
    return MarkForm(
        data,
        initial={"done": milestone.done, "note": milestone.note},
        auto_id=f"id_milestone_{milestone.pk}_%s",
    )


def _detail(request, venture, access, status=200, mark_form=None, **forms_given):
    """The venture's page; a refused form given here is shown again with its errors and what
    the person typed (``mark_form``: ``(milestone id, form)``)."""
    milestones = ventures.milestones_of(venture)
    today = timezone.localdate()
    refused_mark = dict([mark_form]) if mark_form else {}
    for milestone in milestones:
        milestone.overdue = not milestone.done and milestone.due_on < today
        milestone.mark_form = refused_mark.get(milestone.pk) or _mark_form(milestone)
        milestone.mark_summary_id = f"milestone-{milestone.pk}-errors"
    manage = "manage" in access
    context = {
        "venture": venture,
        "call": venture.call,
        "milestones": milestones,
        "mentors": ventures.mentors_of(venture),
        "checkins": ventures.checkins_of(venture),
        "can_manage": manage,
        "can_mark": "mark" in access,
        "can_checkin": "checkin" in access,
        "milestone_form": forms_given.get("milestone_form") or MilestoneForm(),
        "checkin_form": forms_given.get("checkin_form") or CheckinForm(),
    }
    if manage:
        context["mentor_form"] = forms_given.get("mentor_form") or MentorForm(
            candidates=ventures.mentor_candidates(venture)
        )
    return render(request, "volunteers/venture_detail.html", context, status=status)


@login_required
def venture_detail(request, application_id):
    venture, access = _venture_or_404(request, application_id)
    return _detail(request, venture, access)


@login_required
def ventures_mine(request):
    return render(
        request,
        "volunteers/ventures_mine.html",
        {"ventures": list(ventures.ventures_of_user(request.user)[:200])},
    )


@login_required
def call_ventures(request, call_id):
    """The call's accepted ventures for its managers, those with overdue milestones first."""
    call = get_object_or_404(Call.objects.select_related("organization"), pk=call_id)
    if not calls.can_manage(request.user, call):
        raise PermissionDenied
    return render(
        request,
        "volunteers/call_ventures.html",
        {"call": call, "ventures": ventures.ventures_of_call(call), "today": timezone.localdate()},
    )


@login_required
@require_POST
def mentor_assign(request, application_id):
    venture, access = _venture_or_404(request, application_id, need="manage")
    form = MentorForm(request.POST, candidates=ventures.mentor_candidates(venture))
    if form.is_valid():
        try:
            ventures.mentor_assign(
                user=request.user, venture=venture, mentor_id=form.cleaned_data["mentor"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The mentor is assigned."))
            return redirect("calls:venture_detail", application_id=venture.pk)
    return _detail(request, venture, access, status=400, mentor_form=form)


@login_required
@require_POST
def mentor_remove(request, application_id):
    venture, _access = _venture_or_404(request, application_id, need="manage")
    mentor_id = request.POST.get("mentor", "")
    try:
        if not mentor_id.isdigit() or len(mentor_id) > 18:
            raise ValidationError(_("Choose a mentor."))
        ventures.mentor_remove(user=request.user, venture=venture, mentor_id=int(mentor_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mentor no longer mentors this venture."))
    return redirect("calls:venture_detail", application_id=venture.pk)


@login_required
@require_POST
def milestone_add(request, application_id):
    venture, access = _venture_or_404(request, application_id, need="manage")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            ventures.milestone_add(user=request.user, venture=venture, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The milestone is set."))
            return redirect("calls:venture_detail", application_id=venture.pk)
    return _detail(request, venture, access, status=400, milestone_form=form)


@login_required
@require_POST
def milestone_mark(request, milestone_id):
    milestone = VentureMilestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    venture, access = _venture_or_404(request, milestone.application_id, need="mark")
    form = _mark_form(milestone, request.POST)
    if form.is_valid():
        try:
            ventures.milestone_mark(user=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The milestone is updated."))
            return redirect("calls:venture_detail", application_id=venture.pk)
    return _detail(request, venture, access, status=400, mark_form=(milestone.pk, form))


@login_required
@require_POST
def checkin_add(request, application_id):
    venture, access = _venture_or_404(request, application_id, need="checkin")
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            ventures.checkin_add(user=request.user, venture=venture, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The check-in is recorded."))
            return redirect("calls:venture_detail", application_id=venture.pk)
    return _detail(request, venture, access, status=400, checkin_form=form)


@login_required
@require_POST
def checkin_delete(request, checkin_id):
    checkin = VentureCheckin.objects.filter(pk=checkin_id).first()
    if checkin is None:
        raise Http404
    venture, _access = _venture_or_404(request, checkin.application_id, need="checkin")
    ventures.checkin_delete(user=request.user, checkin=checkin)
    messages.success(request, _("The check-in is removed."))
    return redirect("calls:venture_detail", application_id=venture.pk)
