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


@hooks.register(HOOK)
def preferences_personal_data():
    return PersonalData(
        section="notification_preferences",
        export=personal_data.preferences_export,
        models=(
            "notifications.KindPreference",
            "notifications.DigestSettings",
            "notifications.DigestRun",
        ),
    )


@hooks.register(HOOK)
def mail_personal_data():
    return PersonalData(
        section="mail_log",
        export=personal_data.mail_export,
        forget=personal_data.mail_forget,
        models=("notifications.OutgoingMail", "notifications.BouncedAddress"),
    )
