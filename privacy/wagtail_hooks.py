from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from core.personal_data import HOOK, PersonalData

from . import personal_data


@hooks.register("insert_global_admin_js")
def admin_widget_initialiser():
    """Run the widget set-up Wagtail writes in inline scripts (static/js/wagtail-admin-init.js).

    Registered here, with the rest of the security work, because the Content Security Policy
    is what forbids those inline scripts.
    """
    return format_html('<script src="{}"></script>', static("js/wagtail-admin-init.js"))


@hooks.register("portal_dashboard_panels", order=900)
def privacy_panel(request):
    return render_to_string("privacy/includes/dashboard_panel.html", request=request)


@hooks.register(HOOK)
def profile_personal_data():
    # The account row's own links: its groups, permissions and Wagtail admin preferences.
    return PersonalData(
        section="profile",
        export=personal_data.profile_export,
        forget=personal_data.profile_forget,
        also_covers=(
            get_user_model().groups.through._meta.label,
            get_user_model().user_permissions.through._meta.label,
            "wagtailusers.UserProfile",
        ),
        order=1000,
    )


@hooks.register(HOOK)
def email_addresses_personal_data():
    return PersonalData(
        section="email_addresses",
        export=personal_data.email_addresses_export,
        also_covers=("account.EmailAddress",),
    )


@hooks.register(HOOK)
def consents_personal_data():
    return PersonalData(
        section="consents", export=personal_data.consents_export, models=("privacy.Consent",)
    )
