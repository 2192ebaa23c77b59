"""Every string meant for translation is one ``makemessages`` can see, before it is formatted.

``makemessages`` finds messages by the names it knows (``_``, ``gettext``, ``gettext_lazy``,
``ngettext``…), and only literal strings: a translation function imported under another name,
or a message built before it is translated (an f-string, ``%`` or ``.format`` inside the call,
a variable), never reaches the catalogues.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_PARTS = {".venv", "node_modules", "migrations", "tests", "bench", "static", "locale"}
TRANSLATION_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# The names makemessages scans for (Django's xgettext keywords).
SCANNED_NAMES = TRANSLATION_FUNCTIONS | {"_", "N_"}
# How many leading arguments are messages (the others are counts or contexts).
MESSAGE_ARGUMENTS = {"ngettext": (0, 1), "ngettext_lazy": (0, 1), "pgettext": (1,)}
MESSAGE_ARGUMENTS |= {"pgettext_lazy": (1,), "npgettext": (1, 2), "npgettext_lazy": (1, 2)}


def _sources():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
            yield path


def _translation_names(tree):
    """The local names bound to Django's translation functions in a module."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS:
                    names[alias.asname or alias.name] = alias.name
    return names


def _is_literal(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_translation_functions_keep_names_makemessages_scans():
    hidden = []
    for path in _sources():
        tree = ast.parse(path.read_text(), str(path))
        for local in _translation_names(tree):
            if local not in SCANNED_NAMES:
                hidden.append(f"{path.relative_to(ROOT)}: {local}")
    assert hidden == []


def test_messages_are_literal_strings_translated_before_formatting():
    built = []
    for path in _sources():
        tree = ast.parse(path.read_text(), str(path))
        names = _translation_names(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            function = names.get(node.func.id)
            if function is None:
                continue
            for index in MESSAGE_ARGUMENTS.get(function, (0,)):
                if index < len(node.args) and not _is_literal(node.args[index]):
                    built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert built == []
