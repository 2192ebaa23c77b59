"""Demo accounts every installation's demo gets (see README): password ``cluster-demo``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "cluster-demo"

DEMO_ACCOUNTS = [
    # username, first name, last name, superuser
    ("admin", "Anna", "Admin", True),
    ("editor", "Eduard", "Serra", False),
    ("coordinator", "Clara", "Vidal", False),
    ("member", "Marta", "Puig", False),
    ("outsider", "Oriol", "Ferrer", False),
]


def _verified_user(username, first, last, superuser):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    email = f"{username}@demo.cluster.test"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "first_name": first,
            "last_name": last,
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(ctx):
    """Create the demo accounts; put ``editor`` in Wagtail's Moderators group."""
    for username, first, last, superuser in DEMO_ACCOUNTS:
        ctx.users[username] = _verified_user(username, first, last, superuser)
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    editor = ctx.users["editor"]
    editor.groups.add(moderators)
    ctx.log("accounts: " + ", ".join(ctx.users))
