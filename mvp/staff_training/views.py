"""Pages of the staff training: coverage, plan, units, programmes, occasions, attendance."""

import datetime as dt
import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import administration_scope, can, require, sees_only_aggregates
from mvp.extensions import db
from mvp.fields import choices
from mvp.mentors.labels import SEX_LABELS
from mvp.mentors.models import Sex
from mvp.organisation.models import Administration
from mvp.reports import pdf
from mvp.reports.xlsx import tables_workbook
from mvp.staff_training import coverage as cov
from mvp.staff_training import imports, labels, questionnaire, services
from mvp.staff_training.forms import (
    AdministrationForm,
    OccasionForm,
    ParticipantForm,
    ProgrammeForm,
    QuestionnaireWaveForm,
    UnitForm,
    UnitImportForm,
    attendance_form,
)
from mvp.staff_training.models import HEADCOUNT_SEXES, Audience, StaffRole
from mvp.staff_training.services import (
    ATTENDED,
    REGISTERED,
    OccasionData,
    ParticipantData,
    UnitData,
)
from mvp.staff_training.status import as_json, year_status
from mvp.tabular import TableErrors
from mvp.validation import save_form
from mvp.versioning import track

bp = Blueprint("staff_training", __name__, url_prefix="/staff-training")

audit_labels.register_values("staff_occasion", "audience", labels.AUDIENCE_LABELS)
audit_labels.register_values("staff_participant", "role", labels.STAFF_ROLE_LABELS)
audit_labels.register_values("staff_participant", "sex", SEX_LABELS)
audit_labels.register_values("staff_programme", "kind", labels.PROGRAMME_KIND_LABELS)
audit_labels.register_values("staff_attendance_count", "role", labels.STAFF_ROLE_LABELS)
audit_labels.register_values("staff_attendance_count", "sex", SEX_LABELS)
for _name in ("managers_women", "managers_men", "staff_women", "staff_men"):
    # The unit form's own label of the headcount field ("Chefer, kvinnor").
    audit_labels.register_field("org_unit", _name, getattr(UnitForm, _name).args[0])


@bp.record_once
def register_template_helpers(state) -> None:
    """Label helpers of the staff training, in every template."""
    state.app.jinja_env.globals.update(
        audience_label=labels.audience_label,
        staff_role_label=labels.staff_role_label,
        role_plural_label=labels.role_plural_label,
        programme_kind_label=labels.programme_kind_label,
    )


def _settings() -> tuple[float, int]:
    return (
        float(current_app.config["STAFF_TRAINING_MANAGERS_FIRST"]),
        int(current_app.config["STAFF_TRAINING_REFRESHER_YEARS"]),
    )


def _today() -> dt.date:
    return dt.date.today()


# --- coverage, plan, due, status ---------------------------------------------------------------


@bp.get("/")
@require("staff_training.view")
def index():
    """Coverage by administration (everyone) and by unit (leads and HR contacts), managers
    first: which units are ready for staff training."""
    threshold, _years = _settings()
    records = cov.load_records(administration_ids=administration_scope(current_user))
    administrations = cov.coverage(records, _today(), threshold)
    details = can("staff_training.details")
    status = None
    if sees_only_aggregates(current_user) or not details:
        status = year_status(_today().year, records, [], today=_today())
    return render_template(
        "staff_training/index.html",
        administrations=administrations,
        threshold=threshold,
        details=details,
        status=status,
        roles=cov.ROLES,
        sexes=cov.SEXES,
        total=cov.TOTAL,
        year=_today().year,
    )


@bp.get("/plan")
@require("staff_training.view")
def plan():
    """The top-down order as a plan with dates: politicians, management, managers, staff."""
    occasions = services.list_occasions(current_user)
    administrations = services.list_administrations(current_user, include_inactive=False)
    rows = []
    for administration in administrations:
        mine = [
            o
            for o in occasions
            if o.audience == Audience.POLITICIANS
            or any(u.administration_id == administration.id for u in o.units)
        ]
        rows.append((administration, cov.plan_steps(mine, _today())))
    return render_template(
        "staff_training/plan.html", rows=rows, audiences=list(Audience), today=_today()
    )


@bp.get("/due")
@require("staff_training.details")
def due():
    """Refreshers due, per unit: people and counted groups due within the coming year."""
    _threshold, years = _settings()
    records = cov.load_records(administration_ids=administration_scope(current_user))
    by = cov.add_years(_today(), 1)
    due_list = cov.refreshers_due(records, years=years, by=by)
    units = {unit.id: unit for unit in records.units}
    by_unit: dict = {}
    for entry in due_list:
        if entry.unit_id in units:
            by_unit.setdefault(entry.unit_id, []).append(entry)
    return render_template(
        "staff_training/due.html",
        units=[u for u in records.units if u.id in by_unit],
        by_unit=by_unit,
        years=years,
        by=by,
        today=_today(),
    )


@bp.get("/status-<int:year>.<fmt>")
@require("staff_training.view")
def status(year: int, fmt: str):
    """A year's one-page status as PDF, Excel or JSON (suppressed for everyone)."""
    if fmt not in ("pdf", "xlsx", "json") or not 2000 <= year <= 2100:
        abort(404)
    records = cov.load_records(administration_ids=administration_scope(current_user))
    occasions = services.list_occasions(current_user)
    result = year_status(year, records, occasions, today=_today())
    language = str(get_locale() or "sv")
    with force_locale(language):
        title = _("Gender-equality training: status %(year)d", year=year)
        lines = [
            result.municipality,
            _("As of %(day)s.", day=result.as_of.isoformat()),
            _(
                "A unit is ready for staff training when at least %(share)d %% of its managers "
                "are trained.",
                share=round(result.threshold * 100),
            ),
        ]
        if fmt == "pdf":

            def story(styles, width):
                flowables = [pdf.para(title, styles.h1)]
                flowables += [pdf.para(line, styles.body) for line in lines]
                too_few = _("Too few people to show these figures.")
                return flowables + pdf.tables_story(
                    result.tables, [], styles, width, too_few=too_few
                )

            body = pdf.render_report(
                title=title,
                author=result.municipality,
                subject=title,
                lang=language,
                footer=f"{result.municipality} · {title}",
                story=story,
            )
            mimetype = "application/pdf"
        elif fmt == "xlsx":
            body = tables_workbook([(title, ""), *((line, "") for line in lines)], result.tables)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = json.dumps(as_json(result), ensure_ascii=False, indent=1)
            mimetype = "application/json"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="jamstalldhetsutbildning-{year}.{fmt}"'
        },
    )


# --- administrations and units -----------------------------------------------------------------


@bp.get("/administrations")
@require("staff_training.details")
def administrations():
    """The administrations and their units with HR's headcount."""
    return render_template(
        "staff_training/administrations.html",
        administrations=services.list_administrations(current_user),
        units=services.list_units(current_user),
    )


@bp.route("/administrations/new", methods=["GET", "POST"])
@require("staff_training.manage")
def administration_new():
    """Add an administration (leads)."""
    form = AdministrationForm()
    record = save_form(
        form, lambda: services.save_administration(None, form.name.data, form.active.data)
    )
    if record:
        flash(_("%(name)s was added.", name=record.name), "success")
        return redirect(url_for(".administrations"))
    return render_template("staff_training/form.html", form=form, heading=_("New administration"))


@bp.route("/administrations/<int:administration_id>/edit", methods=["GET", "POST"])
@require("staff_training.manage")
def administration_edit(administration_id: int):
    """Rename or deactivate an administration (leads)."""
    record = db.get_or_404(Administration, administration_id)
    form = track(AdministrationForm(obj=record), record)
    if save_form(
        form, lambda: services.save_administration(record, form.name.data, form.active.data)
    ):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".administrations"))
    return render_template("staff_training/form.html", form=form, heading=record.name)


def _unit_form(record=None) -> UnitForm:
    form = track(UnitForm(obj=record), record) if record is not None else UnitForm()
    form.administration_id.choices = choices(
        (str(a.id), a.name) for a in services.list_administrations(current_user)
    )
    if request.method == "GET" and record is not None:
        form.administration_id.data = str(record.administration_id)
    return form


def _unit_data(form: UnitForm) -> UnitData:
    return UnitData(
        administration_id=int(form.administration_id.data),
        name=form.name.data,
        managers_women=form.managers_women.data,
        managers_men=form.managers_men.data,
        staff_women=form.staff_women.data,
        staff_men=form.staff_men.data,
        active=form.active.data,
    )


@bp.route("/units/new", methods=["GET", "POST"])
@require("staff_training.manage")
def unit_new():
    """Add a unit with HR's headcount (leads)."""
    form = _unit_form()
    record = save_form(form, lambda: services.save_unit(None, _unit_data(form)))
    if record:
        flash(_("%(name)s was added.", name=record.name), "success")
        return redirect(url_for(".unit_detail", unit_id=record.id))
    return render_template("staff_training/form.html", form=form, heading=_("New unit"))


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require("staff_training.manage")
def unit_edit(unit_id: int):
    """Change a unit or its headcount (leads)."""
    record = services.get_unit(current_user, unit_id)
    form = _unit_form(record)
    if save_form(form, lambda: services.save_unit(record, _unit_data(form))):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".unit_detail", unit_id=record.id))
    return render_template("staff_training/form.html", form=form, heading=record.name)


@bp.get("/units/<int:unit_id>")
@require("staff_training.details")
def unit_detail(unit_id: int):
    """A unit: its headcount, coverage by role and sex, and who is due a refresher."""
    unit = services.get_unit(current_user, unit_id)
    threshold, years = _settings()
    records = cov.load_records(administration_ids=[unit.administration_id])
    records.units = [u for u in records.units if u.id == unit.id] or [unit]
    entry = cov.coverage(records, _today(), threshold)[0].units[0]
    due_list = [
        d
        for d in cov.refreshers_due(records, years=years, by=cov.add_years(_today(), 1))
        if d.unit_id == unit.id
    ]
    return render_template(
        "staff_training/unit.html",
        unit=unit,
        entry=entry,
        due=due_list,
        threshold=threshold,
        roles=cov.ROLES,
        sexes=cov.SEXES,
        total=cov.TOTAL,
        today=_today(),
    )


@bp.route("/units/import", methods=["GET", "POST"])
@require("staff_training.manage")
def unit_import():
    """Import HR's list of units and headcounts from CSV or Excel, all or nothing."""
    form = UnitImportForm()
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = imports.import_units(upload.read(), upload.filename or "")
        except TableErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(
                _(
                    "HR's list was imported: %(created)d units added, %(updated)d updated.",
                    created=len(result.created),
                    updated=len(result.updated),
                ),
                "success",
            )
            return redirect(url_for(".administrations"))
    return render_template(
        "staff_training/import.html", form=form, errors=errors, columns=imports.column_help()
    )


@bp.get("/units/import/template.<fmt>")
@require("staff_training.manage")
def unit_template(fmt: str):
    """An empty list of units to fill in, as CSV (semicolons, for Excel) or XLSX."""
    if fmt == "csv":
        body, mimetype = imports.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = imports.template_xlsx()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="enheter.{fmt}"'},
    )


# --- programmes --------------------------------------------------------------------------------


@bp.get("/programmes")
@require("staff_training.details")
def programmes():
    """The training programmes."""
    return render_template("staff_training/programmes.html", programmes=services.list_programmes())


def _save_programme(record, form):
    return services.save_programme(
        record, form.name.data, form.kind.data, form.description.data or "", form.active.data
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@require("staff_training.manage")
def programme_new():
    """Add a programme (leads)."""
    form = ProgrammeForm()
    if save_form(form, lambda: _save_programme(None, form)):
        flash(_("The programme was added."), "success")
        return redirect(url_for(".programmes"))
    return render_template("staff_training/form.html", form=form, heading=_("New programme"))


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require("staff_training.manage")
def programme_edit(programme_id: int):
    """Change a programme (leads)."""
    from mvp.staff_training.models import Programme

    record = db.get_or_404(Programme, programme_id)
    form = track(ProgrammeForm(obj=record), record)
    if save_form(form, lambda: _save_programme(record, form)):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".programmes"))
    return render_template("staff_training/form.html", form=form, heading=record.name)


# --- occasions and attendance ------------------------------------------------------------------


@bp.get("/occasions")
@require("staff_training.details")
def occasions():
    """Occasions within the user's sight, latest first, staff occasions flagged."""
    threshold, _years = _settings()
    rows = services.list_occasions(current_user)
    records = cov.load_records()
    flagged = {o.id: cov.flagged_units(records, o, threshold) for o in rows}
    return render_template(
        "staff_training/occasions.html", occasions=rows, flagged=flagged, today=_today()
    )


def _occasion_form(record=None) -> OccasionForm:
    form = track(OccasionForm(obj=record), record) if record is not None else OccasionForm()
    form.programme_id.choices = choices(
        (str(p.id), p.name) for p in services.list_programmes() if p.active or p is record
    )
    form.unit_ids.choices = choices(
        (u.id, f"{u.administration.name}: {u.name}") for u in services.list_units(current_user)
    )
    if request.method == "GET" and record is not None:
        form.programme_id.data = str(record.programme_id)
        form.unit_ids.data = [u.id for u in record.units]
    return form


def _occasion_data(form: OccasionForm) -> OccasionData:
    return OccasionData(
        programme_id=int(form.programme_id.data) if form.programme_id.data else None,
        held_on=form.held_on.data,
        hours=form.hours.data,
        audience=form.audience.data,
        unit_ids=list(form.unit_ids.data or []),
        trainer=form.trainer.data or "",
        notes=form.notes.data or "",
    )


@bp.route("/occasions/new", methods=["GET", "POST"])
@require("staff_training.manage")
def occasion_new():
    """Add an occasion, held or planned (leads)."""
    form = _occasion_form()
    record = save_form(
        form, lambda: services.save_occasion(None, _occasion_data(form), today=_today())
    )
    if record:
        flash(_("The occasion was added."), "success")
        return redirect(url_for(".occasion_detail", occasion_id=record.id))
    return render_template("staff_training/form.html", form=form, heading=_("New occasion"))


@bp.route("/occasions/<int:occasion_id>/edit", methods=["GET", "POST"])
@require("staff_training.manage")
def occasion_edit(occasion_id: int):
    """Change an occasion (leads)."""
    record = services.get_occasion(current_user, occasion_id)
    form = _occasion_form(record)
    if save_form(
        form, lambda: services.save_occasion(record, _occasion_data(form), today=_today())
    ):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".occasion_detail", occasion_id=record.id))
    return render_template("staff_training/form.html", form=form, heading=_("Change the occasion"))


def _visible_participants(occasion):
    scope = administration_scope(current_user)
    return [
        p
        for p in occasion.participants
        if scope is None or (p.unit is not None and p.unit.administration_id in scope)
    ]


@bp.get("/occasions/<int:occasion_id>")
@require("staff_training.details")
def occasion_detail(occasion_id: int):
    """An occasion: its invited units (flagged where managers were not trained first) and
    who attended."""
    occasion = services.get_occasion(current_user, occasion_id)
    threshold, _years = _settings()
    flagged = cov.flagged_units(cov.load_records(), occasion, threshold)
    return render_template(
        "staff_training/occasion.html",
        occasion=occasion,
        participants=_visible_participants(occasion),
        flagged=flagged,
        threshold=threshold,
        future=occasion.held_on > _today(),
        can_record=bool(services.changeable_units(current_user, occasion))
        and can("staff_training.attendance"),
    )


@bp.route("/occasions/<int:occasion_id>/participants/new", methods=["GET", "POST"])
@require("staff_training.attendance")
def participant_new(occasion_id: int):
    """Register one person for an occasion (or record them as attended)."""
    occasion = services.get_occasion(current_user, occasion_id)
    units = services.changeable_units(current_user, occasion)
    form = ParticipantForm()
    unit_choices = [(str(u.id), u.name) for u in units]
    if occasion.audience == Audience.POLITICIANS and services.can_record_politicians(current_user):
        unit_choices.insert(0, ("", _("No unit (politician)")))
    form.unit_id.choices = choices(unit_choices)
    if request.method == "GET" and occasion.held_on <= _today():
        form.attended.data = True

    def add():
        return services.add_participant(
            current_user,
            occasion,
            ParticipantData(
                name=form.name.data,
                email=form.email.data or "",
                unit_id=int(form.unit_id.data) if form.unit_id.data else None,
                role=form.role.data,
                sex=form.sex.data,
                attended=form.attended.data,
            ),
            today=_today(),
        )

    participant = save_form(form, add)
    if participant:
        flash(_("%(name)s was registered.", name=participant.name), "success")
        return redirect(url_for(".occasion_detail", occasion_id=occasion.id))
    return render_template(
        "staff_training/participant_new.html",
        form=form,
        occasion=occasion,
        future=occasion.held_on > _today(),
    )


@bp.route("/occasions/<int:occasion_id>/attendance", methods=["GET", "POST"])
@require("staff_training.attendance")
def occasion_attendance(occasion_id: int):
    """Mark who attended, and the counts per unit, role and sex, in one table."""
    occasion = services.get_occasion(current_user, occasion_id)
    units = services.changeable_units(current_user, occasion)
    allowed = {u.id for u in units}
    participants = [
        p
        for p in occasion.participants
        if p.unit_id in allowed
        or (p.unit_id is None and services.can_record_politicians(current_user))
    ]
    roles = [(r, labels.role_plural_label(r).lower()) for r in (StaffRole.MANAGER, StaffRole.STAFF)]
    sexes = [(s, str(SEX_LABELS[Sex(s)]).lower()) for s in HEADCOUNT_SEXES]
    current_counts = {(c.unit_id, c.role, c.sex): c.attended for c in occasion.counts}
    form = track(
        attendance_form(participants, units, roles, sexes, current_counts),
        occasion,
        values=lambda o: {
            f"p_{p.id}": ATTENDED if p.attended else REGISTERED for p in participants
        },
    )

    def save():
        statuses = {p.id: form[f"p_{p.id}"].data for p in participants}
        counts = {
            (u.id, r, s): form[f"c_{u.id}_{r}_{s}"].data or 0
            for u in units
            for r, _label in roles
            for s, _label2 in sexes
        }
        services.record_attendance(current_user, occasion, statuses, counts, today=_today())

    if save_form(form, save):
        flash(_("The attendance was saved."), "success")
        return redirect(url_for(".occasion_detail", occasion_id=occasion.id))
    return render_template(
        "staff_training/attendance.html",
        form=form,
        occasion=occasion,
        participants=participants,
        units=units,
        roles=roles,
        sexes=sexes,
        future=occasion.held_on > _today(),
    )


# --- did it help: the programme's questionnaire -------------------------------------------------


@bp.route("/programmes/<int:programme_id>/questionnaire", methods=["GET", "POST"])
@require("staff_training.manage")
def programme_questionnaire(programme_id: int):
    """A programme's before/after questionnaire: open a wave, show its link and QR code to
    the room, and read the change by sex (suppressed)."""
    from mvp.staff_training.models import Programme
    from mvp.surveys.views import pupil_address, qr_data_uri

    programme = db.get_or_404(Programme, programme_id)
    form = QuestionnaireWaveForm()
    if request.method == "GET":
        form.opens_on.data = _today()
        form.closes_on.data = _today() + dt.timedelta(days=14)
    opened = save_form(
        form,
        lambda: questionnaire.open_wave(
            programme.id, form.phase.data, form.opens_on.data, form.closes_on.data
        ),
    )
    if opened:
        flash(_("The questionnaire was opened."), "success")
        return redirect(url_for(".programme_questionnaire", programme_id=programme.id))
    waves = [
        (link, pupil_address(link.wave.code))
        for link in questionnaire.programme_waves(programme.id)
    ]
    rows = questionnaire.change_by_sex([programme.id]).get(programme.name, [])
    return render_template(
        "staff_training/questionnaire.html",
        programme=programme,
        form=form,
        waves=[(link, address, qr_data_uri(address)) for link, address in waves],
        change=questionnaire.change_table(programme.name, rows) if rows else None,
    )
