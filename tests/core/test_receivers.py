"""One way to connect signal receivers, in every app of the project.

Each app that listens to a signal does it in its ``receivers.py`` with ``@receiver(...,
dispatch_uid=...)`` (connected once however often the module is imported), and its
``AppConfig.ready()`` imports that module. Nowhere else connects a receiver, so what an app
listens to is read in one file.
"""

import ast
from pathlib import Path

import pytest
from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, workflow_rejected

from partners.signals import membership_ended
from projects.signals import team_access_revoked


def _project_apps():
    root = Path(settings.BASE_DIR).resolve()
    # The project's own apps: under BASE_DIR, but not the packages installed in its .venv.
    return [
        config
        for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents
        and ".venv" not in Path(config.path).resolve().relative_to(root).parts
    ]


def _sources(config):
    for path in sorted(Path(config.path).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _connect_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "connect":
                yield node


def _receiver_decorators(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and getattr(decorator.func, "id", None) == "receiver"
                ):
                    yield node, decorator


def test_receivers_are_connected_only_in_receivers_modules():
    elsewhere = []
    for config in _project_apps():
        for path, tree in _sources(config):
            if path.name == "receivers.py":
                continue
            found = list(_connect_calls(tree)) + [d for _, d in _receiver_decorators(tree)]
            elsewhere += [f"{path.relative_to(settings.BASE_DIR)}:{n.lineno}" for n in found]
    assert elsewhere == []


def test_every_receiver_has_a_dispatch_uid():
    missing = []
    for config in _project_apps():
        for path, tree in _sources(config):
            for function, decorator in _receiver_decorators(tree):
                if "dispatch_uid" not in {keyword.arg for keyword in decorator.keywords}:
                    missing.append(f"{path.relative_to(settings.BASE_DIR)}: {function.name}")
    assert missing == []


@pytest.mark.parametrize("config", _project_apps(), ids=lambda config: config.label)
def test_ready_imports_the_receivers_module(config):
    has_receivers = (Path(config.path) / "receivers.py").exists()
    ready = type(config).ready is not AppConfig.ready
    source = Path(config.path, "apps.py").read_text()
    if has_receivers:
        assert "from . import receivers" in source
    else:
        # Nothing to connect: no ready() wiring either.
        assert not ready, f"{config.label} has ready() but no receivers.py"


@pytest.mark.parametrize(
    ("signal", "sender", "receiver_module"),
    [
        (membership_ended, None, "projects.receivers"),
        (team_access_revoked, None, "chat.receivers"),
        (page_published, "partners.PartnerPage", "partners.receivers"),
        (page_published, "wagtailcore.Page", "core.receivers"),
        (workflow_rejected, None, "projects.receivers"),
        (post_save, "taxonomy.Sector", "taxonomy.receivers"),
        (post_delete, "wagtailcore.PageViewRestriction", "core.receivers"),
    ],
)
def test_the_receivers_are_live(signal, sender, receiver_module):
    sender = apps.get_model(sender) if sender else None
    modules = {receiver.__module__ for receiver in signal._live_receivers(sender)[0]}
    assert receiver_module in modules
