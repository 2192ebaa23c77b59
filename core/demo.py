"""What every app's demo module shares: the context ``seed_demo`` passes from app to app, and
the password of the demo accounts (see README)."""

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand

DEMO_PASSWORD = "cluster-demo"


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
