"""Personal data, registered by the app that holds it.

Each app that keeps something about a person returns a :class:`PersonalData` from a
``register_personal_data`` hook in its ``wagtail_hooks.py`` (the way ``register_permission_sync``
works)::

    @hooks.register("register_personal_data")
    def personal_data():
        return PersonalData(
            section="team_memberships",
            models=("projects.TeamMembership",),
            export=selectors.personal_data,       # user -> JSON-ready list or dict
            forget=services.personal_data_forget,  # (user, context) -> None
        )

``privacy`` only orchestrates: the export is one section per registration, and deleting an
account calls every ``forget`` (lowest ``order`` first) inside one transaction before the user
row goes. ``models`` names every model of the app with a foreign key to the user model (or
holding their e-mail) that the registration covers; a test fails when one is left out
(``tests/privacy/test_coverage.py``). ``refuse`` says why the account cannot go yet (e.g. it
is the last admin of an organization), before anything is deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks

HOOK = "register_personal_data"


@dataclass(frozen=True)
class ForgetContext:
    """What every ``forget`` needs to find the person in others' records."""

    user: object
    emails: frozenset  # their addresses, lower-cased
    former: str  # the label that replaces their name ("former member", translated)
    identifiers: tuple = ()  # what names them (full name, @username, e-mails), longest first


@dataclass(frozen=True)
class PersonalData:
    section: str
    export: Callable
    forget: Callable | None = None
    models: tuple = ()
    order: int = 100  # forget order: teams before memberships, memberships before the account
    also_covers: tuple = field(default=())  # models outside the app this registration handles
    refuse: Callable | None = None  # user -> a translated reason to refuse deletion, or None


def when(value):
    """A date or time as the export writes it."""
    return value.isoformat() if value else None


def registrations():
    """Every app's registration, in forget order."""
    found = [fn() for fn in hooks.get_hooks(HOOK)]
    return sorted(found, key=lambda r: (r.order, r.section))


def person_emails(user, *, verified=True):
    """The person's addresses, lower-cased: their login one and their (verified) allauth ones.

    Exports show only what was sent to an address they proved they own; forgetting takes
    every address they gave (``verified=False``).
    """
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user=user)
    if verified:
        rows = rows.filter(verified=True)
    emails = {email.lower() for email in rows.values_list("email", flat=True)}
    if user.email:
        emails.add(user.email.lower())
    return frozenset(emails)
