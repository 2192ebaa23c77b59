"""The server process's garbage-collector settings (cluster/gc_tuning.py, issue 31): start-up
objects frozen out of the collector's walks, thresholds from the environment."""

import gc
import os
import subprocess
import sys

import pytest

from cluster.gc_tuning import parse_thresholds, tune_after_startup
from tests.conftest import BASE_DIR


def test_thresholds_are_read_from_one_to_three_positive_integers():
    assert parse_thresholds("10000,20,20") == (10000, 20, 20)
    assert parse_thresholds(" 5000 ") == (5000,)
    assert parse_thresholds("") is None
    for bad in ("0,10,10", "1,2,3,4", "many", "-5"):
        with pytest.raises(ValueError):
            parse_thresholds(bad)


def test_tuning_sets_thresholds_and_freezes_what_is_alive():
    before = gc.get_threshold()
    try:
        tune_after_startup(freeze=True, thresholds="12345,7,9")
        assert gc.get_threshold() == (12345, 7, 9)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_asgi_application_tunes_its_process_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cluster.settings.test",
        "GC_THRESHOLDS": "23456,11,13",
    }
    probe = "import gc, cluster.asgi; print(gc.get_threshold(), gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    thresholds, frozen = out.stdout.strip().rsplit(" ", 1)
    assert thresholds == "(23456, 11, 13)"
    assert int(frozen) > 10_000  # Django, Wagtail and the apps, all made at start-up

    env["GC_FREEZE_AFTER_STARTUP"] = "false"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith(" 0")
