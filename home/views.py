from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from wagtail import hooks


@login_required
def dashboard(request):
    """The signed-in person's portal home.

    Each app contributes its panels through the ``portal_dashboard_panels`` Wagtail hook: a
    function taking the request and returning rendered HTML (or ``""`` to show nothing), so the
    dashboard knows no app's internals.
    """
    panels = [panel for fn in hooks.get_hooks("portal_dashboard_panels") if (panel := fn(request))]
    return render(request, "portal/dashboard.html", {"panels": panels})
