"""The structure of the code base: models never import views, and no app's models sit on an
import circle of its own files.

Read from the source with ``ast``, counting imports inside functions too (a lazy import is
still a dependency). Run it as a script to list what it finds:
``.venv/bin/python tests/test_architecture.py``.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(
    path.parent.name
    for path in ROOT.glob("*/models.py")
    if (path.parent / "apps.py").exists() and path.parent.name not in ("tests", "bench")
)


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    """{module name: path} for every module of the project's apps, migrations left out."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def imports_of(path, known, name=None):
    """The project modules ``path`` (the module ``name``) imports, anywhere in the file."""
    name = name or _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            # ``from . import selectors`` names a module; ``from .models import X`` a name.
            targets = [f"{prefix}.{alias.name}" for alias in node.names] + [prefix]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    known = _modules()
    return {name: imports_of(path, known) for name, path in known.items()}


def model_circles(graph, apps=APPS):
    """{app.models: [a circle of modules back to it]} for every models module on a circle of
    files inside its own app."""
    circles = {}
    for app in apps:
        start = f"{app}.models"
        if start not in graph:
            continue
        # Depth-first over the app's own modules, remembering the way back.
        stack, came_from = [start], {start: None}
        while stack:
            module = stack.pop()
            for target in sorted(graph[module]):
                if target.split(".")[0] != app:
                    continue
                if target == start:
                    way = [module]
                    while came_from[way[-1]] is not None:
                        way.append(came_from[way[-1]])
                    circles[start] = [start, *reversed(way[:-1]), start]
                    stack = []
                    break
                if target not in came_from:
                    came_from[target] = module
                    stack.append(target)
    return circles


def test_no_models_module_imports_a_views_module():
    graph = import_graph()
    offenders = {
        module: sorted(target for target in targets if target.split(".")[-1] == "views")
        for module, targets in graph.items()
        if module.split(".")[-1] == "models"
    }
    assert {module: views for module, views in offenders.items() if views} == {}


def test_partners_and_projects_models_are_on_no_import_circle():
    """Their pages reach the directory and selectors through ``core.page_hooks``."""
    circles = model_circles(import_graph())
    assert {
        app: way for app, way in circles.items() if app.split(".")[0] in ("partners", "projects")
    } == {}


def test_the_checker_sees_lazy_and_relative_imports_and_circles(tmp_path):
    source = tmp_path / "models.py"
    source.write_text(
        "from django.db import models\n"
        "def page():\n    from .views import serve\n    from . import selectors\n"
    )
    known = {"x.models", "x.views", "x.selectors"}
    assert imports_of(source, known, name="x.models") == {"x.views", "x.selectors"}
    graph = {"x.models": {"x.views"}, "x.views": {"x.selectors"}, "x.selectors": {"x.models"}}
    assert model_circles(graph, apps=["x"]) == {
        "x.models": ["x.models", "x.views", "x.selectors", "x.models"]
    }
    graph["x.selectors"] = set()
    assert model_circles(graph, apps=["x"]) == {}


if __name__ == "__main__":
    graph = import_graph()
    for module, targets in sorted(graph.items()):
        if module.endswith(".models"):
            views = sorted(t for t in targets if t.endswith(".views"))
            if views:
                print(f"{module} imports {', '.join(views)}")
    circles = model_circles(graph)
    for way in circles.values():
        print("circle: " + " -> ".join(way))
    sys.exit(1 if circles else 0)
