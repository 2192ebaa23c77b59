"""Demo notification preferences for a few of the demo accounts, so the preferences page and
the digests show real choices. Safe to run twice: a person who has chosen anything already is
left as they are."""

from .kinds import notification_kinds
from .models import Channel, DigestFrequency, DigestSettings, KindPreference
from .services import digest_settings_set, kind_preferences_set

PREFERENCES = {
    # A coordinator who reads everything once a week, on Monday morning, and is told at once
    # only when a partner asks to join or a task is assigned to them.
    "coordinator": {
        "digest": (DigestFrequency.WEEKLY, 9, "Europe/Madrid"),
        "kinds": {
            "projects.request": Channel.EMAIL,
            "workspace.task_assigned": Channel.EMAIL,
            "chat.mention": Channel.DIGEST,
            "projects.team_added": Channel.APP,
        },
    },
    # A member who wants a short daily digest in the evening and no chat e-mail at all.
    "member": {
        "digest": (DigestFrequency.DAILY, 19, "Europe/Madrid"),
        "kinds": {
            "chat.mention": Channel.APP,
            "workspace.meeting": Channel.EMAIL,
            "knowledge.item": Channel.OFF,
        },
    },
    # Someone working from the Canaries, weekly, who never wants opportunities' reminders.
    "outsider": {
        "digest": (DigestFrequency.WEEKLY, 8, "Atlantic/Canary"),
        "kinds": {
            "opportunities.call_deadline": Channel.OFF,
            "opportunities.post_expiring": Channel.APP,
        },
    },
}


def seed(ctx):
    declared = notification_kinds()
    chose = []
    for username, choice in PREFERENCES.items():
        user = ctx.users.get(username)
        if user is None:
            continue
        if (
            DigestSettings.objects.filter(user=user).exists()
            or KindPreference.objects.filter(user=user).exists()
        ):
            continue
        frequency, hour, time_zone = choice["digest"]
        digest_settings_set(user=user, frequency=frequency, hour=hour, time_zone=time_zone)
        kinds = {kind: channel for kind, channel in choice["kinds"].items() if kind in declared}
        kind_preferences_set(user=user, channels=kinds)
        chose.append(f"{username} ({frequency} digest)")
    if chose:
        ctx.log("notification preferences: " + ", ".join(chose))
