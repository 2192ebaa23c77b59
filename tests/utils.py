"""Build test data through the services, as users would cause it."""

import dataclasses
import itertools
from contextlib import contextmanager

from django.db import transaction

from partners.services import membership_add, organization_apply, organization_approve
from projects.services import (
    participation_accept,
    participation_invite,
    project_approve,
    project_propose,
    team_add,
)
from tests.base_content import ensure_base_content
from tests.factories import UserFactory

_numbers = itertools.count(1)


def editor():
    from django.contrib.auth.models import Group

    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def approved_organization(admin=None, title=None, **fields):
    admin = admin or UserFactory()
    title = title or f"Org {next(_numbers)} of {admin.username}"
    organization = organization_apply(user=admin, title=title, **fields)
    return organization_approve(organization=organization, user=editor())


def organization_with_member(admin=None, member=None, **fields):
    organization = approved_organization(admin=admin, **fields)
    member = member or UserFactory()
    membership_add(organization=organization, user=member)
    return organization, member


def approved_project(coordinator=None, lead=None, title="Digital skills for young people", **f):
    coordinator = coordinator or UserFactory()
    lead = lead or approved_organization(admin=coordinator)
    project = project_propose(user=coordinator, lead_organization=lead, title=title, **f)
    return project_approve(project=project, user=editor())


def project_with_partner_on_team(coordinator=None, partner_admin=None, member=None):
    """A published project with one active partner organization whose member is on the team."""
    coordinator = coordinator or UserFactory()
    project = approved_project(coordinator=coordinator)
    partner, member = organization_with_member(admin=partner_admin, member=member)
    participation = participation_invite(project=project, organization=partner, user=coordinator)
    partner_admin = partner.memberships.filter(role="admin").order_by("pk").first().user
    participation_accept(participation=participation, user=partner_admin)
    team_add(project=project, user=member, organization=partner, added_by=coordinator)
    return project, partner, member


@contextmanager
def rolled_back(django_db_blocker):
    """Data built once for a whole module, inside a transaction rolled back at its end.

    Building through the services takes seconds; each test then runs in its own savepoint
    (pytest-django's ``db``) inside this outer transaction, so tests cannot see each other's
    changes and nothing leaks to other modules. Module-scoped fixtures are set up before the
    function-scoped ``db`` one, so the nesting is always module → test.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_base_content()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def reread(data):
    """``data`` (an object, or a dict or list of them) read again from the database, so a
    test that changes module-built objects in memory leaves nothing behind for the next."""
    if dataclasses.is_dataclass(data):
        return dataclasses.replace(
            data,
            **{
                field.name: reread(getattr(data, field.name)) for field in dataclasses.fields(data)
            },
        )
    if isinstance(data, dict):
        return {key: reread(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(reread(value) for value in data)
    if hasattr(data, "pk") and hasattr(type(data), "objects"):
        return type(data).objects.get(pk=data.pk)
    return data


def vocabulary(*names):
    """The approved tags ``names``, as editors keep them: what members type of these is no
    proposal (``taxonomy``)."""
    from taggit.models import Tag

    return [Tag.objects.get_or_create(name=name)[0] for name in names]
