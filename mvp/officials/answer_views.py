"""The elected official's pages: type (or scan) the single-use code, answer page by page, send
once. No account, no IP address, no time of day, and the stored answer keeps no trace of the
code.

As the pupils' pages (mvp.surveys.pupil_views): the answers so far live in a signed cookie of
the official's own browser (never on the server) and every page is post/redirect/get. The
cookie also holds the code, so the QR code's address (…/f?kod=…) is opened once and the code
is not in the address of any later page. Only *Skicka* stores the answer, and it marks the
code used in the same transaction (mvp.surveys.answers.submit_with_code): a code sent twice,
or by two devices at once, stores one answer.
"""

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from itsdangerous import BadSignature, URLSafeSerializer

from mvp.extensions import csrf, db, limiter
from mvp.officials.models import OfficialRound
from mvp.officials.services import round_status
from mvp.surveys import answers, kept_questions, single_use
from mvp.surveys.models import Wave
from mvp.surveys.pupil_views import _keep_answers as keep_answers
from mvp.surveys.questionnaire import Page, Questionnaire

bp = Blueprint("official_answer", __name__)

DRAFT_COOKIE = "mvp_fortroendevald"
PATH = "/f"


@bp.after_request
def never_cache(response):
    """The pages carry the official's answers and code: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="official-draft")


def _code_limit() -> str:
    return current_app.config["PUPIL_CODE_RATE_LIMIT"]


def _unknown_code(response) -> bool:
    return response.status_code == 404


@dataclass
class Draft:
    """One official's answers so far, with the code they came with."""

    wave_id: int
    code: str
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def dump(self) -> str:
        data = {"w": self.wave_id, "c": self.code, "n": self.nonce, "v": self.values}
        if self.errors:
            data["e"] = self.errors
        return _serializer().dumps(data)

    @classmethod
    def load(cls) -> "Draft | None":
        try:
            data = _serializer().loads(request.cookies.get(DRAFT_COOKIE, ""))
            return cls(data["w"], data["c"], data["n"], dict(data["v"]), dict(data.get("e", {})))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None


def _with_draft(response, draft: Draft | None):
    response = make_response(response)
    if draft is None:
        response.delete_cookie(DRAFT_COOKIE, path=PATH)
    else:
        response.set_cookie(
            DRAFT_COOKIE,
            draft.dump(),
            path=PATH,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
        )
    return response


def _go(number: int, draft: Draft, anchor: str | None = None):
    return _with_draft(redirect(url_for(".page", number=number, _anchor=anchor), code=303), draft)


def _round_of(wave_id: int) -> OfficialRound | None:
    return db.session.scalar(
        sa.select(OfficialRound)
        .where(OfficialRound.wave_id == wave_id)
        .options(sa.orm.joinedload(OfficialRound.wave).joinedload(Wave.instrument))
    )


def _refusal(round_: OfficialRound | None, code: str, *, status: int = 200):
    """The page instead of the questionnaire: closed or not yet open, or the code used."""
    if round_ is None:
        return render_template("officials/answer/start.html", error="unknown", code=code), 404
    state = round_status(round_)
    if state != "open":
        return render_template("officials/answer/not_open.html", round=round_, status=state)
    return _with_draft(render_template("officials/answer/used.html"), None), 409


def _questionnaire(round_: OfficialRound) -> Questionnaire:
    wave = round_.wave
    return kept_questions.questionnaire_of(wave.instrument, (), str(get_locale()), wave.population)


@bp.route("/f", methods=["GET", "POST"])
@csrf.exempt  # nothing is stored: a code is only looked up
@limiter.limit(_code_limit, deduct_when=_unknown_code)
def start():
    """The address in the letter: type the code (the QR code's address brings it along)."""
    code = single_use.normalise(request.values.get("kod", ""))
    if request.method == "GET" and not code:
        return render_template("officials/answer/start.html", error=None, code="")
    if not code:
        return render_template("officials/answer/start.html", error="missing", code=""), 400
    wave = single_use.find_wave_of(code)
    round_ = _round_of(wave.id) if wave is not None else None
    if round_ is None:
        return render_template("officials/answer/start.html", error="unknown", code=code), 404
    if round_status(round_) != "open" or not single_use.is_valid(wave, code):
        return _refusal(round_, code)
    return _go(1, Draft(wave.id, code))


def _open_draft():
    """The browser's draft and its round, or the page to show instead."""
    draft = Draft.load()
    if draft is None:
        return None, None, redirect(url_for(".start"))
    round_ = _round_of(draft.wave_id)
    if round_ is None or round_status(round_) != "open":
        return None, None, _refusal(round_, draft.code)
    return draft, round_, None


def _token_matches(draft: Draft) -> bool:
    return secrets.compare_digest(request.form.get("token", ""), draft.nonce)


@bp.route("/f/sida/<int:number>", methods=["GET", "POST"])
@csrf.exempt  # the draft's own random token protects these forms instead
def page(number: int):
    """One page of the questionnaire; a posted page keeps its answers and moves on or back."""
    draft, round_, other = _open_draft()
    if draft is None:
        return other
    questionnaire = _questionnaire(round_)
    pages = questionnaire.pages
    if not 1 <= number <= len(pages):
        abort(404)
    current = pages[number - 1]
    if request.method == "GET":
        return _render(round_, questionnaire, current, draft)
    if not _token_matches(draft):
        abort(400)
    keep_answers(draft, questionnaire, current)
    draft.errors = {}
    if request.form.get("go") == "back":
        return _go(max(number - 1, 1), draft)
    errors = questionnaire.page_errors(current, draft.values)
    if errors:
        draft.errors = errors
        return _go(number, draft, anchor="error-summary")
    return _go(min(number + 1, len(pages)), draft)


@bp.post("/f/skicka")
@csrf.exempt
@limiter.limit(_code_limit)
def send():
    """*Skicka*: the whole draft is checked, the code marked used and the answer stored."""
    draft, round_, other = _open_draft()
    if draft is None:
        return other
    if not _token_matches(draft):
        abort(400)
    questionnaire = _questionnaire(round_)
    last = questionnaire.pages[-1]
    keep_answers(draft, questionnaire, last)
    draft.errors = {}
    data, errors = questionnaire.parse(draft.values)
    if data is None:
        draft.errors = errors
        return _go(questionnaire.first_page_with(errors).number, draft, anchor="error-summary")
    try:
        answers.submit_with_code(round_.wave, data, draft.code, items=questionnaire.items)
        db.session.commit()
    except answers.CodeNotUsable:
        db.session.rollback()
        return _refusal(round_, draft.code)
    except answers.NotOpen:
        db.session.rollback()
        return _refusal(round_, draft.code)
    return _with_draft(redirect(url_for(".thanks"), code=303), None)


@bp.get("/f/tack")
def thanks():
    """Thank the official; nothing about the answers is shown."""
    return render_template("officials/answer/thanks.html")


def _render(round_: OfficialRound, questionnaire: Questionnaire, current: Page, draft: Draft):
    return render_template(
        "officials/answer/form.html",
        wave=round_.wave,
        questionnaire=questionnaire,
        page=current,
        pages=len(questionnaire.pages),
        values=draft.values,
        errors={k: v for k, v in draft.errors.items() if k in current.fields(questionnaire)},
        failed=False,
        token=draft.nonce,
        page_action=url_for(".page", number=current.number),
        send_action=url_for(".send"),
    )
