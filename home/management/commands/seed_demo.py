"""Build (or top up) the demo cluster. Safe to run twice: every step is get-or-create.

Each local app may have a ``demo`` module with ``seed(ctx)``; they run in INSTALLED_APPS order
(home, taxonomy, partners, projects, chat, …), so a later app finds what an earlier one made
in ``ctx``.

At the default verbosity each step prints one line; the e-mails the steps send are counted, not
sent (the demo accounts' addresses are examples); INFO logging waits until seeding is done.
``-v 2`` prints every note and log line, as it happens.
"""

import logging
import time
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.demo import DemoContext, SeedingEmailBackend
from notifications.models import Notification

SEEDING_EMAIL_BACKEND = "core.demo.SeedingEmailBackend"
# Seeding's background work (its mail, the search index) is done as it goes, so the counting
# backend sees the mail and the worker finds nothing of the demo's left to send.
SEEDING_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Command(BaseCommand):
    help = "Build the demo social cluster: accounts, organizations, projects, teams, chat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a public password; it refuses to run with "
                "DJANGO_DEBUG off. Pass --force if this really is a demo installation."
            )
        ctx = DemoContext(command=self, verbosity=verbosity)
        started = time.monotonic()
        steps = [(app, seed) for app, seed in self._steps()]
        SeedingEmailBackend.sent = 0
        seeding_started = timezone.now()
        with (
            self._quiet(verbosity),
            override_settings(EMAIL_BACKEND=SEEDING_EMAIL_BACKEND, TASKS=SEEDING_TASKS),
        ):
            for number, (app, seed) in enumerate(steps, start=1):
                ctx.step = f"[{number}/{len(steps)}] {app.verbose_name}"
                ctx.notes = []
                if verbosity >= 2:
                    self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}…"))
                step_started = time.monotonic()
                with transaction.atomic():
                    seed(ctx)
                if verbosity == 1:
                    notes = "; ".join(ctx.notes) or "done"
                    took = time.monotonic() - step_started
                    self.stdout.write(f"{ctx.step}: {notes} ({took:.1f}s)")
        # The demo's notifications wait unread in the centre; the digest does not mail them
        # later either (the first run would print every demo account's digest).
        Notification.objects.filter(
            created_at__gte=seeding_started, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo cluster ready in {time.monotonic() - started:.1f}s; "
                    f"{SeedingEmailBackend.sent} e-mails to the demo accounts were not sent."
                )
            )

    def _steps(self):
        for app in apps.get_app_configs():
            if not app.path.startswith(str(settings.BASE_DIR)) or ".venv" in app.path:
                continue
            module_name = f"{app.name}.demo"
            if find_spec(module_name) is None:
                continue
            seed = getattr(import_module(module_name), "seed", None)
            if seed is None:  # core.demo is the kit the others use, not a step
                continue
            yield app, seed

    @contextmanager
    def _quiet(self, verbosity):
        """Below verbosity 2, what the steps log at INFO (Wagtail's "Page created", the task
        runner's "Task … RUNNING") stays out of the output; warnings and errors still show."""
        root = logging.getLogger()
        level = root.level
        if verbosity < 2:
            root.setLevel(max(level, logging.WARNING))
        try:
            yield
        finally:
            root.setLevel(level)
