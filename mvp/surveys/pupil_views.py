"""The pupils' pages: type the code, answer page by page, send once. No account, no IP address,
no time.

The questionnaire comes in short pages (mvp.surveys.questionnaire.Questionnaire.pages). Each
page is a form posted to the server, which keeps what was answered so far in a signed cookie
of the pupil's browser (the *draft*: never in the database, never on the server) and answers
with a redirect to the next page's address (post/redirect/get): the browser's Back and Forward
show pages with their answers kept and never ask to send a form again, and all of it works
without JavaScript. Only the last page's *Skicka* stores the answer, in one short insert.

Double submissions are stopped without storing anything about the pupil: the draft holds a
random single-use token that is stored with the answer (unique), so the same draft is never
stored twice, and the browser keeps a signed cookie listing the waves it has answered. A wave
on *shared devices* (set by staff) skips that cookie: after "Tack" the next pupil starts a
fresh draft, and only the single-use token guards against a second answer.
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
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer

from mvp.extensions import csrf, db, limiter
from mvp.surveys import answers, kept_questions, waves
from mvp.surveys.questionnaire import Page, Questionnaire
from mvp.surveys.waves import AnsweredWave

bp = Blueprint("pupil", __name__)

ANSWERED_COOKIE = "mvp_besvarat"
ANSWERED_MAX_AGE = 400 * 24 * 3600
DRAFT_COOKIE = "mvp_utkast"
_MAX_REMEMBERED = 30


@bp.after_request
def never_cache(response):
    """Pages carry the pupil's own answers and token: no browser or school proxy may keep a
    copy and hand it to the next pupil."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _code_limit() -> str:
    return current_app.config["PUPIL_CODE_RATE_LIMIT"]


def _submit_limit() -> str:
    return current_app.config["PUPIL_SUBMIT_RATE_LIMIT"]


def _wave_and_address() -> str:
    # A whole class answers from the school's one public address, so each wave has its own
    # allowance per address; the address is only counted in memory/Redis, never stored.
    return f"{get_remote_address()}:{(request.view_args or {}).get('code', '')}"


def _unknown_code(response) -> bool:
    return response.status_code == 404


def _cookie(response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/e",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


# --- waves this browser has answered ----------------------------------------------------------


def answered_waves() -> set[int]:
    """The waves this browser has sent answers to (from its signed cookie)."""
    raw = request.cookies.get(ANSWERED_COOKIE)
    if not raw:
        return set()
    try:
        return {int(w) for w in _serializer("answered").loads(raw)}
    except (BadSignature, TypeError, ValueError):
        return set()


def _remember_answered(response, wave_id: int) -> None:
    earlier = [w for w in answered_waves() if w != wave_id][-(_MAX_REMEMBERED - 1) :]
    value = _serializer("answered").dumps([*earlier, wave_id])
    _cookie(response, ANSWERED_COOKIE, value, ANSWERED_MAX_AGE)


# --- the draft: answers so far, in the pupil's browser only -----------------------------------


@dataclass
class Draft:
    """What one pupil has answered so far, with the single-use token of this answer."""

    wave_id: int
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # shown once on the page they concern
    failed: bool = False  # the last sending failed: show "Try again"

    def dump(self) -> str:
        data = {"w": self.wave_id, "n": self.nonce, "v": self.values}
        if self.errors:
            data["e"] = self.errors
        if self.failed:
            data["f"] = 1
        return _serializer("pupil-draft").dumps(data)

    @classmethod
    def load(cls, wave: AnsweredWave) -> "Draft | None":
        try:
            data = _serializer("pupil-draft").loads(request.cookies.get(DRAFT_COOKIE, ""))
            if data["w"] != wave.id or len(data["n"]) != 32:
                return None
            return cls(wave.id, data["n"], dict(data["v"]), dict(data.get("e", {})), "f" in data)
        except (BadSignature, KeyError, TypeError, ValueError):
            return None


def _form_token(wave: AnsweredWave, nonce: str | None = None) -> str:
    """The hidden token of a page: this draft's random part, signed for this wave."""
    return _serializer("pupil-form").dumps({"w": wave.id, "n": nonce or secrets.token_hex(16)})


def _token_matches(wave: AnsweredWave, draft: Draft) -> bool:
    """A page's posted token is genuine, for this wave, and belongs to the browser's draft
    (a form posted from another site carries no such pair)."""
    try:
        data = _serializer("pupil-form").loads(request.form.get("token") or "")
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("w") == wave.id and data.get("n") == draft.nonce


def _go(wave: AnsweredWave, page: int, draft: Draft | None, *, anchor: str | None = None):
    """Redirect to a page (303: the browser then GETs it), saving the draft."""
    response = redirect(url_for(".page", code=wave.code, number=page, _anchor=anchor), code=303)
    if draft is not None:
        _cookie(response, DRAFT_COOKIE, draft.dump())
    return response


# --- the pages --------------------------------------------------------------------------------


def _questionnaire(wave: AnsweredWave) -> Questionnaire:
    return kept_questions.questionnaire_of(
        wave.instrument, wave.grades, str(get_locale()), wave.population
    )


def _open_wave(code: str):
    """The wave of this code, or the page to show instead (unknown, moved, not open, done)."""
    wave = waves.find_answered_wave(code)
    if wave is None:
        return None, (render_template("pupil/start.html", error="unknown", code=code.upper()), 404)
    if wave.code != code:
        return None, redirect(url_for(".form", code=wave.code))
    status = waves.wave_status(wave)
    if status != "open":
        return None, render_template("pupil/not_open.html", wave=wave, status=status)
    if not wave.shared_device and wave.id in answered_waves():
        return None, render_template("pupil/already.html", wave=wave)
    return wave, None


@bp.route("/e", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(_code_limit, deduct_when=_unknown_code)
def start():
    """The short address on the classroom sheet: type the code."""
    code = waves.normalise_code(request.values.get("kod", ""))
    if request.method == "POST" or code:
        if not code:
            return render_template("pupil/start.html", error="missing", code=""), 400
        wave = waves.find_wave(code)
        if wave is None:
            return render_template("pupil/start.html", error="unknown", code=code), 404
        return redirect(url_for(".form", code=wave.code))
    return render_template("pupil/start.html", error=None, code="")


@bp.get("/e/<code>")
@limiter.limit(_code_limit, deduct_when=_unknown_code)
def form(code: str):
    """The questionnaire's address (the QR code's): start, or go on with this browser's draft.

    On a shared device every visit here starts afresh, so a pupil never sees the answers of
    the one before who left without sending.
    """
    wave, other = _open_wave(code)
    if wave is None:
        return other
    draft = None if wave.shared_device else Draft.load(wave)
    return _go(wave, 1, draft or Draft(wave.id))


@bp.route("/e/<code>/sida/<int:number>", methods=["GET", "POST"])
@csrf.exempt  # the signed token of the browser's own draft protects these forms instead
@limiter.limit(_code_limit, deduct_when=_unknown_code)
def page(code: str, number: int):
    """One page of the questionnaire; a posted page keeps its answers and moves on or back."""
    wave, other = _open_wave(code)
    if wave is None:
        return other
    draft = Draft.load(wave)
    if draft is None:  # a new browser, or the draft was sent: start from the beginning
        return redirect(url_for(".form", code=wave.code))
    questionnaire = _questionnaire(wave)
    pages = questionnaire.pages
    if not 1 <= number <= len(pages):
        abort(404)
    current = pages[number - 1]
    if request.method == "GET":
        return _render_page(wave, questionnaire, current, draft)
    if not _token_matches(wave, draft):
        abort(400)
    _keep_answers(draft, questionnaire, current)
    draft.errors, draft.failed = {}, False
    if request.form.get("go") == "back":
        return _go(wave, max(number - 1, 1), draft)
    errors = questionnaire.page_errors(current, draft.values)
    if errors:
        draft.errors = errors
        return _go(wave, number, draft, anchor="error-summary")
    return _go(wave, min(number + 1, len(pages)), draft)


@bp.post("/e/<code>/skicka")
@csrf.exempt
@limiter.limit(_code_limit, deduct_when=_unknown_code)
@limiter.limit(_submit_limit, key_func=_wave_and_address)
def send(code: str):
    """The last page's *Skicka*: the whole draft is checked and stored in one short insert."""
    wave, other = _open_wave(code)
    if wave is None:
        return other
    draft = Draft.load(wave)
    if draft is None:
        return redirect(url_for(".form", code=wave.code))
    if not _token_matches(wave, draft):
        abort(400)
    questionnaire = _questionnaire(wave)
    last = questionnaire.pages[-1]
    _keep_answers(draft, questionnaire, last)
    draft.errors, draft.failed = {}, False
    data, errors = questionnaire.parse(draft.values)
    if data is None:
        draft.errors = errors
        return _go(
            wave, questionnaire.first_page_with(errors).number, draft, anchor="error-summary"
        )
    # Read before the commit expires the wave (else one more SELECT to build the redirect).
    wave_id, wave_code, shared_device = wave.id, wave.code, wave.shared_device
    try:
        answers.submit_online(wave, data, draft.nonce, items=questionnaire.items)
        db.session.commit()
    except answers.AlreadySubmitted:
        db.session.rollback()
        return _finish(render_template("pupil/already.html", wave=wave))
    except answers.NotOpen as closed:
        db.session.rollback()
        return render_template("pupil/not_open.html", wave=wave, status=closed.status)
    except sa.exc.OperationalError:
        # The database stayed busy even after waiting: every answer stays in the draft with
        # the same token, so "Try again" cannot store them twice.
        db.session.rollback()
        draft.failed = True
        return _go(wave, last.number, draft, anchor="error-summary")
    response = _finish(redirect(url_for(".thanks", code=wave_code), code=303))
    if not shared_device:
        _remember_answered(response, wave_id)
    return response


def _finish(response):
    """Forget the draft: the answers are stored (or were already), the device is free."""
    response = make_response(response)
    response.delete_cookie(DRAFT_COOKIE, path="/e")
    return response


def _keep_answers(draft: Draft, questionnaire: Questionnaire, current: Page) -> None:
    """Put the posted page's answers into the draft (a cleared answer is removed)."""
    for name in current.fields(questionnaire):
        value = request.form.get(name, "")[:20]
        if value:
            draft.values[name] = value
        else:
            draft.values.pop(name, None)


def _render_page(
    wave: AnsweredWave, questionnaire: Questionnaire, current: Page, draft: Draft
) -> str:
    return render_template(
        "pupil/form.html",
        wave=wave,
        questionnaire=questionnaire,
        page=current,
        pages=len(questionnaire.pages),
        values=draft.values,
        errors={k: v for k, v in draft.errors.items() if k in current.fields(questionnaire)},
        failed=draft.failed,
        token=_form_token(wave, draft.nonce),
        page_action=url_for(".page", code=wave.code, number=current.number),
        send_action=url_for(".send", code=wave.code),
    )


@bp.get("/e/<code>/tack")
def thanks(code: str):
    """Thank the pupil; nothing about the answers is shown. On a shared device: a way for the
    next pupil to start."""
    wave = waves.find_answered_wave(code)
    if wave is None:
        abort(404)
    return render_template("pupil/thanks.html", wave=wave)
