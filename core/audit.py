"""The audit trail: who changed who may do what, kept in Wagtail's log (``PageLogEntry``).

Each app's services record their changes of memberships, roles, invitations, participations
and teams with ``audit_record`` on the page concerned (the organization's PartnerPage, the
project's ProjectPage), in the same transaction as the change. Approvals and rejections are
Wagtail's own workflow entries on the same pages. Editors read everything in the admin's site
history report (filter by action); an organization's admins read its entries in the portal.

Conventions of ``data``, so that any app's entry can be found and shown without queries:

- ``organization``: the id of the organization the change is about (entries on a project page
  about one partner carry it too: the organization's activity is filtered on it), and
  ``organization_name`` its name at the time;
- ``person``: ``{"id", "name"}`` of the person whose access changed; ``email`` for an invited
  address. Deleting an account blanks these (``audit_forget``), the actor (``user``) is
  shown as "former member" once the account is gone.

Actions are registered by each app through Wagtail's ``register_log_actions`` hook, with an
``AuditFormatter`` subclass that builds a translated sentence from ``data``.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry, PageLogEntry

from .personal_data import person_emails, when


def person_data(user):
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def audit_record(page, action, *, user=None, organization=None, person=None, **data):
    """Add one entry to ``page``'s log; ``user`` is who acted (None: the portal itself)."""
    if organization is not None:
        data["organization"] = organization.pk
        data["organization_name"] = organization.title
    if person is not None:
        data["person"] = person_data(person)
    return log(page, action, user=user, data=data)


class AuditFormatter(LogFormatter):
    """A formatter whose ``message`` is a translated template filled from ``data``.

    ``template`` is a callable (``gettext_lazy`` strings are fine) with the placeholders
    ``person``, ``email``, ``role``, ``old_role``, ``organization`` and ``detail``.
    """

    template = ""
    roles = {}  # role value → translated label

    def params(self, data):
        def role(value):
            return str(self.roles.get(value, value or "")).lower()

        return {
            "person": (data.get("person") or {}).get("name") or _("former member"),
            "email": data.get("email") or _("someone"),
            "role": role(data.get("role")),
            "old_role": role(data.get("old_role")),
            "organization": data.get("organization_name") or "",
            "detail": data.get("detail") or "",
        }

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return str(self.template) % self.params(data)


def register_actions(actions, specs, *, roles=None):
    """Register ``{action: (label, template)}`` on Wagtail's log action registry.

    ``roles`` name the ``role`` values: choices (e.g. ``Membership.Role``) or a dict.
    """
    labels = dict(getattr(roles, "choices", roles or {}))
    for action, (label, template) in specs.items():
        formatter = type(
            "AuditFormatter",
            (AuditFormatter,),
            {"label": label, "template": template, "roles": labels},
        )
        actions.register_action(action)(formatter)


# Actions shown to a project's team beside its chat ("Marta uploaded minutes.pdf"): the apps
# whose work the team shares register theirs (``register_activity_actions``). The chat shows
# them beside the conversation, not inside it: the chat's wire protocol carries only people's
# messages.
ACTIVITY_ACTIONS = set()


def register_activity_actions(*actions):
    ACTIVITY_ACTIONS.update(actions)


def project_activity(page_id, *, limit=8):
    """The latest team-activity entries on ``page_id``'s log, newest first (one query)."""
    if not ACTIVITY_ACTIONS:
        return []
    return list(
        PageLogEntry.objects.filter(page_id=page_id, action__in=sorted(ACTIVITY_ACTIONS))
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )


def audit_entries_about_organization(organization_id):
    """Entries on the organization's own page, and other pages' entries about it."""
    return PageLogEntry.objects.filter(
        Q(page_id=organization_id) | Q(data__organization=organization_id)
    )


def _about(user, emails):
    query = Q(data__person__id=user.pk)
    for email in emails:
        query |= Q(data__email__iexact=email)
    return query


def audit_personal_data(user):
    """The trail's entries by or about the person, without others' names or addresses.

    Page entries (``PageLogEntry``: memberships, invitations, teams, Wagtail's edits and
    reviews), model entries (``ModelLogEntry``: snippets, and the account itself) and the
    Django admin's entries they made. Three queries.
    """
    emails = person_emails(user)
    page_entries = []
    for entry in PageLogEntry.objects.filter(Q(user_id=user.pk) | _about(user, emails)).order_by(
        "timestamp", "pk"
    ):
        data = entry.data or {}
        about = (data.get("person") or {}).get("id") == user.pk or (
            (data.get("email") or "").lower() in emails
        )
        page_entries.append(
            {
                "action": entry.action,
                "timestamp": when(entry.timestamp),
                "page": {"id": entry.page_id, "title": entry.label},
                "by_you": entry.user_id == user.pk,
                "about_you": about,
                "organization": data.get("organization_name"),
                "role": data.get("role"),
            }
        )
    user_type = ContentType.objects.get_for_model(user)
    about_account = Q(content_type=user_type, object_id=str(user.pk))
    model_entries = []
    for entry in ModelLogEntry.objects.filter(Q(user_id=user.pk) | about_account).order_by(
        "timestamp", "pk"
    ):
        about = entry.content_type_id == user_type.pk and entry.object_id == str(user.pk)
        other_person = entry.content_type_id == user_type.pk and not about
        model_entries.append(
            {
                "action": entry.action,
                "timestamp": when(entry.timestamp),
                # An editor's entry about someone else's account keeps that person's name.
                "object": None if other_person else entry.label,
                "by_you": entry.user_id == user.pk,
                "about_you": about,
            }
        )
    admin_entries = [
        {"action_time": when(row.action_time), "action_flag": row.action_flag}
        for row in LogEntry.objects.filter(user=user).order_by("action_time", "pk")
    ]
    return {"pages": page_entries, "models": model_entries, "admin": admin_entries}


def audit_forget(*, user, emails, former):
    """Account deletion: entries keep what happened, no longer who it happened to.

    The actor (``user``) of Wagtail's entries is a plain id without a database constraint:
    it stays, and shows as "former member" once the account is gone. Entries about the account
    itself are labelled with its username: the label goes too. The Django admin's entries the
    person made go with the account (their foreign key cascades).
    """
    query = _about(user, emails)
    changed = []
    for entry in PageLogEntry.objects.filter(query):
        if (entry.data.get("person") or {}).get("id") == user.pk:
            entry.data["person"] = {"id": None, "name": former}
        if (entry.data.get("email") or "").lower() in emails:
            entry.data["email"] = ""
        changed.append(entry)
    PageLogEntry.objects.bulk_update(changed, ["data"], batch_size=500)
    # Entries on objects that are not pages (e.g. a call the editors opened) say the same.
    changed = []
    for entry in ModelLogEntry.objects.filter(query):
        if (entry.data.get("person") or {}).get("id") == user.pk:
            entry.data["person"] = {"id": None, "name": former}
        if (entry.data.get("email") or "").lower() in emails:
            entry.data["email"] = ""
        changed.append(entry)
    ModelLogEntry.objects.bulk_update(changed, ["data"], batch_size=500)
    user_type = ContentType.objects.get_for_model(user)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        label=former
    )
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=former
    )


def audit_personal_data_forget(user, context):
    audit_forget(user=user, emails=context.emails, former=context.former)
