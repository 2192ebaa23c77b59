"""Every message of the user interface is translated into Spanish and Catalan, and the .po
files are in step with the code (no string added, changed or removed without re-extracting)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.services import IN_CI

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("es", "ca")
DOMAINS = ("django", "djangojs")
# The same arguments the translators use, so the check extracts exactly what they commit.
IGNORES = [".venv", "staticfiles", "tests", "bench", "node_modules"]
CASES = [(lang, domain) for lang in LANGUAGES for domain in DOMAINS]


def po_path(root, lang, domain):
    return Path(root) / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def load(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(path.parents[3])} is missing: run makemessages for it")
    return polib.pofile(str(path))


def keys(po):
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete}


@pytest.mark.parametrize(("lang", "domain"), CASES)
def test_every_message_is_translated(lang, domain):
    po = load(po_path(ROOT, lang, domain))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if not e.obsolete and "fuzzy" in e.flags]
    plural_gaps = [
        e.msgid
        for e in po
        if not e.obsolete
        and e.msgid_plural
        and (not e.msgstr_plural or not all(v.strip() for v in e.msgstr_plural.values()))
    ]
    assert not untranslated, (
        f"{lang}/{domain}.po: {len(untranslated)} untranslated: {untranslated}"
    )
    assert not fuzzy, f"{lang}/{domain}.po: {len(fuzzy)} fuzzy: {fuzzy}"
    assert not plural_gaps, f"{lang}/{domain}.po: plural forms missing: {plural_gaps}"


@pytest.mark.parametrize(("lang", "domain"), CASES)
def test_plural_forms_match_the_header(lang, domain):
    po = load(po_path(ROOT, lang, domain))
    header = po.metadata.get("Plural-Forms", "")
    assert "nplurals=" in header, f"{lang}/{domain}.po has no Plural-Forms header"
    nplurals = int(header.split("nplurals=")[1].split(";")[0])
    short = [e.msgid for e in po if e.msgid_plural and len(e.msgstr_plural) != nplurals]
    assert not short, f"{lang}/{domain}.po: entries without {nplurals} plural forms: {short}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The project copied to a temporary directory (with the committed locale/), where
    makemessages re-extracts every string; the working tree is never written to."""
    if shutil.which("xgettext") is None:
        if IN_CI:
            pytest.fail("xgettext (gettext) is required under CI=true to check the .po files")
        pytest.skip("xgettext is not installed: cannot check that the .po files are up to date")
    copy = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(
        ROOT,
        copy,
        # Only what makemessages reads matters; what other tests write as they run (logs,
        # SQLite files, caches) may come and go while this copies.
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "staticfiles", "media", "__pycache__", "*.mo",
            "*.log", "*.sqlite3*", ".pytest_cache", ".hypothesis", "htmlcov",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cluster.settings.test"}
    for domain in DOMAINS:
        cmd = [sys.executable, "manage.py", "makemessages", "-d", domain, "--no-obsolete"]
        cmd += [arg for lang in LANGUAGES for arg in ("-l", lang)]
        cmd += [f"--ignore={pattern}" for pattern in IGNORES]
        result = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    return copy


@pytest.mark.parametrize(("lang", "domain"), CASES)
def test_po_files_are_up_to_date_with_the_code(extracted, lang, domain):
    committed = keys(load(po_path(ROOT, lang, domain)))
    fresh = keys(load(po_path(extracted, lang, domain)))
    missing = sorted(m[1] for m in fresh - committed)
    stale = sorted(m[1] for m in committed - fresh)
    assert not missing and not stale, (
        f"locale/{lang}/LC_MESSAGES/{domain}.po is out of date with the code; run "
        f"makemessages -l {lang} -d {domain}. Missing: {missing}. No longer in the code: {stale}"
    )
