"""The officials' area for staff: bodies and seats, rounds and their codes, reference values,
and the results (web page, PDF, Excel, JSON) — all drawn from one SafetyResult.

Leads and administrators run everything; viewers read the suppressed results; coordinators
do not see the area (403, as other areas they hold no permission for).
"""

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, require
from mvp.extensions import db
from mvp.fields import ConfirmForm
from mvp.officials import imports, letters, reports, results, services
from mvp.officials.forms import BodyForm, ReferenceForm, RoundForm, SeatImportForm, ThresholdForm
from mvp.officials.labels import (
    BODY_KIND_LABELS,
    REFERENCE_SEX_LABELS,
    SEAT_KIND_LABELS,
    SEAT_SEX_LABELS,
    STATUS_LABELS,
)
from mvp.officials.models import PoliticalBody, SeatKind, SeatSex
from mvp.surveys import single_use
from mvp.surveys.waves import local_today
from mvp.tabular import TableErrors
from mvp.validation import Invalid, save_form
from mvp.versioning import track

bp = Blueprint("officials", __name__, url_prefix="/officials")

audit_labels.register_values("political_body", "kind", BODY_KIND_LABELS)
audit_labels.register_values("official_reference", "sex", REFERENCE_SEX_LABELS)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_context_processor
def _labels():
    return {
        "body_kind_labels": BODY_KIND_LABELS,
        "seat_kind_labels": SEAT_KIND_LABELS,
        "seat_sex_labels": SEAT_SEX_LABELS,
        "round_status_labels": STATUS_LABELS,
        "reference_sex_labels": REFERENCE_SEX_LABELS,
    }


def answer_address() -> str:
    """The address in the letters (MVP_OFFICIALS_URL, else this server's /f)."""
    base = current_app.config.get("OFFICIALS_URL") or url_for(
        "official_answer.start", _external=True
    )
    return base.rstrip("/")


# --- the area's start page ---------------------------------------------------------------------


@bp.get("/")
@require("officials.results")
def index():
    """Bodies, seats per year and rounds (leads); viewers go straight to the results."""
    if not can("officials.manage"):
        return redirect(url_for(".results_page"))
    rounds = services.list_rounds()
    counts = single_use.code_counts([r.wave_id for r in rounds])
    return render_template(
        "officials/index.html",
        bodies=services.list_bodies(),
        seat_totals=services.seats_per_year(),
        rounds=rounds,
        counts=counts,
        status={r.id: services.round_status(r) for r in rounds},
        this_year=local_today().year,
    )


# --- bodies ------------------------------------------------------------------------------------


def _body_data(form: BodyForm) -> services.BodyData:
    return services.BodyData(form.name.data or "", form.kind.data, bool(form.active.data))


@bp.route("/bodies/new", methods=["GET", "POST"])
@require("officials.manage")
def body_new():
    """Register a political body."""
    form = BodyForm()
    if save_form(form, lambda: services.create_body(_body_data(form))):
        flash(_("The body was saved."), "success")
        return redirect(url_for(".index"))
    return render_template("officials/body_form.html", form=form, body=None)


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@require("officials.manage")
def body_edit(body_id: int):
    """Change a body's name, kind or whether it is active."""
    body = db.get_or_404(PoliticalBody, body_id)
    form = track(BodyForm(obj=body), body)
    if save_form(form, lambda: services.update_body(body, _body_data(form))):
        flash(_("The body was saved."), "success")
        return redirect(url_for(".index"))
    return render_template("officials/body_form.html", form=form, body=body)


# --- seats -------------------------------------------------------------------------------------


def _field(body_id: int, kind: str, sex: str) -> str:
    return f"s-{body_id}-{kind}-{sex}"


@bp.route("/seats/<int:year>", methods=["GET", "POST"])
@require("officials.manage")
def seats(year: int):
    """Type in a year's seats: per body, women, men and others per kind of seat."""
    form = ConfirmForm()
    bodies = services.list_bodies(active_only=True)
    values = {_field(*key): str(n) for key, n in services.seat_grid(year).items()}
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        grid = {}
        for body in bodies:
            for kind in SeatKind:
                for sex in SeatSex:
                    name = _field(body.id, kind.value, sex.value)
                    text = request.form.get(name, "").strip()
                    values[name] = text
                    if not text:
                        continue
                    if not text.isdecimal() or len(text) > 6:
                        errors[name] = _(
                            "%(body)s, %(kind)s, %(sex)s: write a whole number, 0 or more.",
                            body=body.name,
                            kind=SEAT_KIND_LABELS[kind],
                            sex=SEAT_SEX_LABELS[sex],
                        )
                        continue
                    grid[(body.id, kind.value, sex.value)] = int(text)
        if not errors:
            try:
                services.save_seats(year, grid)
                db.session.commit()
            except Invalid as error:
                db.session.rollback()
                errors = {"seats": " ".join(str(m) for m in error.errors.values())}
            else:
                flash(_("The seats of %(year)d were saved.", year=year), "success")
                return redirect(url_for(".index"))
    return render_template(
        "officials/seats.html",
        form=form,
        year=year,
        bodies=bodies,
        values=values,
        errors=errors,
        field_name=_field,
        kinds=list(SeatKind),
        sexes=list(SeatSex),
    ), (400 if errors else 200)


@bp.route("/seats/import", methods=["GET", "POST"])
@require("officials.manage")
def seats_import():
    """Import a year's seats from the secretariat's list, all or nothing."""
    form = SeatImportForm()
    if request.method == "GET":
        form.year.data = local_today().year
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            bodies = imports.import_seats(upload.read(), upload.filename or "", form.year.data)
        except TableErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(
                _(
                    "The seats of %(year)d were imported for %(n)d bodies.",
                    year=form.year.data,
                    n=bodies,
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return render_template(
        "officials/seats_import.html", form=form, errors=errors, header=imports.HEADER
    ), (400 if errors else 200)


@bp.get("/seats/template.<fmt>")
@require("officials.manage")
def seats_template(fmt: str):
    """The seat template, with the registered bodies filled in (CSV for Excel, or XLSX)."""
    if fmt == "csv":
        body, mimetype = imports.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = imports.template_xlsx(), XLSX
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="mandat.{fmt}"'},
    )


# --- rounds ------------------------------------------------------------------------------------


@bp.route("/rounds/new", methods=["GET", "POST"])
@require("officials.manage")
def round_new():
    """Open the year's round on the newest officials' questionnaire."""
    form = RoundForm()
    if request.method == "GET":
        today = local_today()
        form.year.data = today.year
        form.opens_on.data = today
        form.closes_on.data = today + dt.timedelta(days=28)
    round_ = save_form(
        form,
        lambda: services.create_round(
            services.RoundData(
                form.year.data, form.opens_on.data, form.closes_on.data, form.suppression_min.data
            )
        ),
    )
    if round_:
        flash(_("The round %(year)d was created.", year=round_.year), "success")
        return redirect(url_for(".round_page", round_id=round_.id))
    return render_template("officials/round_new.html", form=form)


@bp.get("/rounds/<int:round_id>")
@require("officials.manage")
def round_page(round_id: int):
    """A round: its state, codes, response rate by sex and kind of seat, and actions."""
    round_ = services.get_round(round_id)
    threshold = ThresholdForm()
    threshold.suppression_min.data = round_.suppression_min
    return render_template(
        "officials/round.html",
        round=round_,
        status=services.round_status(round_),
        counts=single_use.code_counts([round_.wave_id])[round_.wave_id],
        seats=services.seats_in_round(round_),
        rates=services.response_rates(round_),
        confirm=ConfirmForm(),
        threshold=threshold,
        address=answer_address(),
    )


@bp.post("/rounds/<int:round_id>/codes")
@require("officials.manage")
def round_codes(round_id: int):
    """Make the round's codes and hand them over at once: letters (PDF) and CSV in a ZIP."""
    round_ = services.get_round(round_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        codes = services.make_codes(round_)
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        for message in error.errors.values():
            flash(message, "error")
        return redirect(url_for(".round_page", round_id=round_.id))
    body = letters.letters_zip(
        codes,
        year=round_.year,
        municipality=current_app.config["MUNICIPALITY_NAME"],
        base=answer_address(),
    )
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="koder-{round_.year}.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/rounds/<int:round_id>/close")
@require("officials.manage")
def round_close(round_id: int):
    """Close a round now."""
    round_ = services.get_round(round_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.close_round(round_)
        db.session.commit()
        flash(_("The round %(year)d is closed.", year=round_.year), "success")
    return redirect(url_for(".round_page", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/threshold")
@require("officials.manage")
def round_threshold(round_id: int):
    """Change the round's suppression threshold."""
    round_ = services.get_round(round_id)
    form = ThresholdForm()
    if form.validate_on_submit():
        try:
            services.set_threshold(round_, form.suppression_min.data)
            db.session.commit()
            flash(_("The threshold was saved."), "success")
        except Invalid as error:
            db.session.rollback()
            for message in error.errors.values():
                flash(message, "error")
    else:
        flash(_("Write a number between 2 and 50."), "error")
    return redirect(url_for(".round_page", round_id=round_.id))


# --- reference values --------------------------------------------------------------------------


@bp.route("/references", methods=["GET", "POST"])
@require("officials.manage")
def references():
    """The national reference values (BRÅ's PTU) shown beside the results."""
    form = ReferenceForm()
    saved = save_form(
        form,
        lambda: services.add_reference(
            services.ReferenceData(
                form.measure.data,
                form.sex.data,
                float(form.percent.data),
                form.year.data,
                form.source.data.strip(),
            )
        ),
    )
    if saved:
        flash(_("The reference value was saved."), "success")
        return redirect(url_for(".references"))
    return render_template(
        "officials/references.html",
        form=form,
        references=services.list_references(),
        confirm=ConfirmForm(),
        measure_label=results.measure_label,
    )


@bp.post("/references/<int:reference_id>/delete")
@require("officials.manage")
def reference_delete(reference_id: int):
    """Remove a reference value."""
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_reference(reference_id)
        db.session.commit()
        flash(_("The reference value was removed."), "success")
    return redirect(url_for(".references"))


# --- results -----------------------------------------------------------------------------------


def _result():
    return results.build(request.args.get("year", type=int))


@bp.get("/results")
@require("officials.results")
def results_page():
    """The result for the committee: the two shares, the trend, and the tables by sex."""
    result = _result()
    return render_template(
        "officials/results.html",
        result=result,
        tables=reports.all_tables(result),
        chart=reports.trend_chart(result),
        headline=reports.headline_text if result.current else None,
        years=[y.year for y in result.trend],
    )


@bp.get("/results.pdf")
@require("officials.results")
def results_pdf():
    """The annual report as PDF."""
    result = _result()
    return Response(
        reports.render_pdf(result),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="trygghet-{result.year}.pdf"'},
    )


@bp.get("/results.xlsx")
@require("officials.results")
def results_xlsx():
    """The Excel appendix."""
    result = _result()
    return Response(
        reports.render_xlsx(result),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="trygghet-{result.year}.xlsx"'},
    )


@bp.get("/api/results.json")
@require("officials.results")
def results_json():
    """The result as JSON: the same figures as the PDF and Excel, unformatted."""
    return jsonify(_result().as_json())
