"""Send what is due: the digests whose hour has come and any queued mail whose retry is due.

Run it every few minutes (cron, a systemd timer), or with ``--loop`` as a long-running
process; ``scripts/run`` starts one beside the server. Safe to run twice or concurrently:
each digest period and each mail goes once.
"""

import time

from django.core.management.base import BaseCommand

from notifications.digest import digests_send
from notifications.mail import mail_send_due


class Command(BaseCommand):
    help = "Queue the digests that are due and send queued mail whose next attempt has come."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS", help="repeat every SECONDS"
        )

    def handle(self, *args, loop=0, verbosity=1, **options):
        while True:
            digests = digests_send()
            mails = mail_send_due()
            if verbosity >= 2 or (verbosity and not loop):
                self.stdout.write(f"{digests} digest(s) queued, {mails} queued mail(s) sent.")
            if not loop:
                return
            time.sleep(loop)
