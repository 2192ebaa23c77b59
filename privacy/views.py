import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import ratelimit

from .forms import AccountDeleteForm
from .selectors import latest_consent, personal_data
from .services import account_delete, account_deletion_refusal


def notice(request):
    return render(request, "privacy/notice.html", {"version": settings.PRIVACY_NOTICE_VERSION})


def _privacy_page(request, form, status=200):
    return render(
        request,
        "privacy/privacy_page.html",
        {
            "consent": latest_consent(request.user),
            "refusal": account_deletion_refusal(request.user),
            "form": form,
        },
        status=status,
    )


@login_required
def privacy_page(request):
    return _privacy_page(request, AccountDeleteForm(user=request.user))


@login_required
@ratelimit("privacy_export", key="user", methods=("GET",))
def export(request):
    data = json.dumps(personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="social-cluster-{request.user.pk}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@ratelimit("account_delete", key="user")
def delete(request):
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _privacy_page(request, form, status=400)
    try:
        account_delete(user=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _privacy_page(request, form, status=400)
    logout(request)
    messages.success(request, _("Your account and your personal data have been deleted."))
    return redirect("/")
