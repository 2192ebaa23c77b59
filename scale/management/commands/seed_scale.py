"""Build a large, realistic cluster for benchmarks: see scale/seed.py for how."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from scale.seed import BENCH_PROJECT_SLUG, PASSWORD, USERNAME_PREFIX, ScaleSeeder


class Command(BaseCommand):
    help = (
        "Build a cluster-sized data set with bulk inserts: organizations, people, projects, "
        "teams, guardian grants and chat history (one project with a very long history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=2000)
        parser.add_argument("--projects", type=int, default=5000)
        parser.add_argument("--users", type=int, default=20_000)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument(
            "--big-room",
            type=int,
            default=100_000,
            help="Messages in the benchmark project's chat (capped at --messages).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data again).")
        parser.add_argument(
            "--no-search-index", action="store_true", help="Skip the Wagtail search index."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale creates thousands of accounts with a public password; it refuses to "
                "run with DJANGO_DEBUG off. Pass --force if this really is a test installation."
            )
        for name in ("organizations", "projects", "users"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["messages"] < 0 or options["big_room"] < 0:
            raise CommandError("--messages and --big-room cannot be negative.")
        if options["users"] < options["organizations"]:
            raise CommandError("--users must be at least --organizations (each needs an admin).")
        existing = get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count()
        if existing:
            raise CommandError(
                f"This database already holds a scale data set ({existing} '{USERNAME_PREFIX}*' "
                "accounts). Use a fresh database."
            )
        started = time.monotonic()
        seeder = ScaleSeeder(
            organizations=options["organizations"],
            projects=options["projects"],
            users=options["users"],
            messages=options["messages"],
            big_room=options["big_room"],
            search_index=not options["no_search_index"],
            seed=options["seed"],
            out=self.stdout,
        )
        seeder.run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data set ready in {time.monotonic() - started:.1f}s: "
                f"{options['organizations']:,} organizations, {options['projects']:,} projects, "
                f"{options['users']:,} people, {options['messages']:,} messages. "
                f"People sign in as {USERNAME_PREFIX}000001… with password '{PASSWORD}'; "
                f"the long chat is at project '{BENCH_PROJECT_SLUG}'."
            )
        )
