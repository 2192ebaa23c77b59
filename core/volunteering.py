"""The volunteer network as other apps see it: who offers to mentor, and time given elsewhere
that counts as volunteering. The kernel keeps the two hooks; the app that keeps volunteers
answers them, the apps that need them call the functions below, and neither imports the other.

``volunteer_mentors`` — an answer takes ``user_ids`` (a set, or None for everyone) and returns,
in a fixed number of queries, the people who said they are open to mentoring young people::

    {user_id: {
        "user": User,                         # the account
        "skills": ["Python", "design"],       # as the person wrote them
        "languages": ["Català", "English"],
        "availability": "weekday evenings",   # free text
        "sector_ids": [3, 7],                 # taxonomy.Sector ids they care about
        "about": "University of Girona · Computer science",   # one line, may be empty
    }}

``volunteer_time_ledger`` — an answer is an object with ``record(given)`` (store or update the
``GivenTime`` under its key; return True when the person has a place to keep it, False when
not) and ``withdraw(key)`` (remove what was recorded under that key, if anything). Time given
is recorded as given, already checked by the app where it happened.

``volunteer_left`` — the app that keeps volunteers sends it when one leaves the network.

``volunteer_mentoring_withdrawn`` — the same app sends it when one stays in the network but is
no longer open to mentoring young people: what they were given as a mentor ends as when they
leave.
"""

from dataclasses import dataclass
from datetime import date

from django.dispatch import Signal
from wagtail import hooks

MENTORS_HOOK = "volunteer_mentors"
LEDGER_HOOK = "volunteer_time_ledger"

# Sent after commit when a person leaves the volunteer network (kwargs: user_id): whatever they
# were given as a volunteer of the network (a learner to mentor) ends; the hours stay.
volunteer_left = Signal()

# Sent after commit when a volunteer is no longer open to mentoring young people (kwargs:
# user_id): the learners they mentor as a volunteer of the network end as with ``volunteer_left``.
volunteer_mentoring_withdrawn = Signal()


@dataclass(frozen=True)
class GivenTime:
    key: str  # stable per source row, e.g. "training.checkin:42"; at most 80 characters
    user_id: int
    day: date
    minutes: int
    source: str  # where it was given, as a line a certificate can print (at most 200)
    note: str = ""  # what was done (at most 500)


def volunteer_mentors(user_ids=None):
    """``{user_id: profile}`` of the people open to mentoring, from every app that keeps
    volunteers; ``user_ids`` narrows it to those people."""
    if user_ids is not None:
        user_ids = set(user_ids)
        if not user_ids:
            return {}
    found = {}
    for answer in hooks.get_hooks(MENTORS_HOOK):
        for user_id, profile in answer(user_ids).items():
            found.setdefault(user_id, profile)
    return found


def _ledgers():
    return [make() for make in hooks.get_hooks(LEDGER_HOOK)]


def volunteer_time_record(given):
    """Record ``given`` in the volunteers' ledgers; True when one of them kept it."""
    kept = False
    for ledger in _ledgers():
        kept = ledger.record(given) or kept
    return kept


def volunteer_time_withdraw(key):
    """Remove what the ledgers recorded under ``key`` (a source row that is gone)."""
    for ledger in _ledgers():
        ledger.withdraw(key)
