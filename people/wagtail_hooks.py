from django.template.loader import render_to_string
from wagtail import hooks

from core.person_cards import HOOK as PERSON_CARDS_HOOK
from core.personal_data import PersonalData

from . import selectors, services


@hooks.register("portal_dashboard_panels", order=5)
def profile_nudge_panel(request):
    """/portal/: a next step while the profile lacks a name, a photo or the rest."""
    profile = selectors.profile_of(request.user)
    missing = selectors.profile_missing(request.user, profile)
    if not missing:
        return ""
    return render_to_string(
        "people/includes/dashboard_panel.html",
        {
            "missing": missing,
            "completeness": selectors.profile_completeness(request.user, profile),
        },
        request=request,
    )


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="profile_details",
        models=("people.Profile",),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=50,
    )


@hooks.register(PERSON_CARDS_HOOK)
def person_card_urls(user_ids):
    """Team and member lists link the cards of the people who chose to show one."""
    return selectors.card_urls(user_ids)


@hooks.register("training_mentor_profiles")
def mentor_profiles(user_ids):
    """Skills and languages from the cards people show, for matching mentors to learners in
    the training programmes (the contract is in ``training.matching``)."""
    return selectors.mentor_profiles(user_ids)
