"""The payload matrix: hostile text in every text field of every form and in every import,
and every page, the PDF, the Excel file and the CSV show it as text; never a 500.

The forms are found the way a user finds them: every POST route of the access matrix
(tests/access) is opened as a user who may use it, and its form is read from the page.
"""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from tests.access import OK
from tests.access.world import build_world
from tests.factories import sign_in
from tests.test_access_matrix import RULES

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = "\"'><svg onload=alert(1)>"
SQL = "'; DROP TABLE schools;--"
RTL = "Skola \u202eloohcs\u202c 🙂👩‍🏫"
FORMULA = '=HYPERLINK("http://x","y")'
LONG = "x" * 100_000
MEDIUM = "y" * 500  # within an import cell's limit, beyond every name column
NUL = "Skola\x00namn"
# Stored, then shown everywhere: each is short enough for every text field of the app.
STORED = (SCRIPT, ATTRIBUTE, SQL, RTL, FORMULA)
# What must never appear unescaped in a page.
LIVE_MARKUP = ("<script>alert", "<svg onload", "onload=alert(1)>")
SHOWN_AS_TEXT = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;svg onload=alert(1)&gt;")

LENGTH_MESSAGE = "tecken"  # "Skriv högst %(max)d tecken." / WTForms' "... tecken"
CONTROL_MESSAGE = "Texten innehåller ett otillåtet tecken (kontrolltecken)."
TEXT_TYPES = {"text", "email", "search", "tel", "url", "password", ""}
# Roles tried in this order for each route: the first one the matrix lets in posts.
POSTERS = ("lead", "admin", "coordinator")
# The paper grid has hundreds of cells of one kind: this many of a form's text fields are used.
GRID_CELLS = 40


class _Forms(HTMLParser):
    """The POST forms of a page: their action and fields (name, kind, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append((a["name"], "unchecked-" + kind, a.get("value", "")))
            elif kind not in ("submit", "button", "file"):
                self._form["fields"].append((a["name"], kind, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea[0], "textarea", self._textarea[1]))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, chosen = self._select
            self._form["fields"].append((name, "select", chosen if chosen is not None else first))
            self._select = None


def _form_of(html: str, url: str) -> list | None:
    """The fields of the page's form that posts to `url` (None when there is none)."""
    parser = _Forms()
    parser.feed(html)
    path = urlsplit(url).path
    for form in parser.forms:
        if form["action"] in ("", url) or urlsplit(form["action"]).path == path:
            return form["fields"]
    return None


def _is_text(kind: str) -> bool:
    return kind == "textarea" or kind in TEXT_TYPES


def _filled(fields, text_for, *, every_field: bool = False) -> dict:
    """The form's data as the browser sends it, with text_for(name) in the text fields (or,
    with every_field, in every field: a select or a radio button can be sent anything)."""
    data: dict[str, list] = {}
    seen_radio = set()
    texts = set(_text_fields(fields))
    if every_field:
        texts = {name for name, _kind, _value in fields if name != "csrf_token"}
    for name, kind, value in fields:
        if kind == "unchecked-checkbox":
            continue
        if kind == "unchecked-radio":
            if name in seen_radio or any(n == name and k == "radio" for n, k, _ in fields):
                continue
            kind = "radio"
        if kind == "radio":
            seen_radio.add(name)
        text = text_for(name) if name in texts else None
        data.setdefault(name, []).append(value if text is None else text)
    return data


def _text_fields(fields) -> list[str]:
    """The form's text fields; of a grid (the paper entry) its first row or two will do."""
    return [name for name, kind, _value in fields if _is_text(kind)][:GRID_CELLS]


def _poster(rule) -> str | None:
    return next((role for role in POSTERS if rule.expect[role] == OK), None)


def _post_routes():
    """(key, rule) of every POST route of the matrix that someone signed in may use."""
    return [
        (key, rule)
        for key, rule in sorted(RULES.items())
        if key.endswith(" POST") and _poster(rule) and key != "auth.logout POST"
    ]


def _assert_inert(html: str, where: str) -> None:
    for marker in LIVE_MARKUP:
        assert marker not in html, f"{where}: unescaped {marker!r}"


def _assert_inert_workbook(data: bytes, where: str) -> int:
    """No formula, and no formula-like text without Excel's text mark; returns texts seen."""
    workbook = load_workbook(io.BytesIO(data))
    texts = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix, f"{where}: live text in {cell.coordinate}"
                    texts += 1
    return texts


def _multipart(client, url, filename, data: bytes, **fields):
    body, _length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(data), filename), **fields}, use_tempfile=False
    )
    return client.post(
        url,
        data=body.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows) -> bytes:
    return "\r\n".join(";".join(row) for row in rows).encode("utf-8")


def test_every_form_every_import_and_every_output_keep_hostile_text_as_text(app):
    world = build_world()
    clients = {}
    for role in ("lead", "admin", "coordinator"):
        clients[role] = app.test_client()
        sign_in(clients[role], world.users[role])
    anonymous = app.test_client()

    # 1. Every text field of every form, one payload at a time in all its text fields.
    posted_forms = 0
    for key, rule in _post_routes():
        client = clients[_poster(rule)]
        url = rule.url(world)
        page = client.get(url)
        if page.status_code != 200:
            continue  # a POST-only action (e.g. a confirmed removal from another page)
        fields = _form_of(page.get_data(as_text=True), url)
        if not fields:
            continue
        posted_forms += 1
        for payload in (*STORED, LONG, NUL) if _text_fields(fields) else ():
            response = client.post(url, data=_filled(fields, lambda name, p=payload: p))
            body = response.get_data(as_text=True)
            assert response.status_code < 500, f"{key} with {payload[:30]!r}"
            _assert_inert(body, key)
            if payload == LONG and response.status_code == 200:
                assert LENGTH_MESSAGE in body, f"{key}: no length message for 100k characters"
            if payload == NUL and response.status_code == 200:
                assert CONTROL_MESSAGE in body, f"{key}: no message for a control character"
        for payload in (NUL, "²", "9" * 40):  # not even a select's value breaks it
            response = client.post(
                url, data=_filled(fields, lambda name, p=payload: p, every_field=True)
            )
            assert response.status_code < 500, f"{key}: every field {payload[:30]!r}"
        # 2. Each text field alone (the rest as the page had it), so that edit forms save.
        for index, name in enumerate(_text_fields(fields)):
            payload = STORED[index % len(STORED)]
            response = client.post(
                url, data=_filled(fields, lambda n, f=name, p=payload: p if n == f else None)
            )
            assert response.status_code < 500, f"{key}: {name} = {payload!r}"
            _assert_inert(response.get_data(as_text=True), f"{key} {name}")
    assert posted_forms >= 20, "the forms were not found"

    # 3. The anonymous forms: login, language, the accessibility report, the pupil's pages.
    # The questionnaire comes in pages: its address starts a draft and opens page 1.
    start = anonymous.get(f"/e/{world.own_wave.code}")
    pupil_url = urlsplit(start.headers["Location"]).path
    send_url = f"/e/{world.own_wave.code}/skicka"
    pupil_fields = _form_of(anonymous.get(pupil_url).get_data(as_text=True), pupil_url)
    assert pupil_fields, "the pupil's form was not found"
    for payload in (*STORED, LONG, NUL):
        response = anonymous.post("/login", data={"email": payload, "password": payload})
        assert response.status_code < 500
        if payload == NUL:
            assert CONTROL_MESSAGE in response.get_data(as_text=True)
        response = anonymous.post("/language", data={"lang": payload, "next": payload})
        assert response.status_code < 500
        data = _filled(
            pupil_fields, lambda n, p=payload: None if n == "token" else p, every_field=True
        )
        for url in (pupil_url, send_url):
            response = anonymous.post(url, data=data, follow_redirects=True)
            assert response.status_code < 500
            _assert_inert(response.get_data(as_text=True), "the pupil's form")
        response = anonymous.post("/accessibility", data={"description": payload, "page": payload})
        assert response.status_code < 500
        response = anonymous.post("/e", data={"kod": payload})
        assert response.status_code < 500
        response = anonymous.get(f"/e/{payload[:50]}")
        assert response.status_code < 500

    # 4. The imports: the school list (CSV and Excel) and the answers of a wave.
    lead = clients["lead"]
    header = ["namn", "skolform", "rektor"]
    for n, payload in enumerate((*STORED, MEDIUM, LONG, NUL)):
        rows = [header, [payload, "7-9", payload]]
        files = [(f"s{n}.csv", _csv(rows))]
        if payload != NUL:  # openpyxl cannot write a NUL; the CSV carries it
            files.append((f"s{n}.xlsx", _xlsx(rows)))
        for filename, data in files:
            response = _multipart(lead, "/rollout/import", filename, data)
            body = response.get_data(as_text=True)
            assert response.status_code < 500, f"school import {filename}"
            _assert_inert(body, f"school import {filename}")
            if payload == LONG:
                assert LENGTH_MESSAGE in body
            if payload == NUL:  # the CSV carries it: a file with a NUL is no CSV file
                assert "Filen är inte en CSV- eller Excelfil." in body
    wave_url = f"/surveys/waves/{world.own_wave.id}/import"
    for n, payload in enumerate((*STORED, LONG, NUL)):
        rows = [["kon", "arskurs", "agera1"], [payload, "8", payload]]
        response = _multipart(lead, wave_url, f"a{n}.csv", _csv(rows), answered_on="2026-09-14")
        assert response.status_code < 500, f"answer import {payload[:30]!r}"
        _assert_inert(response.get_data(as_text=True), "answer import")

    # 5. Every page, as a role that may read it: the payloads show as text.
    shown = 0
    for key, rule in sorted(RULES.items()):
        if key.endswith(" POST") or key.startswith("reports."):
            continue
        # The lead sees every school; the administrator's own pages are read by the admin.
        role = next((r for r in ("lead", "admin") if rule.expect[r] == OK), None)
        if role is not None:
            response = clients[role].get(rule.url(world))
            assert response.status_code < 500, f"{key} as {role}"
            if response.mimetype == "text/html":
                page = response.get_data(as_text=True)
                _assert_inert(page, f"{key} as {role}")
                shown += any(escaped in page for escaped in SHOWN_AS_TEXT)
    assert shown >= 10, "the stored payloads should be on many pages, as text"

    # 6. The downloads: the PDF renders, the Excel files and the CSV hold text, not formulas.
    pdf = lead.get("/evaluation/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    report = lead.get("/evaluation/report.xlsx")
    assert report.status_code == 200
    assert _assert_inert_workbook(report.data, "the Excel appendix") >= 1, "no payload reached it"
    answers = lead.get("/evaluation/answers.csv")
    assert answers.status_code == 200
    for line in answers.get_data(as_text=True).splitlines():
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), line
    for url in (
        "/rollout/import/template.xlsx",
        f"/surveys/waves/{world.own_wave.id}/template.xlsx",
    ):
        response = lead.get(url)
        if response.status_code == 200:
            _assert_inert_workbook(response.data, url)
