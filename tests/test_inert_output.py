"""No user text is ever marked safe: the code is scanned for every way of doing so, and the
few uses that remain are listed here with the reason each is safe."""

import ast
import re
from pathlib import Path

from tests.delivery_factories import make_leader, make_training
from tests.factories import make_school, make_user, sign_in

ROOT = Path(__file__).resolve().parent.parent

# Ways of marking text as HTML that needs no escaping.
MARKING = re.compile(r"\bMarkup\b|markupsafe|render_template_string|__html__|Markup\.format")
# file: why every use in it is safe.
ALLOWED_MARKING = {
    "mvp/formatting.py": (
        "suppressed_abbr: a constant <abbr> element; its only value, the translated title, "
        "goes through Markup.format, which escapes it"
    ),
    "mvp/dashboard/views.py": (
        "_body and the school page take back a part of the page that render_template made "
        "(autoescaped) and the cache kept as a string; no user text is joined outside Jinja"
    ),
    "mvp/reports/svg.py": (
        "chart_svg draws the chart on the server: numbers are formatted by the code and every "
        "text (titles, names, labels) passes through markupsafe.escape() before it is joined"
    ),
}
TEMPLATE_MARKING = re.compile(r"\|\s*safe\b|autoescape\s+false|\|\s*forceescape", re.I)

# A lazy translation (flask_babel.lazy_gettext) counts as HTML in a template or a WTForms
# label (it has __html__), so a value put into one is not escaped. Such a call must be
# turned into a plain string at once (str(_l(...))) — or be listed here, with its reason.
ALLOWED_LAZY = {
    ("mvp/schools/forms.py", "Grade %(grade)s"): "the grade's own label, a constant",
    ("mvp/surveys/coding.py", "Only %(allowed)s."): "codes allowed, made from constants",
    ("mvp/surveys/coding.py", "Only one of the school's grades"): "grade numbers only",
    ("mvp/surveys/linkage.py", "Only %(first)s–%(last)s, or blank."): "constant code options",
}


def _python_files():
    return sorted((ROOT / "mvp").rglob("*.py"))


def test_nothing_marks_text_as_safe_html_but_the_listed_uses():
    found = {
        str(path.relative_to(ROOT))
        for path in _python_files()
        if MARKING.search(path.read_text(encoding="utf-8"))
    }
    assert found - ALLOWED_MARKING.keys() == set(), "new ways of marking text safe"
    templates = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if TEMPLATE_MARKING.search(path.read_text(encoding="utf-8"))
    ]
    assert templates == [], "templates that switch escaping off"


def _lazy_calls_with_values(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_l", "lazy_gettext")
            and node.keywords
        ):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Call) and getattr(parent.func, "id", None) == "str":
            continue  # made a plain string at once: escaped wherever it is shown
        text = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
        yield text


def test_no_lazy_translation_carries_a_value_into_html():
    found = []
    for path in _python_files():
        name = str(path.relative_to(ROOT))
        for text in _lazy_calls_with_values(path):
            if not any(name == f and text.startswith(t) for f, t in ALLOWED_LAZY):
                found.append(f"{name}: {text}")
    assert found == []


def test_a_leaders_name_is_shown_as_text_on_the_participants_page(app, client):
    school = make_school(name="Norra skolan")
    name = "<img src=x onerror=alert(1)>"
    make_leader(school, name=name)
    training = make_training("supervision", hours=3, school=school)
    sign_in(client, make_user("lead"))
    page = client.get(f"/trainings/{training.id}/participants").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
