"""Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (loaded by tests/conftest.py).

- ``ci`` (the default, on CI and on a contributor's machine alike): derandomised. Every run
  tries the same examples, so a run is green or red for the code, never for the draw; no
  example database is written.
- ``explore``: ten times the examples, drawn at random, remembered in ``.hypothesis/``. Run it
  now and then (``HYPOTHESIS_PROFILE=explore scripts/test tests/security -k fuzz``); whatever it
  finds becomes an explicit ``@example`` of the test, so the ``ci`` profile tries it every time.

Tests scale their own example counts with ``examples(n)``.
"""

import os

from hypothesis import settings

EXPLORE_FACTOR = 10

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(count):
    """``count`` examples under the ``ci`` profile, ten times as many when exploring."""
    return count * EXPLORE_FACTOR if PROFILE == "explore" else count
