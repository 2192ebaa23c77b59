"""What every app's demo module shares: the context ``seed_demo`` passes from app to app, and
the password of the demo accounts (see README)."""

import threading
from dataclasses import dataclass, field

from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "cluster-demo"

# Who each demo account is, as the first run's closing lines and the README say.
DEMO_ACCOUNTS = {
    "admin": "superuser",
    "editor": "approves organizations and projects at /admin/",
    "coordinator": "coordinates “Digital skills for young people”",
    "member": "on that project's team",
    "outsider": "runs an organization outside that project",
}


class SeedingEmailBackend(BaseEmailBackend):
    """Counts the e-mails sent while the demo is seeded and sends none: notifications to demo
    accounts at example addresses, which would fill the first run's terminal."""

    _lock = threading.Lock()
    sent = 0

    def send_messages(self, email_messages):
        with self._lock:
            SeedingEmailBackend.sent += len(email_messages)
        return len(email_messages)


@dataclass
class DemoContext:
    """What the steps share. ``log`` notes what a step made (one line per step at the default
    verbosity, every note on its own line at 2); ``progress`` counts a long step in place on a
    terminal."""

    command: BaseCommand
    users: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    verbosity: int = 1
    notes: list = field(default_factory=list)
    step: str = ""

    def log(self, text):
        if self.verbosity >= 2:
            self.command.stdout.write(f"  {text}")
        else:
            self.notes.append(text)

    def progress(self, iterable, label):
        """Yield from ``iterable``, showing how far along a long step is on a terminal (the
        count is rewritten in place; nothing is written to a file or a pipe)."""
        items = list(iterable)
        total = len(items)
        live = self.verbosity >= 1 and self.command.stdout.isatty()
        for index, item in enumerate(items, start=1):
            yield item
            if live:
                self.command.stdout.write(
                    f"\r\033[K{self.step} {label}: {index}/{total}", ending=""
                )
                self.command.stdout.flush()
        if live:
            self.command.stdout.write("\r\033[K", ending="")
