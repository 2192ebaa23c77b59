"""Reminders of opportunities (run daily, e.g. from cron): partner-search posts about to
expire, and funding-call deadlines a week away for the organizations seeking partners for them."""

from django.core.management.base import BaseCommand

from opportunities.services import calls_deadline_remind, posts_expiry_remind


class Command(BaseCommand):
    help = (
        "Remind the admins of partner-search posts that expire within a week, and the "
        "organizations seeking partners for a call whose deadline is a week away (each once)."
    )

    def handle(self, *args, **options):
        posts = posts_expiry_remind()
        calls = calls_deadline_remind()
        self.stdout.write(f"{posts} post(s) and {calls} call(s) reminded")
