"""What notifications holds about a person: the privacy export and account deletion."""

from wagtail import hooks

from core.personal_data import HOOK, PersonalData

from . import personal_data


@hooks.register(HOOK)
def notifications_personal_data():
    return PersonalData(
        section="notifications",
        export=personal_data.notifications_export,
        forget=personal_data.notifications_forget,
        models=("notifications.Notification",),
        order=40,
    )


@hooks.register(HOOK)
def language_personal_data():
    return PersonalData(
        section="language_preference",
        export=personal_data.language_preference_export,
        models=("notifications.LanguagePreference",),
    )
