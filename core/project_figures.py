"""Headline figures other apps give about projects, shown where another app speaks of a
project without knowing the one that counts (a case study names its project's SROI).

An app answers the ``project_headline_figures`` hook in its ``wagtail_hooks.py`` with a
function ``(projects) -> {project_id: [ProjectFigure, ...]}`` that reads every project given
in a fixed number of queries::

    @hooks.register("project_headline_figures")
    def sroi_figures(projects):
        return {project.pk: [ProjectFigure(label=_("SROI ratio"), value="3.20 : 1")]}
"""

from dataclasses import dataclass

from wagtail import hooks

HOOK = "project_headline_figures"


@dataclass(frozen=True)
class ProjectFigure:
    label: str
    value: str
    url: str = ""  # where the figure is explained (an open report)


def project_headline_figures(projects):
    """``{project_id: [ProjectFigure, ...]}`` from every app, for ``projects``."""
    projects = list(projects)
    figures = {}
    if not projects:
        return figures
    for answer in hooks.get_hooks(HOOK):
        for project_id, rows in answer(projects).items():
            figures.setdefault(project_id, []).extend(rows)
    return figures
