from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


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
