"""Calls for social entrepreneurship: reads and writes.

Who manages a call: the admins of the organization that opened it and the cluster's editors
(``can_manage``). Reviewers are assigned to single applications and see only those.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, PageLogEntry

from core.audit import audit_record
from core.files import document_check
from core.roles import EDITORS_GROUP, is_editor
from notifications.services import notification_create, notification_create_many
from partners.selectors import organization_ids_administered, organization_members

from . import audit
from .models import (
    Call,
    CallAnswer,
    CallApplication,
    CallAttachment,
    CallCriterion,
    CallQuestion,
    CallReview,
    CriterionScore,
)

logger = logging.getLogger(__name__)

# What an application may attach: documents judged by their content (``core.files``).
ATTACHMENT_EXTENSIONS = ("pdf", "odt", "docx")
MAX_ATTACHMENTS = 5
DEFAULT_ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024


def attachment_max_size():
    return getattr(settings, "CALLS_MAX_ATTACHMENT_SIZE", DEFAULT_ATTACHMENT_MAX_SIZE)


def can_manage(user, call):
    if not user.is_authenticated:
        return False
    if is_editor(user):
        return True
    return call.organization_id in organization_ids_administered(user)


def call_managers(call):
    """Who hears of a call's new applications: the admins of the organization that opened
    it, or for a call the editors opened, the editors."""
    if call.organization_id is not None:
        return [
            membership.user
            for membership in organization_members(call.organization)
            if membership.role == "admin" and membership.user.is_active
        ]
    return list(
        get_user_model().objects.filter(groups__name=EDITORS_GROUP, is_active=True).distinct()
    )


def call_audit(call, action, *, by, person=None, **data):
    """Record ``action`` about ``call`` on the audit trail: on the page of the organization
    that opened it (so its admins read it in their activity), or on the call itself for a call
    the editors opened. ``detail`` is the call's title."""
    data.setdefault("detail", call.title)
    data["call"] = call.pk
    if call.organization_id is not None:
        organization = call.organization
        audit_record(
            organization, action, user=by, organization=organization, person=person, **data
        )
    else:
        audit_record(call, action, user=by, person=person, **data)


def can_open_calls(user):
    return user.is_authenticated and (is_editor(user) or bool(organization_ids_administered(user)))


def call_list():
    return Call.objects.select_related("organization").annotate(
        application_count=Count("applications")
    )


def applications_of_call(call):
    """The call's applications ranked by their result, best first (those without a submitted
    review last). With a rubric the result is the weighted average over the submitted
    reviews' criterion scores; without one, the average of the single scores."""
    weighted = (
        CriterionScore.objects.filter(
            review__application=OuterRef("pk"), review__submitted_at__isnull=False
        )
        .order_by()
        .values("review__application")
        .annotate(
            value=Cast(Sum(F("score") * F("criterion__weight")), FloatField())
            / Cast(Sum("criterion__weight"), FloatField())
        )
        .values("value")
    )
    plain = (
        CallReview.objects.filter(application=OuterRef("pk"), score__isnull=False)
        .order_by()
        .values("application")
        .annotate(value=Cast(Avg("score"), FloatField()))
        .values("value")
    )
    return (
        CallApplication.objects.filter(call=call)
        .select_related("applicant")
        .annotate(
            average=Coalesce(Subquery(weighted), Subquery(plain)),
            review_count=Count("reviews"),
        )
        .order_by(F("average").desc(nulls_last=True), "created_at", "pk")
    )


def criterion_averages(call):
    """``{application id: [(criterion, average score), ...]}`` over submitted reviews, in the
    rubric's order, in two queries."""
    criteria = list(CallCriterion.objects.filter(call=call))
    rows = (
        CriterionScore.objects.filter(criterion__call=call, review__submitted_at__isnull=False)
        .order_by()
        .values("review__application", "criterion")
        .annotate(value=Avg("score"))
    )
    found = {(row["review__application"], row["criterion"]): row["value"] for row in rows}
    result = {}
    for application_id in {key[0] for key in found}:
        result[application_id] = [
            (criterion, found.get((application_id, criterion.pk))) for criterion in criteria
        ]
    return criteria, result


def answers_by_application(call):
    """``{application id: [answer, ...]}`` for the whole call, in one query."""
    found = {}
    for answer in CallAnswer.objects.filter(application__call=call).select_related("question"):
        found.setdefault(answer.application_id, []).append(answer)
    return found


def _refuse_changes_after_applications(call):
    if call.applications.exists():
        raise ValidationError(
            _("The questions and the scoring rubric cannot change once an application arrives.")
        )


def _next_position(items):
    return (items.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def question_add(*, user, call, text, required=True, max_length=1000):
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its form."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    question = CallQuestion(
        call=call,
        text=(text or "").strip(),
        required=bool(required),
        max_length=max_length or 1000,
        position=_next_position(call.questions),
    )
    question.full_clean()
    question.save()
    call_audit(call, audit.CALL_FORM, by=user)
    return question


@transaction.atomic
def criterion_add(*, user, call, name, weight=1, guidance=""):
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its rubric."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    criterion = CallCriterion(
        call=call,
        name=(name or "").strip(),
        weight=weight,
        guidance=(guidance or "").strip(),
        position=_next_position(call.criteria),
    )
    criterion.full_clean()
    criterion.save()
    call_audit(call, audit.CALL_FORM, by=user)
    return criterion


@transaction.atomic
def form_item_remove(*, user, call, kind, item_id):
    """Remove a question or a criterion, while no application has arrived."""
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its form."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    model = CallQuestion if kind == "question" else CallCriterion
    deleted, _rows = model.objects.filter(call=call, pk=item_id).delete()
    if deleted:
        call_audit(call, audit.CALL_FORM, by=user)


def _form_item(call, kind, item_id):
    model = CallQuestion if kind == "question" else CallCriterion
    item = model.objects.filter(call=call, pk=item_id).first()
    if item is None:
        raise ValidationError(
            _("That question is not on this call's form.")
            if kind == "question"
            else _("That criterion is not in this call's rubric.")
        )
    return item


@transaction.atomic
def question_edit(*, user, call, question_id, text, required=True, max_length=1000):
    """Change a question's text, whether it must be answered and its longest answer, while no
    application has arrived."""
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its form."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    question = _form_item(call, "question", question_id)
    question.text = (text or "").strip()
    question.required = bool(required)
    question.max_length = max_length
    question.full_clean()
    question.save(update_fields=["text", "required", "max_length"])
    call_audit(call, audit.CALL_FORM, by=user)
    return question


@transaction.atomic
def criterion_edit(*, user, call, criterion_id, name, weight, guidance=""):
    """Change a criterion's name, weight and guidance, while no application has arrived."""
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its rubric."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    criterion = _form_item(call, "criterion", criterion_id)
    criterion.name = (name or "").strip()
    criterion.weight = weight
    criterion.guidance = (guidance or "").strip()
    criterion.full_clean()
    criterion.save(update_fields=["name", "weight", "guidance"])
    call_audit(call, audit.CALL_FORM, by=user)
    return criterion


@transaction.atomic
def form_item_move(*, user, call, kind, item_id, direction):
    """Move a question or a criterion one place ``up`` or ``down``, while no application has
    arrived; the positions are renumbered 1, 2, 3… in the new order."""
    if not can_manage(user, call):
        raise PermissionDenied(_("Only the call's managers change its form."))
    if direction not in ("up", "down"):
        raise ValidationError(_("Move it up or down."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_changes_after_applications(call)
    item = _form_item(call, kind, item_id)
    items = list(type(item).objects.filter(call=call))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    changed = []
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    type(item).objects.bulk_update(changed, ["position"])
    if changed:
        call_audit(call, audit.CALL_FORM, by=user)
    return item


def reviews_assigned(user):
    return CallReview.objects.filter(reviewer=user).select_related(
        "application__call", "application__applicant"
    )


def review_get_for_reviewer(user, review_id):
    """The review if ``user`` is its reviewer, else None (others do not learn it exists)."""
    if not user.is_authenticated:
        return None
    return reviews_assigned(user).filter(pk=review_id).first()


@transaction.atomic
def call_open(*, user, title, challenge, deadline, organization=None, eligibility=""):
    if organization is None:
        allowed = is_editor(user)
    else:
        allowed = user.is_superuser or organization.pk in organization_ids_administered(user)
    if not allowed:
        raise PermissionDenied(_("Only an organization's admins or the editors open calls."))
    if deadline and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    call = Call(
        title=(title or "").strip(),
        challenge=(challenge or "").strip(),
        eligibility=(eligibility or "").strip(),
        deadline=deadline,
        organization=organization,
        created_by=user,
    )
    call.full_clean()
    call.save()
    call_audit(call, audit.CALL_OPEN, by=user)
    return call


def attachments_check(uploads):
    """``[(upload, extension, content type), ...]`` for acceptable attachments, or a
    ``ValidationError`` on ``attachments`` naming the file and its problem."""
    uploads = [upload for upload in uploads or () if upload is not None]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}}
        )
    checked = []
    for upload in uploads:
        try:
            extension, content_type = document_check(
                upload,
                extensions=ATTACHMENT_EXTENSIONS,
                max_size=attachment_max_size(),
                too_large_message=_(
                    "This file is %(size)s; an attachment may be at most %(max_size)s."
                ),
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "attachments": _("“%(name)s”: %(problem)s")
                    % {"name": _display_name(upload), "problem": " ".join(error.messages)}
                }
            ) from error
        checked.append((upload, extension, content_type))
    return checked


def _display_name(upload):
    return PurePath((upload.name or "").replace("\\", "/")).name[:255] or "—"


def _attachments_store(application, checked):
    """Store the checked uploads; if one fails, the ones written before it are removed."""
    written = []
    try:
        for upload, extension, content_type in checked:
            attachment = CallAttachment(
                application=application,
                filename=_display_name(upload),
                content_type=content_type,
                size=upload.size,
            )
            attachment.file.save(f"attachment.{extension}", upload, save=False)
            written.append(attachment.file)
            attachment.save()
    except BaseException:
        for stored in written:
            try:
                stored.storage.delete(stored.name)
            except OSError:
                logger.exception("Could not remove %s after a failed application", stored.name)
        raise


@transaction.atomic
def application_submit(*, user, call, team, proposal, answers=None, attachments=()):
    """``answers`` maps question ids to their text. Required questions must be answered and
    no answer may pass its question's length; ``attachments`` (uploaded files) must be
    PDF, ODT or DOCX documents by their content, within the size limit. Otherwise nothing is
    stored."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to apply."))
    if call.deadline < timezone.localdate():
        raise ValidationError(_("This call is closed."))
    # Taken before reading the questions: the managers' changes wait for this application.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    if CallApplication.objects.filter(call=call, applicant=user).exists():
        raise ValidationError(_("You have applied to this call already."))
    application = CallApplication(
        call=call, applicant=user, team=(team or "").strip(), proposal=(proposal or "").strip()
    )
    application.full_clean()
    answers = answers or {}
    rows = []
    for question in CallQuestion.objects.filter(call=call):
        text = (answers.get(question.pk) or "").strip()
        if question.required and not text:
            raise ValidationError(
                _("Answer the question “%(question)s”.") % {"question": question.text}
            )
        if len(text) > question.max_length:
            raise ValidationError(
                _("The answer to “%(question)s” is longer than %(limit)s characters.")
                % {"question": question.text, "limit": question.max_length}
            )
        if text:
            rows.append(CallAnswer(question=question, text=text))
    checked = attachments_check(attachments)
    application.save()
    for row in rows:
        row.application = application
    CallAnswer.objects.bulk_create(rows)
    _attachments_store(application, checked)
    call_audit(call, audit.CALL_APPLY, by=user, person=user)
    name = user.get_full_name() or user.get_username()

    def render():
        return _("%(name)s applied to the call “%(call)s”") % {
            "name": name,
            "call": call.title,
        }, ""

    notification_create_many(
        users=[person for person in call_managers(call) if person.pk != user.pk],
        kind="volunteers.call_application",
        render=render,
        url=reverse("calls:call_applications", args=[call.pk]),
        about=call.organization_id,
    )
    return application


def application_get_for_applicant(user, application_id):
    """The application if ``user`` is its applicant, else None (others do not learn it
    exists)."""
    if not user.is_authenticated:
        return None
    return (
        CallApplication.objects.select_related("call__organization")
        .filter(pk=application_id, applicant=user)
        .first()
    )


@transaction.atomic
def application_withdraw(*, user, application):
    """The applicant takes back their application before the decision: it goes with its
    answers, reviews and attachments (their files once this commits, ``receivers``), and the
    call's managers are told."""
    application = (
        CallApplication.objects.select_for_update(of=("self",))
        .select_related("call__organization")
        .get(pk=application.pk)
    )
    if application.applicant_id != user.pk:
        raise PermissionDenied(_("Only the applicant withdraws their application."))
    if application.status != CallApplication.Status.SUBMITTED:
        raise ValidationError(
            _("This application is decided already: it can no longer be withdrawn.")
        )
    call = application.call
    application.delete()
    call_audit(call, audit.CALL_WITHDRAW, by=user, person=user)
    name = user.get_full_name() or user.get_username()

    def render():
        return _("%(name)s withdrew their application to the call “%(call)s”") % {
            "name": name,
            "call": call.title,
        }, ""

    notification_create_many(
        users=[person for person in call_managers(call) if person.pk != user.pk],
        kind="volunteers.call_application",
        render=render,
        url=reverse("calls:call_applications", args=[call.pk]),
        about=call.organization_id,
    )


def withdrawals_of_call(call, *, limit=200):
    """The applications withdrawn from ``call`` before the decision, newest first, as
    ``[{"name", "at"}]``: an application goes when withdrawn, its audit entry stays (one
    query)."""
    if call.organization_id is not None:
        entries = PageLogEntry.objects.filter(page_id=call.organization_id, data__call=call.pk)
    else:
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Call), object_id=str(call.pk)
        )
    return [
        {
            "name": (entry.data.get("person") or {}).get("name") or _("former member"),
            "at": entry.timestamp,
        }
        for entry in entries.filter(action=audit.CALL_WITHDRAW).order_by("-timestamp", "-pk")[
            :limit
        ]
    ]


def attachments_by_application(call):
    """``{application id: [attachment, ...]}`` for the whole call, in one query."""
    found = {}
    for attachment in CallAttachment.objects.filter(application__call=call):
        found.setdefault(attachment.application_id, []).append(attachment)
    return found


def attachment_get_for_user(user, attachment_id):
    """The attachment if ``user`` is its applicant, a reviewer assigned to its application or
    a manager of its call; else None (others do not learn it exists)."""
    if not user.is_authenticated:
        return None
    attachment = (
        CallAttachment.objects.select_related("application__call").filter(pk=attachment_id).first()
    )
    if attachment is None:
        return None
    application = attachment.application
    if (
        application.applicant_id == user.pk
        or CallReview.objects.filter(application=application, reviewer=user).exists()
        or can_manage(user, application.call)
    ):
        return attachment
    return None


@transaction.atomic
def review_assign(*, user, application, username):
    if not can_manage(user, application.call):
        raise PermissionDenied(_("Only the call's managers assign reviewers."))
    reviewer = get_user_model().objects.filter(username=(username or "").strip()).first()
    if reviewer is None:
        raise ValidationError(_("Nobody has that username."))
    if reviewer.pk == application.applicant_id:
        raise ValidationError(_("Applicants do not review their own application."))
    review, created = CallReview.objects.get_or_create(application=application, reviewer=reviewer)
    if created:
        call = application.call
        call_audit(call, audit.CALL_REVIEWER, by=user, person=reviewer)

        def render():
            return _("You are asked to review an application to “%(call)s”") % {
                "call": call.title
            }, ""

        notification_create(
            user=reviewer,
            kind="volunteers.call_review",
            render=render,
            url=reverse("calls:review_submit", args=[review.pk]),
            about=call.organization_id,
        )
    return review


@transaction.atomic
def review_submit(*, user, review, score=None, comment="", criterion_scores=None):
    """A call with a rubric is scored per criterion (``criterion_scores`` maps criterion ids
    to 1–5, every criterion required); a call without one keeps the single ``score``."""
    if review.reviewer_id != user.pk:
        raise PermissionDenied(_("Only the assigned reviewer scores this application."))
    if review.application.status != CallApplication.Status.SUBMITTED:
        raise ValidationError(_("This application is decided already."))
    criteria = list(CallCriterion.objects.filter(call_id=review.application.call_id))
    rows = []
    if criteria:
        criterion_scores = criterion_scores or {}
        for criterion in criteria:
            value = criterion_scores.get(criterion.pk)
            if value is None or not 1 <= int(value) <= 5:
                raise ValidationError(
                    _("Score “%(criterion)s” from 1 to 5.") % {"criterion": criterion.name}
                )
            rows.append(CriterionScore(review=review, criterion=criterion, score=int(value)))
        score = None
    elif score is None:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    review.score = score
    review.comment = (comment or "").strip()
    review.submitted_at = timezone.now()
    review.full_clean()
    review.save()
    if criteria:
        CriterionScore.objects.filter(review=review).delete()
        CriterionScore.objects.bulk_create(rows)
    call_audit(review.application.call, audit.CALL_REVIEW, by=user, person=user)
    return review


@transaction.atomic
def application_decide(*, user, application, accept, feedback=""):
    if not can_manage(user, application.call):
        raise PermissionDenied(_("Only the call's managers decide."))
    application = CallApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != CallApplication.Status.SUBMITTED:
        raise ValidationError(_("This application is decided already."))
    application.status = (
        CallApplication.Status.ACCEPTED if accept else CallApplication.Status.DECLINED
    )
    application.feedback = (feedback or "").strip()
    application.save(update_fields=["status", "feedback"])
    call = application.call
    call_audit(
        call, audit.CALL_DECIDE, by=user, person=application.applicant, role=application.status
    )
    accepted = application.status == CallApplication.Status.ACCEPTED

    def render():
        if accepted:
            title = _("Your application to “%(call)s” is accepted")
        else:
            title = _("Your application to “%(call)s” is declined")
        return title % {"call": call.title}, application.feedback

    notification_create(
        user=application.applicant,
        kind="volunteers.call_decision",
        render=render,
        url=reverse("calls:call_detail", args=[call.pk]),
        about=call.organization_id,
    )
    return application
