"""Build (or top up) the demo cluster. Safe to run twice: every step is get-or-create.

Each local app may have a ``demo`` module with ``seed(ctx)``; they run in INSTALLED_APPS order
(home, taxonomy, partners, projects, chat, …), so a later app finds what an earlier one made
in ``ctx``.
"""

import time
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


@dataclass
class DemoContext:
    command: BaseCommand
    users: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)

    def log(self, text):
        self.command.stdout.write(f"  {text}")

    def progress(self, iterable, label):
        """Yield from ``iterable``, printing how far along a long step is."""
        items = list(iterable)
        total = len(items)
        step = max(1, total // 10)
        for index, item in enumerate(items, start=1):
            yield item
            if index % step == 0 or index == total:
                self.command.stdout.write(f"  {label}: {index}/{total}", ending="\r")
        self.command.stdout.write("")


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
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}…"))
            with transaction.atomic():
                import_module(module_name).seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo cluster ready in {time.monotonic() - started:.1f}s.")
        )
