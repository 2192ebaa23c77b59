"""Garbage-collector settings of a server process, applied once it has started.

A daphne process holds some 200,000 objects made at start-up (Django, Wagtail, every app's
modules, URL patterns, templates): each full collection walked all of them, a pause of about
100 ms that showed up as the big chat rooms' tail latency. ``gc.freeze()`` after start-up moves
them to a permanent generation that collections skip; higher thresholds make the young
collections rarer (each frame allocates a few short-lived dicts, which reference counting frees
anyway). Both come from settings (``GC_FREEZE_AFTER_STARTUP``, ``GC_THRESHOLDS``).
"""

import gc
import logging

logger = logging.getLogger(__name__)


def parse_thresholds(value):
    """``"10000,20,20"`` as a tuple of 1 to 3 positive integers, or None for Python's own."""
    if not value or not str(value).strip():
        return None
    parts = tuple(int(part) for part in str(value).split(","))
    if not 1 <= len(parts) <= 3 or any(part <= 0 for part in parts):
        raise ValueError(f"GC_THRESHOLDS must be 1 to 3 positive integers, not {value!r}")
    return parts


def tune_after_startup(*, freeze, thresholds):
    """Apply the collector's thresholds, then (if ``freeze``) collect once and freeze every
    object alive now, so later collections walk only what the process made since."""
    parsed = parse_thresholds(thresholds)
    if parsed is not None:
        gc.set_threshold(*parsed)
    if freeze:
        gc.collect()
        gc.freeze()
    logger.debug("gc: thresholds %s, %s objects frozen", gc.get_threshold(), gc.get_freeze_count())
