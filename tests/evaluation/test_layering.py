"""The computation never reaches into a renderer: evaluation/ imports no report or request."""

import ast
from pathlib import Path

import mvp.evaluation

RENDERING = ("mvp.reports", "mvp.dashboard")
# Flask's request and rendering belong to the views; the computation runs without a request.
FLASK_VIEW_NAMES = {"request", "render_template", "render_template_string", "Blueprint", "flash"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


def test_the_evaluation_package_imports_no_renderer_and_no_request():
    folder = Path(mvp.evaluation.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) > 5
    offending = []
    for path in modules:
        for module, name in _imports(path):
            full = f"{module}.{name}" if name else module
            if any(full == r or full.startswith(r + ".") for r in RENDERING):
                offending.append(f"{path.name}: {full}")
            if module == "mvp" and name in ("reports", "dashboard"):
                offending.append(f"{path.name}: {full}")
            if module == "flask" and name in FLASK_VIEW_NAMES:
                offending.append(f"{path.name}: {full}")
    assert offending == []


def test_the_dashboard_keeps_the_evaluation_blueprint_and_its_urls(app):
    endpoints = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    assert endpoints["evaluation.index"] == "/evaluation/"
    assert endpoints["evaluation.texts"] == "/evaluation/texts"
    assert endpoints["evaluation.api"] == "/api/v1/evaluation"
    assert app.blueprints["evaluation"].import_name == "mvp.dashboard.views"
