"""Page behaviour given from above ``models.py``, through a Wagtail hook.

A page model's ``serve``, ``route`` and ``get_context`` need its app's directory, selectors or
permission checks, and every one of those imports the models: importing them from
``models.py`` (even inside a method) makes a circle of files. So the model names a hook and
calls :func:`call`; the app's ``wagtail_hooks.py`` registers the one function that answers it,
the way the house's lower layers learn of higher ones (``portal_dashboard_panels``,
``register_personal_data``)::

    # projects/models.py
    context.update(page_hooks.call("projects_directory_context", request))

    # projects/wagtail_hooks.py
    hooks.register("projects_directory_context", directory.directory_context)
"""

from django.core.exceptions import ImproperlyConfigured
from wagtail import hooks


def call(name, *args, **kwargs):
    """Call the one function registered for the hook ``name``."""
    functions = hooks.get_hooks(name)
    if len(functions) != 1:
        raise ImproperlyConfigured(
            f"Exactly one function must answer the page hook {name!r}; "
            f"{len(functions)} are registered."
        )
    return functions[0](*args, **kwargs)
