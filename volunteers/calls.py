"""Calls for social entrepreneurship: reads and writes.

Who manages a call: the admins of the organization that opened it and the cluster's editors
(``can_manage``). Reviewers are assigned to single applications and see only those.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_editor
from partners.selectors import organization_ids_administered

from .models import Call, CallApplication, CallReview


def can_manage(user, call):
    if not user.is_authenticated:
        return False
    if is_editor(user):
        return True
    return call.organization_id in organization_ids_administered(user)


def can_open_calls(user):
    return user.is_authenticated and (is_editor(user) or bool(organization_ids_administered(user)))


def call_list():
    return Call.objects.select_related("organization").annotate(
        application_count=Count("applications")
    )


def applications_of_call(call):
    return (
        CallApplication.objects.filter(call=call)
        .select_related("applicant")
        .annotate(average=Avg("reviews__score"), review_count=Count("reviews"))
    )


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
    return call


@transaction.atomic
def application_submit(*, user, call, team, proposal):
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to apply."))
    if call.deadline < timezone.localdate():
        raise ValidationError(_("This call is closed."))
    if CallApplication.objects.filter(call=call, applicant=user).exists():
        raise ValidationError(_("You have applied to this call already."))
    application = CallApplication(
        call=call, applicant=user, team=(team or "").strip(), proposal=(proposal or "").strip()
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def review_assign(*, user, application, username):
    if not can_manage(user, application.call):
        raise PermissionDenied(_("Only the call's managers assign reviewers."))
    reviewer = get_user_model().objects.filter(username=(username or "").strip()).first()
    if reviewer is None:
        raise ValidationError(_("Nobody has that username."))
    if reviewer.pk == application.applicant_id:
        raise ValidationError(_("Applicants do not review their own application."))
    review, _created = CallReview.objects.get_or_create(application=application, reviewer=reviewer)
    return review


@transaction.atomic
def review_submit(*, user, review, score, comment=""):
    if review.reviewer_id != user.pk:
        raise PermissionDenied(_("Only the assigned reviewer scores this application."))
    if review.application.status != CallApplication.Status.SUBMITTED:
        raise ValidationError(_("This application is decided already."))
    review.score = score
    review.comment = (comment or "").strip()
    review.submitted_at = timezone.now()
    review.full_clean()
    review.save()
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
    return application
