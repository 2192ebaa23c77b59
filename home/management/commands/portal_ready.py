"""The closing lines of ``scripts/run``: where the portal is, which demo accounts exist and
where e-mails go."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

EMAIL_DESTINATIONS = {
    "django.core.mail.backends.console.EmailBackend": (
        "printed here, in this terminal (set EMAIL_URL to send them)"
    ),
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory, never sent",
    "django.core.mail.backends.dummy.EmailBackend": "dropped, never sent",
}


def email_destination():
    backend = settings.EMAIL_BACKEND
    if backend in EMAIL_DESTINATIONS:
        return EMAIL_DESTINATIONS[backend]
    if backend == "django.core.mail.backends.filebased.EmailBackend":
        return f"written to files in {settings.EMAIL_FILE_PATH}"
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return f"sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT} (EMAIL_URL)"
    return f"handed to {backend}"


class Command(BaseCommand):
    help = "Say where the portal is, which demo accounts exist and where e-mails go."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The portal's URL.")

    def handle(self, *args, url, **options):
        url = url.rstrip("/") + "/"
        present = set(
            get_user_model()
            .objects.filter(username__in=DEMO_ACCOUNTS)
            .values_list("username", flat=True)
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"The Social Cluster portal is on {url}"))
        self.stdout.write(f"  editors' admin: {url}admin/   stop: Ctrl+C")
        if present:
            self.stdout.write(f"  demo accounts, password {DEMO_PASSWORD}:")
            width = max(len(name) for name in present)
            for name, who in DEMO_ACCOUNTS.items():
                if name in present:
                    self.stdout.write(f"    {name:<{width}}  {who}")
        else:
            self.stdout.write("  no demo accounts (python manage.py seed_demo makes them)")
        self.stdout.write(f"  e-mails: {email_destination()}")
