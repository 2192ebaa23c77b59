"""Re-derive every object permission from the membership tables and report drift.

Each app registers ``fn(fix: bool) -> list[str]`` with the Wagtail hook
``register_permission_sync`` (partners for organizations, projects for projects); this command
runs them all. It exits non-zero when it finds drift it was not asked to repair.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks


class Command(BaseCommand):
    help = "Compare guardian grants with memberships; --fix repairs what differs."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the drift found.")

    def handle(self, *args, fix=False, **options):
        drift = []
        for fn in hooks.get_hooks("register_permission_sync"):
            with transaction.atomic():
                drift.extend(fn(fix))
        for line in drift:
            self.stdout.write(f"{'fixed: ' if fix else 'drift: '}{line}")
        if not drift:
            self.stdout.write(self.style.SUCCESS("No drift: every grant follows the memberships."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Repaired {len(drift)} difference(s)."))
        else:
            raise CommandError(
                f"{len(drift)} difference(s) between grants and memberships; "
                "run with --fix to repair them."
            )
