"""Remind owners of listings about to expire (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from resources.services import listings_expiry_remind


class Command(BaseCommand):
    help = "Remind the admins of listings that expire within a week (once per listing)."

    def handle(self, *args, **options):
        count = listings_expiry_remind()
        self.stdout.write(f"{count} listing(s) reminded")
