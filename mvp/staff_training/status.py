"""A year's status of the staff training as tables: one set of figures for the web page,
the PDF, Excel and JSON (mvp.reports draws them as it draws the evaluation's tables).

Counts of people are suppressed below STAFF_TRAINING_SUPPRESSION_MIN, with a second cell
where a row's total would give a hidden one back (mvp.evaluation.suppress); a share is
shown only where its count is.
"""

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from mvp.evaluation.suppress import SUPPRESSED, suppress_counts
from mvp.reports.tables import Column, Table
from mvp.staff_training import coverage as cov
from mvp.staff_training.labels import role_plural_label
from mvp.staff_training.models import Audience, StaffRole


@dataclass
class YearStatus:
    """The status on the last day of a year (or today, for the year under way)."""

    year: int
    as_of: dt.date
    municipality: str
    threshold: float
    tables: list[Table]


def _share(trained, headcount):
    if trained == SUPPRESSED:
        return SUPPRESSED
    return trained / headcount if headcount else None


def coverage_table(administrations, min_n: int) -> Table:
    """Trained and share by administration, role and sex (women, men, all)."""
    table = Table(
        "coverage",
        "status",
        _("Trained by administration, role and sex"),
        [
            Column(_("Administration")),
            Column(_("Role")),
            Column(_("Women trained"), "count"),
            Column(_("Share of women"), "share"),
            Column(_("Men trained"), "count"),
            Column(_("Share of men"), "share"),
            Column(_("All trained"), "count"),
            Column(_("Share of all"), "share"),
            Column(_("Headcount"), "count"),
        ],
        note=_(
            "Staff are the unit's employees who are not managers. Figures about fewer than "
            "%(n)d people are shown as “..”.",
            n=min_n,
        ),
    )
    for entry in administrations:
        for role in cov.ROLES:
            cells = {sex: entry.cells[(role, sex)] for sex in cov.SEXES}
            shown, total = suppress_counts(
                {sex: cells[sex].trained for sex in cov.HEADCOUNT_SEXES},
                min_n,
                total=cells[cov.TOTAL].trained,
            )
            row = [entry.administration.name, role_plural_label(role)]
            for sex in cov.HEADCOUNT_SEXES:
                row += [shown[sex], _share(shown[sex], cells[sex].headcount)]
            row += [total, _share(total, cells[cov.TOTAL].headcount), cells[cov.TOTAL].headcount]
            table.rows.append(row)
    return table


def managers_first_table(administrations, flagged: dict[int, int]) -> Table:
    """Per administration: units, units ready for staff training, staff occasions flagged."""
    table = Table(
        "managers_first",
        "status",
        _("Managers first"),
        [
            Column(_("Administration")),
            Column(_("Units"), "count"),
            Column(_("Ready for staff training"), "count"),
            Column(_("Staff occasions flagged “chefer först”"), "count"),
        ],
    )
    for entry in administrations:
        table.rows.append(
            [
                entry.administration.name,
                len(entry.units),
                len(entry.ready_units),
                flagged.get(entry.administration.id, 0),
            ]
        )
    return table


def refreshers_table(administrations, due: list, min_n: int) -> Table:
    """People due a refresher by the end of the year, by administration and role."""
    table = Table(
        "refreshers",
        "status",
        _("Due a refresher by the end of the year"),
        [
            Column(_("Administration")),
            Column(_("Managers"), "count"),
            Column(_("Staff"), "count"),
            Column(_("All"), "count"),
        ],
    )
    for entry in administrations:
        units = {unit.unit.id for unit in entry.units}
        counts = {
            role: sum(d.people for d in due if d.unit_id in units and d.role == role)
            for role in cov.ROLES
        }
        shown, total = suppress_counts(counts, min_n, total=sum(counts.values()))
        table.rows.append(
            [entry.administration.name, shown[StaffRole.MANAGER], shown[StaffRole.STAFF], total]
        )
    return table


def year_status(year: int, records: cov.Records, occasions, *, today: dt.date) -> YearStatus:
    """The year's status from loaded records and the year's occasions (pure but for config)."""
    config = current_app.config
    as_of = min(dt.date(year, 12, 31), today)
    threshold = float(config["STAFF_TRAINING_MANAGERS_FIRST"])
    min_n = int(config["STAFF_TRAINING_SUPPRESSION_MIN"])
    administrations = cov.coverage(records, as_of, threshold)
    flagged: dict[int, int] = {}
    for occasion in occasions:
        if occasion.held_on.year != year or occasion.audience != Audience.STAFF:
            continue
        for administration_id in {
            u.administration_id for u in cov.flagged_units(records, occasion, threshold)
        }:
            flagged[administration_id] = flagged.get(administration_id, 0) + 1
    due = cov.refreshers_due(
        records,
        years=int(config["STAFF_TRAINING_REFRESHER_YEARS"]),
        by=dt.date(year, 12, 31),
    )
    from mvp.staff_training import questionnaire

    tables = [
        coverage_table(administrations, min_n),
        managers_first_table(administrations, flagged),
        refreshers_table(administrations, due, min_n),
    ]
    # Questionnaire results where a programme asked before and after in the year.
    for programme, rows in questionnaire.change_by_sex(year=year).items():
        tables.append(questionnaire.change_table(programme, rows))
    return YearStatus(year, as_of, config["MUNICIPALITY_NAME"], threshold, tables)


def as_json(status: YearStatus) -> dict:
    """The status as plain data: each table's columns and rows as they are (".." kept)."""
    return {
        "year": status.year,
        "as_of": status.as_of.isoformat(),
        "municipality": status.municipality,
        "managers_first_share": status.threshold,
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "columns": [c.label for c in table.columns],
                "rows": table.rows,
                "note": table.note,
            }
            for table in status.tables
        ],
    }
