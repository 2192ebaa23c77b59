"""Figures other apps add to the cluster's page of figures (``/cluster/``).

An app that can count something about the whole cluster answers the
``register_cluster_figures`` hook in its ``wagtail_hooks.py`` with a :class:`ClusterFigure`;
the page lists each one as a table and offers it as CSV, without knowing the app::

    @hooks.register("register_cluster_figures")
    def social_value_figure():
        return ClusterFigure(
            name="social-value",
            label=_("Social value of published SROI reports"),
            columns=(_("Project"), _("Social value")),
            rows=selectors.social_value_rows,  # () -> list of tuples, constant queries
        )
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

HOOK = "register_cluster_figures"


@dataclass(frozen=True)
class ClusterFigure:
    name: str  # a slug: the CSV is /cluster/<name>.csv
    label: str
    columns: tuple
    rows: Callable  # () -> list of tuples, one per row, in the order of ``columns``
    note: str = ""


def registered_figures():
    """Every registered figure, by name."""
    return {figure.name: figure for figure in (fn() for fn in hooks.get_hooks(HOOK)) if figure}
