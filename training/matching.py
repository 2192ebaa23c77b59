"""Mentors suggested for a learner, best first, each with the reasons.

The candidates are the programme's staff (members of the project's team, from its social
entity, company or university partners). What they offer comes from the profiles people keep
elsewhere in the portal, which this app does not import: an app holding such a profile (the
volunteer network, people's profiles) answers the hook ``training_mentor_profiles`` with a
function taking a set of user ids and returning, in a fixed number of queries::

    {user_id: {
        "skills": ["Python", "design"],       # as the person wrote them
        "languages": ["Català", "English"],
        "availability": "weekday evenings",   # free text
        "sector_ids": [3, 7],                 # taxonomy.Sector ids they care about
    }}

Beside the staff, the volunteer network offers the adult volunteers who said they are open to
mentoring young people (``core.volunteering.volunteer_mentors``), ranked by the same rules;
the network answers with what they offer, so it is not asked again through the hook above.

A learner is matched on their interests and their cohorts' session topics (against the
mentor's skills), the languages they speak and their cohorts' languages, their sectors of
interest (against the mentor's and their organization's) and when they are free. A mentor who
shares nothing is still listed, last, so the coordinator sees everyone they may choose.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from wagtail import hooks

from core.volunteering import volunteer_mentors
from projects.models import TeamMembership

from .models import Learner, Mentorship, ProgrammePartner, Session, StaffMember

HOOK = "training_mentor_profiles"

POINTS = {"skill": 10, "language": 5, "sector": 3, "availability": 2}

# Language names as people write them, in the portal's languages, by language code.
LANGUAGE_NAMES = {
    "ca": ("ca", "catalan", "català", "catala", "catalán"),
    "es": ("es", "spanish", "español", "espanol", "castellano", "castellà", "castella"),
    "en": ("en", "english", "inglés", "ingles", "anglès", "angles"),
}
# Words a free-text availability uses for each of the learner's choices.
AVAILABILITY_WORDS = {
    Learner.Availability.MORNINGS: ("morning", "mañana", "matí", "mati", "matins"),
    Learner.Availability.AFTERNOONS: ("afternoon", "tarde", "tarda"),
    Learner.Availability.EVENINGS: ("evening", "night", "noche", "vespre", "nit"),
    Learner.Availability.WEEKENDS: (
        "weekend",
        "week-end",
        "saturday",
        "sunday",
        "fin de semana",
        "fines de semana",
        "cap de setmana",
        "caps de setmana",
        "sábado",
        "dissabte",
    ),
}


def terms(text):
    """{lower case: as written} of a comma-, semicolon- or line-separated list."""
    found = {}
    for term in re.split(r"[,;\n]", text or ""):
        term = term.strip()
        if term:
            found.setdefault(term.lower(), term)
    return found


def _language_code(name):
    name = name.strip().lower()
    for code, names in LANGUAGE_NAMES.items():
        if name in names:
            return code
    return name


NETWORK_SHOWN = 20


@dataclass
class Candidate:
    staff: StaffMember = None  # None for a volunteer of the network
    organization: object = None
    partner_role: str = ""
    mentees: int = 0
    reasons: list = field(default_factory=list)
    score: int = 0
    volunteer: object = None  # the account of a volunteer of the network
    about: str = ""

    @property
    def user(self):
        return self.staff.user if self.staff is not None else self.volunteer


def mentor_profiles(user_ids):
    """What the apps that keep profiles know of these people, merged per person."""
    merged = {}
    if not user_ids:
        return merged
    for answer in hooks.get_hooks(HOOK):
        for user_id, profile in answer(set(user_ids)).items():
            into = merged.setdefault(
                user_id, {"skills": [], "languages": [], "availability": "", "sector_ids": set()}
            )
            into["skills"].extend(profile.get("skills", ()))
            into["languages"].extend(profile.get("languages", ()))
            into["availability"] = " ".join(
                part for part in (into["availability"], profile.get("availability", "")) if part
            )
            into["sector_ids"].update(profile.get("sector_ids", ()))
    return merged


def learner_needs(learner):
    """What the learner brings to the match, in four queries."""
    cohorts = [e.cohort for e in learner.enrolments.select_related("cohort")]
    topics = Session.objects.filter(cohort__in=cohorts).values_list("topic", flat=True)
    wanted = terms(learner.interests)
    for topic in topics:
        wanted.setdefault(topic.strip().lower(), topic.strip())
    languages = {_language_code(name): name for name in terms(learner.languages).values()}
    language_labels = dict(settings.LANGUAGES)
    for cohort in cohorts:
        languages.setdefault(cohort.language, language_labels.get(cohort.language))
    sectors = {sector.pk: sector for sector in learner.sectors.all()}
    return wanted, languages, sectors


def mentor_candidates(learner, *, needs=None):
    """The programme's staff as mentors for ``learner``, best match first, with the reasons;
    in a fixed number of queries whatever the number of staff. ``needs``: what
    ``learner_needs`` gave, when the caller has it already."""
    programme = learner.programme
    wanted, languages, sectors = needs or learner_needs(learner)
    staff = list(
        StaffMember.objects.filter(programme=programme)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "pk")
    )
    user_ids = {s.user_id for s in staff}
    team = {
        row.user_id: row.organization
        for row in TeamMembership.objects.filter(
            project_id=programme.project_id, user_id__in=user_ids
        )
        .select_related("organization")
        .prefetch_related("organization__sectors")
    }
    roles = dict(
        ProgrammePartner.objects.filter(programme=programme).values_list("organization_id", "role")
    )
    role_labels = dict(ProgrammePartner.Role.choices)
    load = dict(
        Mentorship.objects.filter(
            programme=programme, mentor_id__in=user_ids, ended_on__isnull=True
        )
        .exclude(learner=learner)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    profiles = mentor_profiles(user_ids)
    candidates = []
    for member in staff:
        organization = team.get(member.user_id)
        candidate = Candidate(
            staff=member,
            organization=organization,
            partner_role=organization and role_labels.get(roles.get(organization.pk), "") or "",
            mentees=load.get(member.user_id, 0),
        )
        profile = profiles.get(member.user_id, {})
        _explain(candidate, profile, organization, wanted, languages, sectors, learner)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, c.mentees))
    return candidates


def _explain(candidate, profile, organization, wanted, languages, sectors, learner):
    skills = {}
    for skill in profile.get("skills", ()):
        skills.setdefault(skill.strip().lower(), skill.strip())
    shared_skills = [skills[key] for key in wanted if key in skills]
    if shared_skills:
        candidate.score += POINTS["skill"] * len(shared_skills)
        candidate.reasons.append(
            _("Knows what the learner wants to learn: %(skills)s.")
            % {"skills": ", ".join(shared_skills)}
        )
    spoken = {_language_code(name) for name in profile.get("languages", ())}
    shared_languages = [label for code, label in languages.items() if code in spoken]
    if shared_languages:
        candidate.score += POINTS["language"]
        candidate.reasons.append(
            _("Speaks %(languages)s, like the learner.")
            % {"languages": ", ".join(shared_languages)}
        )
    their_sectors = set(profile.get("sector_ids", ()))
    if organization is not None:
        their_sectors |= {sector.pk for sector in organization.sectors.all()}
    shared_sectors = [
        sector.localized_name for pk, sector in sectors.items() if pk in their_sectors
    ]
    if shared_sectors:
        candidate.score += POINTS["sector"] * len(shared_sectors)
        candidate.reasons.append(
            _("Works in or cares about %(sectors)s.") % {"sectors": ", ".join(shared_sectors)}
        )
    availability = (profile.get("availability") or "").lower()
    if learner.availability and any(
        word in availability for word in AVAILABILITY_WORDS[learner.availability]
    ):
        candidate.score += POINTS["availability"]
        candidate.reasons.append(
            _("Free when the learner is: %(when)s.") % {"when": learner.get_availability_display()}
        )


def network_candidates(learner, *, needs=None, staff_ids=None, limit=NETWORK_SHOWN):
    """Volunteers of the network open to mentoring who are not on the programme's staff, as
    mentors for ``learner``, best match first, with the reasons; the best ``limit`` only. In a
    fixed number of queries whatever the number of volunteers (``needs`` and ``staff_ids``,
    when the caller has them, spare a few)."""
    programme = learner.programme
    wanted, languages, sectors = needs or learner_needs(learner)
    if staff_ids is None:
        staff_ids = set(
            StaffMember.objects.filter(programme=programme).values_list("user_id", flat=True)
        )
    offered = {
        user_id: profile
        for user_id, profile in volunteer_mentors().items()
        if user_id not in staff_ids
    }
    load = dict(
        Mentorship.objects.filter(mentor_id__in=offered, ended_on__isnull=True)
        .exclude(learner=learner)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    candidates = []
    for user_id, profile in offered.items():
        candidate = Candidate(
            volunteer=profile["user"], about=profile.get("about", ""), mentees=load.get(user_id, 0)
        )
        _explain(candidate, profile, None, wanted, languages, sectors, learner)
        candidates.append(candidate)
    candidates.sort(
        key=lambda c: (
            -c.score,
            c.mentees,
            c.user.get_full_name() or c.user.get_username(),
            c.user.pk,
        )
    )
    return candidates[:limit]


def is_network_mentor(user_id):
    """Whether the volunteer network offers this person as a mentor now."""
    return user_id in volunteer_mentors({user_id})
