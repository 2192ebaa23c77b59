"""Reads about projects that depend on who is asking."""

from cluster.roles import is_editor


def can_view_project(user, project):
    if project.live:
        return True
    return is_editor(user) or user.has_perm("projects.view_project_draft", project)


def can_enter_workspace(user, project):
    return user.has_perm("projects.enter_workspace", project)


def can_coordinate(user, project):
    return user.has_perm("projects.coordinate_project", project)
