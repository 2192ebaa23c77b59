"""Reads for profiles: one's own profile page, a person's card, completeness."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.selectors import memberships_of_user
from projects.selectors import team_memberships_of_user

from .models import Profile

# What a complete profile has, in the order the page suggests adding it.
COMPLETENESS = (
    ("name", _("your name")),
    ("photo", _("a photo")),
    ("languages", _("the languages you speak")),
    ("skills", _("your skills")),
    ("bio", _("a short bio")),
)


def profile_of(user):
    """The person's profile, or an unsaved empty one when they have not written it yet."""
    profile = Profile.objects.select_related("photo").filter(user=user).first()
    return profile or Profile(user=user)


def profile_missing(user, profile):
    """The labels of what the profile still lacks, in the order to add them."""
    present = {
        "name": bool(user.first_name.strip() and user.last_name.strip()),
        "photo": bool(profile.photo_id),
        "languages": bool(profile.languages.strip()),
        "skills": bool(profile.skills.strip()),
        "bio": bool(profile.bio.strip()),
    }
    return [label for key, label in COMPLETENESS if not present[key]]


def profile_completeness(user, profile):
    """Per cent of the profile filled in (0-100)."""
    return round(
        100 * (len(COMPLETENESS) - len(profile_missing(user, profile))) / len(COMPLETENESS)
    )


def profile_page(user):
    """Everything the person's own profile page shows."""
    profile = profile_of(user)
    return {
        "profile": profile,
        "missing": profile_missing(user, profile),
        "completeness": profile_completeness(user, profile),
        "memberships": memberships_of_user(user),
        "team_rows": team_memberships_of_user(user),
    }


def person_card(viewer, user_id):
    """A person's card for a signed-in viewer, or None when it is not theirs to see.

    Shown only when its owner chose to show it (or to the owner): a card someone hides and
    a person who does not exist look the same.
    """
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return None
    profile = profile_of(person)
    if person != viewer and not profile.shown:
        return None
    return {
        "person": person,
        "profile": profile,
        "memberships": [m for m in memberships_of_user(person) if m.organization.live],
    }


def card_urls(user_ids):
    """``{user_id: url}`` of the shown cards among ``user_ids``, in one query."""
    shown = Profile.objects.filter(
        user_id__in=user_ids, shown=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return {user_id: reverse("portal:person", args=[user_id]) for user_id in shown}


def mentor_profiles(user_ids):
    """The skills and languages of the people among ``user_ids`` who show their card, in one
    query: the training programmes match mentors to learners with them."""
    return {
        profile.user_id: {
            "skills": profile.skill_list(),
            "languages": profile.language_list(),
        }
        for profile in Profile.objects.filter(user_id__in=user_ids, shown=True)
    }


def personal_data(user):
    profile = Profile.objects.filter(user=user).select_related("photo").first()
    if profile is None:
        return {}
    return {
        "photo": profile.photo.title if profile.photo_id else None,
        "languages": profile.languages,
        "skills": profile.skills,
        "bio": profile.bio,
        "shown": profile.shown,
        "updated_at": profile.updated_at.isoformat(),
    }
