"""Tell people of their overdue tasks (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from workspace.services import tasks_overdue_notify


class Command(BaseCommand):
    help = "Notify the assignees of tasks past their due date (once per due date)."

    def handle(self, *args, **options):
        count = tasks_overdue_notify()
        self.stdout.write(f"{count} overdue task(s) notified.")
