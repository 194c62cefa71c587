"""Staff pages for questionnaires: waves, classroom sheets, paper entry, imports, instruments."""

import base64
import io
import json

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, may_see_population, require, visible_populations
from mvp.extensions import db
from mvp.fields import ConfirmForm, choices
from mvp.schools import services as school_services
from mvp.schools.grades import grade_label
from mvp.schools.views import selected_school_year
from mvp.surveys import importing, instruments, services
from mvp.surveys.forms import AnswerDateForm, ImportForm, ItemForm, WaveEditForm, WaveForm
from mvp.surveys.instruments import ItemData
from mvp.surveys.labels import (
    KIND_LABELS,
    PHASE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    THE_WAVE,
    WAVE_TITLES,
)
from mvp.surveys.models import Item, Source
from mvp.surveys.paper_form import paper_questionnaire_pdf
from mvp.surveys.populations import POPULATION_LABELS
from mvp.surveys.questionnaire import Questionnaire
from mvp.surveys.services import WaveData
from mvp.tabular import CellError, TableErrors
from mvp.validation import Invalid, add_errors_to_form, remove_confirmed, save_form
from mvp.versioning import check_version, refuse_stale, track

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

# The audit log's words for this area's codes.
audit_labels.register_values("wave", "phase", PHASE_LABELS)
audit_labels.register_values("wave", "population", POPULATION_LABELS)
audit_labels.register_values("instrument", "population", POPULATION_LABELS)


@bp.app_context_processor
def survey_labels() -> dict:
    """Names of phases, states and sources for every template."""
    return {
        "phase_labels": PHASE_LABELS,
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "kind_labels": KIND_LABELS,
        "wave_titles": WAVE_TITLES,
        "the_wave": THE_WAVE,
    }


def pupil_address(code: str | None = None) -> str:
    """The address pupils open: the short one (…/e), or straight to a wave's form."""
    base = current_app.config.get("PUPIL_URL") or url_for("pupil.start", _external=True)
    base = base.rstrip("/")
    return f"{base}/{code}" if code else base


# --- waves ---------------------------------------------------------------------------------


@bp.get("/")
@require("surveys.view")
def index():
    """The waves of the chosen school year, with answers and linkage per wave."""
    year = selected_school_year()
    school_id = request.args.get("school", type=int)
    return render_template(
        "surveys/index.html",
        rows=services.list_waves(current_user, year, school_id),
        schools=school_services.list_schools(current_user),
        school_id=school_id,
        year=year,
        years=school_services.school_years_in_use(current_user),
    )


def _wave_data(form: WaveForm, group_id: int | None) -> WaveData:
    return WaveData(
        group_id=group_id,
        phase=form.phase.data,
        instrument_id=form.instrument_id.data,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
    )


def _instrument_choices(form, group) -> None:
    form.instrument_id.choices = choices(
        (i.id, f"{i.name_sv} v{i.version}") for i in services.instruments_for(group)
    )


@bp.route("/waves/new", methods=["GET", "POST"])
@require("surveys.manage")
def wave_new():
    """Open a wave for a pupil group of the user's schools."""
    year = selected_school_year()
    groups = school_services.list_groups(current_user, year)
    form = WaveForm()
    form.group_id.choices = choices(
        [("", _("Choose a group"))]
        + [
            (
                g.id,
                _(
                    "%(school)s, %(group)s (grade %(grade)s)",
                    school=g.school.name,
                    group=g.name,
                    grade=grade_label(g.grade),
                ),
            )
            for g in groups
        ]
    )
    group_id = (
        form.group_id.data if request.method == "POST" else request.args.get("group", type=int)
    )
    group = next((g for g in groups if g.id == group_id), None)
    _instrument_choices(form, group)
    if request.method == "GET":
        form.group_id.data = group_id
        suggested = services.suggested_instrument(group)
        form.instrument_id.data = suggested.id if suggested else None
    wave = save_form(
        form, lambda: services.create_wave(current_user, _wave_data(form, form.group_id.data))
    )
    if wave:
        flash(_("The wave was opened. Its code is %(code)s.", code=wave.code), "success")
        return redirect(url_for(".wave", wave_id=wave.id))
    return render_template(
        "surveys/wave_new.html",
        form=form,
        year=year,
        years=school_services.school_years_in_use(current_user),
        has_instrument=bool(form.instrument_id.choices),
    )


@bp.get("/waves/<int:wave_id>")
@require("surveys.view")
def wave(wave_id: int):
    """A wave: its code, dates, answers, linkage and batches; never one pupil's answers."""
    wave = services.get_wave(current_user, wave_id)
    return render_template(
        "surveys/wave.html",
        wave=wave,
        overview=services.wave_overview(wave),
        status=services.wave_status(wave),
        address=pupil_address(),
        can_manage=can("surveys.manage"),
        confirm=ConfirmForm(),
    )


@bp.route("/waves/<int:wave_id>/edit", methods=["GET", "POST"])
@require("surveys.manage")
def wave_edit(wave_id: int):
    """Change a wave's dates (to reopen or extend it), phase or questionnaire."""
    wave = services.get_wave(current_user, wave_id)
    form = track(WaveEditForm(obj=wave), wave)
    _instrument_choices(form, wave.group)
    if save_form(
        form, lambda: services.update_wave(current_user, wave, _wave_data(form, wave.group_id))
    ):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".wave", wave_id=wave.id))
    return render_template("surveys/wave_edit.html", form=form, wave=wave)


@bp.post("/waves/<int:wave_id>/shared-device")
@require("surveys.manage")
def wave_shared_device(wave_id: int):
    """Turn "shared devices" on or off for a class that answers on the school's devices."""
    wave = services.get_wave(current_user, wave_id)
    if ConfirmForm().validate_on_submit():
        services.set_shared_device(wave, request.form.get("shared") == "1")
        db.session.commit()
        if wave.shared_device:
            flash(
                _("Shared devices are on: after “Thank you” the next pupil starts afresh."),
                "success",
            )
        else:
            flash(
                _("Shared devices are off: a browser that has answered cannot answer again."),
                "success",
            )
    return redirect(url_for(".wave", wave_id=wave.id))


@bp.get("/waves/<int:wave_id>/paper.pdf")
@require("surveys.view")
def paper_pdf(wave_id: int):
    """The wave's paper questionnaire to print, in the order of the paper-entry grid."""
    wave = services.get_wave(current_user, wave_id)
    pdf = paper_questionnaire_pdf(wave, services.instrument_items(wave.instrument_id))
    return send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        download_name=f"enkat-{wave.code}.pdf",
        as_attachment=False,
    )


@bp.route("/waves/<int:wave_id>/delete", methods=["GET", "POST"])
@require("surveys.manage")
def wave_delete(wave_id: int):
    """Ask, then remove a wave; one with answers only a project lead may remove."""
    wave = services.get_wave(current_user, wave_id)
    answers = services.count_responses(wave)
    allowed = answers == 0 or can("surveys.delete_answers")
    form = ConfirmForm()
    if form.validate_on_submit():
        if not allowed:
            flash(_("Only a project lead can remove a wave that has answers."), "error")
            return redirect(url_for(".wave", wave_id=wave.id))
        code = wave.code
        services.delete_wave(wave)
        db.session.commit()
        flash(_("The wave %(code)s was removed.", code=code), "success")
        return redirect(url_for(".index"))
    return render_template(
        "surveys/wave_delete.html", form=form, wave=wave, answers=answers, allowed=allowed
    )


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI for an <img> (no inline styles for the CSP)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.get("/waves/<int:wave_id>/sheet")
@require("surveys.view")
def sheet(wave_id: int):
    """The printable classroom sheet: the code, the short address and a QR code."""
    wave = services.get_wave(current_user, wave_id)
    direct = pupil_address(wave.code)
    return render_template(
        "surveys/sheet.html",
        wave=wave,
        address=pupil_address(),
        direct=direct,
        qr=qr_data_uri(direct),
    )


@bp.get("/waves/<int:wave_id>/template.<any(csv, xlsx):fmt>")
@require("surveys.view")
def template(wave_id: int, fmt: str):
    """The wave's import template to fill in (CSV for Excel, or an Excel workbook)."""
    wave = services.get_wave(current_user, wave_id)
    items = services.instrument_items(wave.instrument_id)
    name = f"enkat-{wave.code}.{fmt}"
    if fmt == "csv":
        body, mimetype = importing.template_csv(items), "text/csv; charset=utf-8"
    else:
        body = importing.template_xlsx(wave, items)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


# --- paper and import ----------------------------------------------------------------------


def _grid_context(wave, items, rows, errors, *, batch=None, pad: int = 0) -> dict:
    columns = importing.grid_columns(items, wave.group.school.grades)
    cell_errors: dict[tuple[int, str], str] = {}
    general = []
    heading_to_key = {c.heading: c.key for c in columns}
    for error in errors:
        key = heading_to_key.get(error.column)
        if error.row is not None and key:
            cell_errors[(error.row, key)] = error.message
        else:
            general.append(error)
    return {
        "wave": wave,
        "columns": columns,
        "rows": rows + [{"arskurs": str(wave.group.grade)} for _ in range(pad)],
        "errors": errors,
        "cell_errors": cell_errors,
        "general_errors": general,
        "batch": batch,
        "max_rows": importing.MAX_GRID_ROWS,
        # The server's wording of a cell's error, with places for the grid's script to fill.
        "error_template": str(CellError(0, "{column}", "{message}")).replace("0", "{row}", 1),
    }


def _save_answers(form, save) -> tuple[object | None, list]:
    """Check the answer date, run `save()` (which returns the batch) and commit; or collect
    why nothing was saved. Returns (the batch or None, the table's errors by row and column);
    date errors go on the form."""
    try:
        services.check_answer_date(form.answered_on.data)
        batch = save()
    except Invalid as error:
        db.session.rollback()
        add_errors_to_form(form, error)
        return None, []
    except TableErrors as error:
        db.session.rollback()
        return None, error.errors
    except StaleDataError:
        # A correction of the same batch was saved between the version check and this write.
        _refuse_stale_batch(form, checked=False)
        return None, []
    db.session.commit()
    return batch, []


def _posted_grid(keys) -> tuple[list, list[dict]]:
    """The filled rows (for saving) and every posted row as typed (to show again)."""
    filled = importing.grid_rows(request.form, keys)
    shown = []
    numbers = sorted(
        {
            int(name[1:].split("-", 1)[0])
            for name in request.form
            if name.startswith("r") and "-" in name and name[1:].split("-", 1)[0].isdecimal()
        }
    )
    for n in numbers:
        row = {key: request.form.get(f"r{n}-{key}", "") for key in [*keys, "id", "remove"]}
        shown.append(row)
    return filled, shown


@bp.route("/waves/<int:wave_id>/paper", methods=["GET", "POST"])
@require("surveys.manage")
def paper(wave_id: int):
    """Type in paper questionnaires in a keyboard-only grid; saved all-or-nothing."""
    wave = services.get_wave(current_user, wave_id)
    items = services.instrument_items(wave.instrument_id)
    keys = importing.columns(items)
    form = AnswerDateForm()
    errors, shown = [], []
    if request.method == "GET":
        form.answered_on.data = services.default_answer_date(wave)
        # One row per questionnaire the group can still hand in (more rows can be added).
        remaining = wave.group.size - services.count_responses(wave)
        shown = [{"arskurs": str(wave.group.grade)} for _ in range(max(remaining, 1))]
    elif form.validate_on_submit():
        rows, shown = _posted_grid(keys)
        batch, errors = _save_answers(
            form, lambda: importing.save_paper(wave, rows, form.answered_on.data, current_user)
        )
        if batch is not None:
            flash(_("%(n)d questionnaires were saved.", n=batch.rows), "success")
            return redirect(url_for(".wave", wave_id=wave.id))
    else:
        _rows, shown = _posted_grid(keys)
    return render_template(
        "surveys/paper.html", form=form, **_grid_context(wave, items, shown, errors)
    )


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@require("surveys.manage")
def batch_edit(batch_id: int):
    """Correct a typed-in paper batch: the only page that shows single questionnaires."""
    batch = services.get_batch(current_user, batch_id)
    wave = services.get_wave(current_user, batch.wave_id)
    if batch.source != Source.PAPER:
        flash(
            _("Only typed-in paper batches can be corrected. Remove the import instead."), "error"
        )
        return redirect(url_for(".wave", wave_id=wave.id))
    items = services.instrument_items(wave.instrument_id)
    keys = importing.columns(items)
    stored = {r.id: r for r in services.batch_responses(batch)}
    stored_on = next(iter(stored.values())).answered_on if stored else None
    # The form carries the batch's version: a correction opened before someone else's is
    # refused (the date is the one field a diff can name; the grid keeps what was typed).
    form = track(AnswerDateForm(), batch, lambda _batch: {"answered_on": stored_on})
    errors = []
    if request.method == "GET":
        form.answered_on.data = stored_on
        shown = importing.batch_grid(batch, items)
    else:
        rows, shown = _posted_grid(keys)
        remaining, kept = importing.corrected_rows(rows, request.form, stored)
        if form.validate_on_submit():
            if not check_version(form):
                _refuse_stale_batch(form, checked=True)
            elif replaced := importing.replaced_rows(remaining, request.form, stored):
                errors = replaced
            else:
                corrected, errors = _save_answers(
                    form,
                    lambda: importing.correct_paper(batch, remaining, form.answered_on.data, kept),
                )
                if corrected is not None:
                    flash(_("The corrections were saved."), "success")
                    return redirect(url_for(".wave", wave_id=wave.id))
    return render_template(
        "surveys/paper.html",
        form=form,
        # Empty rows to add to only on opening: a posted grid comes back as it was typed.
        **_grid_context(
            wave, items, shown, errors, batch=batch, pad=3 if request.method == "GET" else 0
        ),
    )


def _refuse_stale_batch(form, *, checked: bool) -> None:
    """Say that someone else corrected the batch meanwhile; nothing of this save is kept.

    `checked`: check_version has already said so (else the save lost the race at its write).
    """
    db.session.rollback()
    if not checked and check_version(form):
        refuse_stale(form)
    form.form_errors.append(_("The batch's questionnaires were corrected by someone else."))


@bp.route("/batches/<int:batch_id>/delete", methods=["GET", "POST"])
@require("surveys.manage")
def batch_delete(batch_id: int):
    """Ask, then remove a typed-in or imported batch with its questionnaires."""
    batch = services.get_batch(current_user, batch_id)
    wave = services.get_wave(current_user, batch.wave_id)
    form = ConfirmForm()
    if remove_confirmed(form, lambda: services.delete_batch(batch)):
        flash(_("The batch was removed with its %(n)d questionnaires.", n=batch.rows), "success")
        return redirect(url_for(".wave", wave_id=wave.id))
    return render_template("surveys/batch_delete.html", form=form, batch=batch, wave=wave)


@bp.route("/waves/<int:wave_id>/import", methods=["GET", "POST"])
@require("surveys.manage")
def import_answers(wave_id: int):
    """Import a CSV or Excel file that follows the wave's template; all-or-nothing."""
    wave = services.get_wave(current_user, wave_id)
    form = ImportForm()
    errors = []
    if request.method == "GET":
        form.answered_on.data = services.default_answer_date(wave)
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [*form.file.errors, _("Choose a file.")]
        else:
            data, name = upload.read(), upload.filename
            batch, errors = _save_answers(
                form,
                lambda: importing.import_file(
                    wave, data, name, answered_on=form.answered_on.data, user=current_user
                ),
            )
            if batch is not None:
                flash(_("%(n)d questionnaires were imported.", n=batch.rows), "success")
                return redirect(url_for(".wave", wave_id=wave.id))
    items = services.instrument_items(wave.instrument_id)
    return render_template(
        "surveys/import_answers.html",
        form=form,
        wave=wave,
        errors=errors,
        # A whole-file problem (not a table, not this template): offer the template with it.
        file_problem=bool(errors) and all(e.row is None for e in errors),
        columns=importing.columns(items),
    )


# --- instruments ---------------------------------------------------------------------------


def _instrument_or_404(instrument_id: int):
    """One version, if the user may see its population (else 404, as outside one's scope)."""
    instrument = instruments.get_instrument(instrument_id)
    if not may_see_population(instrument.population):
        abort(404)
    return instrument


@bp.get("/instruments/")
@require("instruments.view")
def instruments_index():
    """Every questionnaire version, how much it is used, and whether it may still change."""
    return render_template(
        "surveys/instruments_index.html",
        rows=instruments.list_instruments(visible_populations()),
    )


@bp.post("/instruments/default")
@require("instruments.edit")
def instrument_default():
    """Add the default MVP questionnaire if the database has none."""
    instrument = instruments.ensure_default_instrument()
    db.session.commit()
    flash(_("The questionnaire %(name)s is available.", name=instrument.name_sv), "success")
    return redirect(url_for(".instrument", instrument_id=instrument.id))


@bp.get("/instruments/<int:instrument_id>")
@require("instruments.view")
def instrument(instrument_id: int):
    """One version: its scales (construct, direction) and questions."""
    instrument = _instrument_or_404(instrument_id)
    versions = instruments.list_instruments([instrument.population])
    return render_template(
        "surveys/instrument.html",
        instrument=instrument,
        frozen=instruments.is_frozen(instrument),
        versions=[r for r in versions if r.instrument.key == instrument.key],
        can_edit=can("instruments.edit"),
        confirm=ConfirmForm(),
    )


@bp.get("/instruments/<int:instrument_id>/preview")
@require("instruments.view")
def instrument_preview(instrument_id: int):
    """The questionnaire as pupils see it (nothing can be sent)."""
    instrument = _instrument_or_404(instrument_id)
    questionnaire = Questionnaire(
        list(instrument.items), (7, 8, 9), str(get_locale()), instrument.population
    )
    return render_template(
        "surveys/instrument_preview.html",
        instrument=instrument,
        questionnaire=questionnaire,
        values={},
        errors={},
    )


@bp.get("/instruments/<int:instrument_id>/definition.json")
@require("instruments.view")
def instrument_definition(instrument_id: int):
    """The version written down as JSON, to keep or to load as a new version by command."""
    instrument = _instrument_or_404(instrument_id)
    body = json.dumps(instruments.definition_of(instrument), ensure_ascii=False, indent=2)
    name = f"{instrument.key}-v{instrument.version}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.post("/instruments/<int:instrument_id>/active")
@require("instruments.edit")
def instrument_active(instrument_id: int):
    """Offer a version for new waves, or stop offering it."""
    instrument = _instrument_or_404(instrument_id)
    instruments.set_active(instrument, not instrument.active)
    db.session.commit()
    if instrument.active:
        flash(_("Version %(v)d is offered for new waves.", v=instrument.version), "success")
    else:
        flash(
            _("Version %(v)d is no longer offered for new waves.", v=instrument.version), "success"
        )
    return redirect(url_for(".instrument", instrument_id=instrument.id))


def _item_data(form: ItemForm, kind: str | None = None) -> ItemData:
    return ItemData(
        text_sv=form.text_sv.data or "",
        text_en=form.text_en.data or "",
        kind=kind or form.kind.data,
        scale=form.scale.data or None,
        reverse=form.reverse.data,
        required=form.required.data,
        options=form.option_list(),
        key=(form.key.data or "").strip(),
    )


def _changed(change: instruments.Change):
    """Say what a committed change to a question did, and go back to the questionnaire."""
    if change.new_version:
        flash(
            _(
                "The questionnaire has answers, so the change was saved as a new version "
                "(v%(v)d). Waves already opened keep their version.",
                v=change.instrument.version,
            ),
            "success",
        )
    else:
        flash(_("The changes were saved."), "success")
    return redirect(url_for(".instrument", instrument_id=change.instrument.id))


def _item_page(form: ItemForm, instrument, item, save):
    """Validate the question form, save it with `save(data)`, or show it (new or change)."""
    change = save_form(form, lambda: save(_item_data(form, kind=item.kind if item else None)))
    if change:
        return _changed(change)
    return render_template(
        "surveys/item_form.html",
        form=form,
        instrument=instrument,
        item=item,
        frozen=instruments.is_frozen(instrument),
    )


@bp.route("/instruments/<int:instrument_id>/items/new", methods=["GET", "POST"])
@require("instruments.edit")
def item_new(instrument_id: int):
    """Add a question (a new version if the questionnaire has answers)."""
    instrument = _instrument_or_404(instrument_id)
    form = ItemForm()
    form.set_scales(instrument.scales)
    return _item_page(form, instrument, None, lambda data: instruments.add_item(instrument, data))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@require("instruments.edit")
def item_edit(item_id: int):
    """Change a question (a new version if the questionnaire has answers)."""
    item = db.get_or_404(Item, item_id)
    form = track(ItemForm(obj=item), item)
    form.set_scales(item.instrument.scales)
    if request.method == "GET":
        form.scale.data = item.scale.key if item.scale else ""
        form.options.data = "\n".join(f"{o['sv']} | {o['en']}" for o in item.options or [])
    return _item_page(form, item.instrument, item, lambda data: instruments.update_item(item, data))


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
@require("instruments.edit")
def item_delete(item_id: int):
    """Ask, then remove a question (a new version if the questionnaire has answers)."""
    item = db.get_or_404(Item, item_id)
    form = ConfirmForm()
    instrument_id = item.instrument_id
    change = remove_confirmed(form, lambda: instruments.remove_item(item))
    if change is False:
        return redirect(url_for(".instrument", instrument_id=instrument_id))
    if change:
        return _changed(change)
    return render_template(
        "surveys/item_delete.html",
        form=form,
        item=item,
        frozen=instruments.is_frozen(item.instrument),
    )
