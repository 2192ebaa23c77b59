"""Pages of the calls for social entrepreneurship at /calls/.

Outcomes: anonymous → sign-in for anything beyond reading the calls; managing a call someone
does not manage → 403; a review assigned to someone else → 404 (reviewers do not learn which
other applications exist); bad input → the form again, nothing stored.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirm_page
from partners.models import PartnerPage
from partners.selectors import organization_ids_administered

from . import calls
from .models import Call, CallApplication, CallCriterion, CallQuestion, CallReview
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is judged by ``calls.attachments_check``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.odt,.docx"}))
        # An empty file is refused by the content check, with its name.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(AttachmentsField, self).clean(item, initial) for item in data if item]
        return [data] if data else []


class ApplicationForm(forms.ModelForm):
    """The team, the proposal, one field per question of the call, in order, and attached
    documents."""

    attachments = AttachmentsField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=gettext_lazy("PDF, ODT or DOCX documents, up to 5 files."),
    )

    class Meta:
        model = CallApplication
        fields = ["team", "proposal"]

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        # The attachments come after the questions.
        self.fields["attachments"] = self.fields.pop("attachments")
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.required,
                max_length=question.max_length,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": _("Answer the question “%(question)s”.")
                    % {"question": question.text}
                },
            )

    def answers(self):
        return {
            question.pk: self.cleaned_data.get(f"answer_{question.pk}", "")
            for question in self.questions
        }


class ReviewForm(forms.ModelForm):
    """The single score, or with a rubric one score from 1 to 5 per criterion."""

    class Meta:
        model = CallReview
        fields = ["score", "comment"]

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        if self.criteria:
            del self.fields["score"]
            given = {}
            if self.instance.pk:
                given = {row.criterion_id: row.score for row in self.instance.scores.all()}
            for criterion in self.criteria:
                self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                    label=_("%(criterion)s (weight %(weight)s), 1 to 5")
                    % {"criterion": criterion.name, "weight": criterion.weight},
                    help_text=criterion.guidance,
                    min_value=1,
                    max_value=5,
                    initial=given.get(criterion.pk),
                    error_messages={
                        "required": _("Score “%(criterion)s” from 1 to 5.")
                        % {"criterion": criterion.name}
                    },
                )
        else:
            self.fields["score"].required = True

    def review_values(self):
        values = {"comment": self.cleaned_data.get("comment", "")}
        if self.criteria:
            values["criterion_scores"] = {
                criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"]
                for criterion in self.criteria
            }
        else:
            values["score"] = self.cleaned_data["score"]
        return values


class QuestionForm(forms.ModelForm):
    class Meta:
        model = CallQuestion
        fields = ["text", "required", "max_length"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = CallCriterion
        fields = ["name", "weight", "guidance"]


class AssignForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Reviewer's username"), max_length=150)


class DecideForm(forms.Form):
    feedback = forms.CharField(
        label=gettext_lazy("Feedback"), max_length=3000, required=False, widget=forms.Textarea
    )


def call_list(request):
    return render(request, "volunteers/call_list.html", {"calls": calls.call_list()[:200]})


def _detail_context(request, call, form=None):
    mine = None
    if request.user.is_authenticated:
        mine = (
            CallApplication.objects.filter(call=call, applicant=request.user)
            .prefetch_related("answers__question")
            .first()
        )
    return {
        "call": call,
        "form": form or ApplicationForm(questions=call.questions.all()),
        "can_manage": calls.can_manage(request.user, call),
        "mine": mine,
    }


def call_detail(request, call_id):
    call = get_object_or_404(Call.objects.select_related("organization"), pk=call_id)
    return render(request, "volunteers/call_detail.html", _detail_context(request, call))


def _form_item_id(value):
    if not value or not value.isdigit() or len(value) > 18:
        raise ValidationError(_("Choose a question or a criterion."))
    return int(value)


def _form_problems(form):
    """The form's errors as one line that names each field, for a message."""
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(errors)
        problems.append(f"{label}: {text}" if label else text)
    return " ".join(problems)


FORM_ITEMS = {
    "question": (QuestionForm, "question_edit", "question_id"),
    "criterion": (CriterionForm, "criterion_edit", "criterion_id"),
}


def _setup_post(request, call, bound):
    """Apply one change of the call's form; ``bound`` receives a refused form to show again.
    Returns the form that was refused, or None when the change was made."""
    kind = request.POST.get("kind")
    if kind not in FORM_ITEMS:
        raise ValidationError(_("Choose a question or a criterion."))
    form_class, edit_service, id_name = FORM_ITEMS[kind]
    post = request.POST
    if post.get("remove"):
        calls.form_item_remove(
            user=request.user, call=call, kind=kind, item_id=_form_item_id(post["remove"])
        )
    elif post.get("up") or post.get("down"):
        direction = "up" if post.get("up") else "down"
        calls.form_item_move(
            user=request.user,
            call=call,
            kind=kind,
            item_id=_form_item_id(post[direction]),
            direction=direction,
        )
    elif post.get("edit"):
        item_id = _form_item_id(post["edit"])
        form = form_class(post, prefix=f"{kind}-{item_id}")
        bound[kind, item_id] = form
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        getattr(calls, edit_service)(
            user=request.user, call=call, **{id_name: item_id}, **form.cleaned_data
        )
    else:
        form = bound[kind] = form_class(post, prefix=kind)
        if not form.is_valid():
            return form
        add = calls.question_add if kind == "question" else calls.criterion_add
        try:
            add(user=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return form
    return None


@login_required
def call_form_setup(request, call_id):
    """The call's questions and scoring rubric, kept by its managers until the first
    application arrives: added, edited, moved up or down and removed, each by a plain POST
    form. A refused change shows the page again (400) with the problem named and nothing
    changed."""
    call = get_object_or_404(Call, pk=call_id)
    if not calls.can_manage(request.user, call):
        raise PermissionDenied
    bound = {}
    status = 200
    if request.method == "POST":
        try:
            refused = _setup_post(request, call, bound)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            if refused is None:
                messages.success(request, _("The call's form is saved."))
                return redirect("calls:call_form_setup", call_id=call.pk)
            status = 400
    questions = list(call.questions.all())
    criteria = list(call.criteria.all())
    for kind, form_class, items in (
        ("question", QuestionForm, questions),
        ("criterion", CriterionForm, criteria),
    ):
        for item in items:
            item.edit_form = bound.get((kind, item.pk)) or form_class(
                instance=item, prefix=f"{kind}-{item.pk}"
            )
    return render(
        request,
        "volunteers/call_setup.html",
        {
            "call": call,
            "questions": questions,
            "criteria": criteria,
            "locked": call.applications.exists(),
            "question_form": bound.get("question") or QuestionForm(prefix="question"),
            "criterion_form": bound.get("criterion") or CriterionForm(prefix="criterion"),
        },
        status=status,
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
    form = ApplicationForm(request.POST, request.FILES, questions=call.questions.all())
    if form.is_valid():
        try:
            calls.application_submit(
                user=request.user,
                call=call,
                team=form.cleaned_data["team"],
                proposal=form.cleaned_data["proposal"],
                answers=form.answers(),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect("calls:call_detail", call_id=call.pk)
    return render(
        request, "volunteers/call_detail.html", _detail_context(request, call, form), status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, application_id):
    """GET: the confirmation page; POST: the applicant withdraws their application. Only the
    applicant learns it exists (404 for anyone else); once decided, it stays, with a
    message."""
    application = calls.application_get_for_applicant(request.user, application_id)
    if application is None:
        raise Http404
    call = application.call
    back = reverse("calls:call_detail", args=[call.pk])
    if application.status != CallApplication.Status.SUBMITTED:
        messages.error(
            request, _("This application is decided already: it can no longer be withdrawn.")
        )
        return redirect(back)
    if request.method == "GET":
        names = {"call": call.title}
        return confirm_page(
            request,
            title=_("Withdraw your application to “%(call)s”?") % names,
            question=_(
                "Your application, its answers and its attachments are deleted, and the "
                "call's managers are told."
            ),
            consequence=_("While the call is open, you can apply again."),
            action_label=_("Withdraw the application"),
            cancel_url=back,
        )
    try:
        calls.application_withdraw(user=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(back)


def _application_forms(application, assign_data=None, decide_data=None):
    """The reviewer and decision forms of one application, their fields named apart from the
    other applications'."""
    auto_id = f"id_application_{application.pk}_%s"
    return AssignForm(assign_data, auto_id=auto_id), DecideForm(decide_data, auto_id=auto_id)


def _applications_page(request, call, status=200, refused=None):
    """The call's applications; ``refused`` is ``(application id, assign form, decide form)``
    of a refused POST, shown again with its errors and what the manager typed."""
    applications = list(calls.applications_of_call(call)[:500])
    criteria, averages = calls.criterion_averages(call)
    answers = calls.answers_by_application(call)
    attachments = calls.attachments_by_application(call)
    for application in applications:
        application.criterion_averages = averages.get(application.pk, [])
        application.answer_list = answers.get(application.pk, [])
        application.attachment_list = attachments.get(application.pk, [])
        if refused and refused[0] == application.pk:
            application.assign_form, application.decide_form = refused[1:]
        else:
            application.assign_form, application.decide_form = _application_forms(application)
        application.summary_id = f"application-{application.pk}-errors"
    return render(
        request,
        "volunteers/call_applications.html",
        {
            "call": call,
            "criteria": criteria,
            "applications": applications,
            "withdrawals": calls.withdrawals_of_call(call),
        },
        status=status,
    )


@login_required
def call_applications(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    if not calls.can_manage(request.user, call):
        raise PermissionDenied
    return _applications_page(request, call)


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
    form, decide_form = _application_forms(application, assign_data=request.POST)
    if form.is_valid():
        try:
            calls.review_assign(
                user=request.user,
                application=application,
                username=form.cleaned_data["username"],
            )
        except ValidationError as error:
            # The service's reasons are all about the person named.
            form.add_error("username", error)
        else:
            messages.success(request, _("The reviewer is assigned."))
            return redirect("calls:call_applications", call_id=application.call_id)
    return _applications_page(
        request, application.call, status=400, refused=(application.pk, form, decide_form)
    )


@login_required
@require_POST
def application_decide(request, application_id, action):
    application = _managed_application(request, application_id)
    assign_form, form = _application_forms(application, decide_data=request.POST)
    if form.is_valid():
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
    return _applications_page(
        request, application.call, status=400, refused=(application.pk, assign_form, form)
    )


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
    criteria = CallCriterion.objects.filter(call_id=review.application.call_id)
    form = ReviewForm(request.POST or None, instance=review, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            calls.review_submit(user=request.user, review=review, **form.review_values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("calls:reviews_mine")
    answers = review.application.answers.select_related("question")
    return render(
        request,
        "volunteers/review_form.html",
        {
            "form": form,
            "review": review,
            "answers": answers,
            "attachments": review.application.attachments.all(),
        },
    )


@login_required
@require_GET
def attachment_download(request, attachment_id):
    """An application's attached file, to its applicant, its reviewers and the call's
    managers only (404 to anyone else), always as a download and never kept by a shared
    cache. Behind nginx (``WORKSPACE_X_ACCEL_REDIRECT``, the internal location over the media
    folder) the web server sends the bytes once this view has said yes."""
    attachment = calls.attachment_get_for_user(request.user, attachment_id)
    if attachment is None:
        raise Http404
    prefix = getattr(settings, "WORKSPACE_X_ACCEL_REDIRECT", "")
    if prefix:
        response = HttpResponse(content_type=attachment.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + attachment.file.name
        response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    else:
        response = FileResponse(
            attachment.file.open("rb"),
            content_type=attachment.content_type,
            as_attachment=True,
            filename=attachment.filename,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
