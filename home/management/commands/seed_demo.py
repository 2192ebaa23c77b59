"""Build (or top up) the demo cluster. Safe to run twice: every step is get-or-create.

Each local app may have a ``demo`` module with ``seed(ctx)``; they run in INSTALLED_APPS order
(home, taxonomy, partners, projects, chat, …), so a later app finds what an earlier one made
in ``ctx``.
"""

import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DemoContext


class Command(BaseCommand):
    help = "Build the demo social cluster: accounts, organizations, projects, teams, chat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a public password; it refuses to run with "
                "DJANGO_DEBUG off. Pass --force if this really is a demo installation."
            )
        ctx = DemoContext(command=self)
        started = time.monotonic()
        for app in apps.get_app_configs():
            if not app.path.startswith(str(settings.BASE_DIR)) or ".venv" in app.path:
                continue
            module_name = f"{app.name}.demo"
            if find_spec(module_name) is None:
                continue
            seed = getattr(import_module(module_name), "seed", None)
            if seed is None:  # core.demo is the kit the others use, not a step
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}…"))
            with transaction.atomic():
                seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo cluster ready in {time.monotonic() - started:.1f}s.")
        )
