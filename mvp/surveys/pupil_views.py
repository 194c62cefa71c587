"""The pupils' pages: type the code, answer, send once. No account, no IP address, no time.

Double submissions are stopped twice over, without storing anything about the pupil: each
form carries a signed single-use token whose random part is stored with the answer (unique),
and the browser keeps a signed cookie listing the waves it has answered.
"""

import secrets

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer

from mvp.extensions import csrf, db, limiter
from mvp.surveys import answers, waves
from mvp.surveys.models import Wave
from mvp.surveys.questionnaire import Questionnaire

bp = Blueprint("pupil", __name__)

ANSWERED_COOKIE = "mvp_besvarat"
ANSWERED_MAX_AGE = 400 * 24 * 3600
_MAX_REMEMBERED = 30


@bp.after_request
def never_cache(response):
    """Each form carries its own single-use token: no browser or school proxy may keep a copy
    and hand it to the next pupil."""
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
    waves = [*earlier, wave_id]
    response.set_cookie(
        ANSWERED_COOKIE,
        _serializer("answered").dumps(waves),
        max_age=ANSWERED_MAX_AGE,
        path="/e",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


def _form_token(wave: Wave) -> str:
    return _serializer("pupil-form").dumps({"w": wave.id, "n": secrets.token_hex(16)})


def _read_token(wave: Wave, token: str | None) -> str | None:
    """The random part of a genuine token for this wave, else None."""
    try:
        data = _serializer("pupil-form").loads(token or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != wave.id:
        return None
    nonce = str(data.get("n", ""))
    return nonce if len(nonce) == 32 else None


def _questionnaire(wave: Wave) -> Questionnaire:
    items = answers.instrument_items(wave.instrument_id)
    return Questionnaire(items, wave.group.school.grades, str(get_locale()))


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


@bp.route("/e/<code>", methods=["GET", "POST"])
@csrf.exempt  # the signed single-use token below protects this form instead
@limiter.limit(_code_limit, deduct_when=_unknown_code)
@limiter.limit(_submit_limit, methods=["POST"], key_func=_wave_and_address)
def form(code: str):
    """The questionnaire of an open wave; a clear page when it is not open or already answered."""
    wave = waves.find_wave(code)
    if wave is None:
        return render_template("pupil/start.html", error="unknown", code=code.upper()), 404
    if wave.code != code:
        return redirect(url_for(".form", code=wave.code))
    status = waves.wave_status(wave)
    if status != "open":
        return render_template("pupil/not_open.html", wave=wave, status=status)
    if wave.id in answered_waves():
        return render_template("pupil/already.html", wave=wave)
    questionnaire = _questionnaire(wave)
    errors: dict[str, str] = {}
    if request.method == "POST":
        nonce = _read_token(wave, request.form.get("token"))
        if nonce is None:
            abort(400)
        data, errors = questionnaire.parse(request.form)
        if data is not None:
            try:
                answers.submit_online(wave, data, nonce)
                db.session.commit()
            except answers.AlreadySubmitted:
                db.session.rollback()
                return render_template("pupil/already.html", wave=wave)
            except answers.NotOpen as closed:
                db.session.rollback()
                return render_template("pupil/not_open.html", wave=wave, status=closed.status)
            except sa.exc.OperationalError:
                # The database was too busy even after waiting: the answers stay in the form
                # with the same token, so "Try again" cannot store them twice.
                db.session.rollback()
                return _render_form(
                    wave, questionnaire, request.form, {}, request.form["token"], failed=True
                ), 503
            response = redirect(url_for(".thanks", code=wave.code))
            _remember_answered(response, wave.id)
            return response
    token = request.form.get("token") if errors else _form_token(wave)
    return _render_form(wave, questionnaire, request.form if errors else {}, errors, token)


def _render_form(wave, questionnaire, values, errors, token, *, failed=False) -> str:
    return render_template(
        "pupil/form.html",
        wave=wave,
        questionnaire=questionnaire,
        values=values,
        errors=errors,
        token=token,
        failed=failed,
    )


@bp.get("/e/<code>/tack")
def thanks(code: str):
    """Thank the pupil; nothing about the answers is shown."""
    wave = waves.find_wave(code)
    if wave is None:
        abort(404)
    return render_template("pupil/thanks.html", wave=wave)
