"""Reminders of shared resources (run daily, or hourly, e.g. from cron): listings about to
expire, and approved bookings that start within a day."""

from django.core.management.base import BaseCommand

from resources.bookings import bookings_remind
from resources.services import listings_expiry_remind


class Command(BaseCommand):
    help = (
        "Remind the admins of listings that expire within a week, and bookers of approved "
        "bookings that start within a day (each once)."
    )

    def handle(self, *args, **options):
        listings = listings_expiry_remind()
        reminded = bookings_remind()
        self.stdout.write(f"{listings} listing(s) and {reminded} booking(s) reminded")
