"""Kolada's formats and its open API: one reader for a download, one fetch, one save.

Kolada (kolada.se, run by RKA) publishes key figures (KPIs, e.g. N00938) per municipality and
year, with gender T (total), K (women, kvinnor) and M (men, män). Two kinds of download are
read by `read_download`:

- a saved answer of the open API, version 3 (`/v3/data/kpi/{ids}/municipality/{code}/year/
  {years}`): ``{"values": [{"kpi": "N00938", "municipality": "0188", "period": 2023,
  "values": [{"gender": "K", "value": 31.2}, …]}, …]}``, optionally with the KPIs' metadata
  answer (`/v3/kpi/{ids}`) under ``"kpis"`` so that their titles come along;
- Kolada's table export as CSV or Excel, one value per row, with the columns (case and
  spaces do not matter) ``Nyckeltals-id; Nyckeltal; Kommun-id; Kommun; År; Kön; Värde``
  (Kön: T/K/M or Totalt/Kvinnor/Män; Nyckeltal and Kommun optional).

`fetch` calls the open API through a transport — a function from an address to the decoded
JSON answer — so tests pass recorded answers and never reach the network. Every problem of a
download or a fetch is reported at once in Swedish; `save` is all or nothing (the caller
commits once).
"""

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.goals.models import KoladaKpi, KoladaValue
from mvp.tabular import CellError, TableErrors, read_table
from mvp.upload_checks import WrongFile, check_is_table

KPI_PATTERN = re.compile(r"^[NU]\d{5}$")
MUNICIPALITY_PATTERN = re.compile(r"^\d{4}$")
FIRST_YEAR = 1990
SOURCE = "Kolada"

Transport = Callable[[str], dict]

# How the export's columns may be written (after lower-casing and removing spaces, dashes).
COLUMNS = {
    "kpi": ("nyckeltalsid", "nyckeltalid", "kpi", "kpiid", "id"),
    "title": ("nyckeltal", "titel", "kpititle"),
    "municipality": ("kommunid", "kommunkod", "municipality", "municipalityid"),
    "municipality_name": ("kommun", "kommunnamn"),
    "year": ("år", "ar", "period", "year"),
    "gender": ("kön", "kon", "gender"),
    "value": ("värde", "varde", "value"),
}
REQUIRED = ("kpi", "municipality", "year", "gender", "value")
GENDER_SPELLINGS = {
    "t": "T",
    "totalt": "T",
    "total": "T",
    "alla": "T",
    "k": "K",
    "kvinnor": "K",
    "kvinna": "K",
    "m": "M",
    "män": "M",
    "man": "M",
}


class KoladaUnavailable(Exception):
    """Kolada's open API could not be reached (no network, timeout, an error answer)."""


@dataclass
class KoladaFigures:
    """What a download or fetch brought: KPIs {id: (title, by_sex)} and the values."""

    kpis: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # (kpi, municipality, year, gender) -> value (None: Kolada has no value)
    values: dict[tuple[str, str, int, str], float | None] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({key[2] for key in self.values})


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text).strip().lower())


def check_kpi(text: str) -> str | None:
    """Why a KPI id is not one of Kolada's (None when it looks right)."""
    if not KPI_PATTERN.match(text or ""):
        return _(
            "“%(kpi)s” is not a Kolada key figure id. They are written as N00938: "
            "N or U and five digits.",
            kpi=text,
        )
    return None


def check_municipality(text: str) -> str | None:
    """Why a municipality code is not one (None when it looks right)."""
    if not MUNICIPALITY_PATTERN.match(text or ""):
        return _(
            "“%(code)s” is not a municipality code. It is written with four digits, "
            "e.g. 0188 for Norrtälje.",
            code=text,
        )
    return None


def parse_year(text) -> int | str:
    """A year as an int, or an error message (four digits, from 1990 to next year)."""
    cleaned = str(text).strip()
    if cleaned.endswith(".0"):  # Excel keeps whole numbers as floats
        cleaned = cleaned[:-2]
    latest = dt.date.today().year + 1
    if not re.fullmatch(r"\d{4}", cleaned) or not FIRST_YEAR <= int(cleaned) <= latest:
        return _(
            "“%(year)s” is not a year. Write it with four digits, from %(first)d to %(last)d.",
            year=text,
            first=FIRST_YEAR,
            last=latest,
        )
    return int(cleaned)


def parse_years(text: str) -> list[int]:
    """'2020-2024' or '2021,2023' (or both) as years; raises ValueError with the message."""
    years: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        ends = part.split("-") if re.fullmatch(r"\d+-\d+", part) else [part]
        parsed = [parse_year(end) for end in ends]
        problem = next((p for p in parsed if isinstance(p, str)), None)
        if problem:
            raise ValueError(problem)
        years += list(range(parsed[0], parsed[-1] + 1))
    if not years:
        raise ValueError(_("Write the years, e.g. 2020-2024 or 2021,2023."))
    return sorted(set(years))


def _number(value) -> float | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("“%(value)s” is not a number.", value=value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if text in ("", "..", "-", "–"):
        return None
    try:
        return float(text)
    except ValueError:
        return _("“%(value)s” is not a number.", value=value)


def _gender(value) -> str | None:
    return GENDER_SPELLINGS.get(_key(value or ""))


# --- reading a download ----------------------------------------------------------------------


def read_download(data: bytes, filename: str) -> KoladaFigures:
    """The figures of a Kolada download (API v3 JSON, or the table export as CSV/Excel).

    Raises TableErrors with every problem; a file that is neither gets one message.
    """
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return read_api_answer(_json(stripped))
    check_is_table(data)
    table = read_table(data, filename)
    return _read_export(table)


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise WrongFile(_not_kolada()) from error


def _not_kolada() -> str:
    return _(
        "The file is not a Kolada download. Use Kolada's table export (CSV or Excel with "
        "the columns Nyckeltals-id, Kommun-id, År, Kön and Värde) or a saved answer of "
        "Kolada's open API (version 3)."
    )


def read_api_answer(answer, *, errors: list | None = None) -> KoladaFigures:
    """The figures of a v3 data answer ({"values": [...]}, optionally "kpis": [...])."""
    if not isinstance(answer, dict) or not isinstance(answer.get("values"), list):
        raise WrongFile(_not_kolada())
    figures = KoladaFigures()
    problems: list[CellError] = [] if errors is None else errors
    for meta in answer.get("kpis") or []:
        if isinstance(meta, dict) and isinstance(meta.get("id"), str):
            figures.kpis[meta["id"]] = (
                str(meta.get("title") or meta["id"]),
                bool(meta.get("is_divided_by_gender", True)),
            )
    for number, entry in enumerate(answer["values"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            raise WrongFile(_not_kolada())

        def problem(message: str, n=number) -> None:
            problems.append(
                CellError(None, None, _("Value %(n)d: %(message)s", n=n, message=message))
            )

        kpi = str(entry.get("kpi", ""))
        municipality = str(entry.get("municipality", ""))
        year = parse_year(entry.get("period", ""))
        bad = [check_kpi(kpi), check_municipality(municipality)]
        bad.append(year if isinstance(year, str) else None)
        for message in filter(None, bad):
            problem(message)
        if any(bad):
            continue
        for item in entry["values"]:
            gender = _gender(item.get("gender")) if isinstance(item, dict) else None
            value = _number(item.get("value")) if isinstance(item, dict) else None
            if gender is None:
                problem(_("Kön must be T, K or M."))
            elif isinstance(value, str):
                problem(value)
            else:
                figures.values[(kpi, municipality, year, gender)] = value
        figures.kpis.setdefault(kpi, (kpi, True))
    if errors is None and problems:
        raise TableErrors(problems)
    _note_gender_division(figures)
    return figures


def _note_gender_division(figures: KoladaFigures) -> None:
    """A KPI with no value for women or men is a total only (when its metadata is absent)."""
    divided = {key[0] for key in figures.values if key[3] in ("K", "M")}
    for kpi, (title, by_sex) in list(figures.kpis.items()):
        figures.kpis[kpi] = (title, by_sex and kpi in divided)


def _read_export(table) -> KoladaFigures:
    by_key = {}
    for name in table.header:
        for column, spellings in COLUMNS.items():
            if _key(name) in spellings and column not in by_key:
                by_key[column] = name
    if len([c for c in REQUIRED if c in by_key]) < 3:
        raise WrongFile(_not_kolada())
    missing = [c for c in REQUIRED if c not in by_key]
    if missing:
        raise TableErrors(
            [CellError(1, COLUMNS[c][0], _("The column is missing.")) for c in missing]
        )
    figures = KoladaFigures()
    errors: list[CellError] = []
    for number, row in table.numbered_rows():

        def cell(column: str, r=row) -> str:
            return r.get(by_key.get(column, ""), "").strip()

        def error(column: str, message: str, n=number) -> None:
            errors.append(CellError(n, by_key[column], message))

        kpi, municipality = cell("kpi"), cell("municipality")
        year = parse_year(cell("year"))
        gender = _gender(cell("gender"))
        value = _number(cell("value"))
        for column, message in (
            ("kpi", check_kpi(kpi)),
            ("municipality", check_municipality(municipality)),
            ("year", year if isinstance(year, str) else None),
            ("gender", None if gender else _("Kön must be T, K or M.")),
            ("value", value if isinstance(value, str) else None),
        ):
            if message:
                error(column, message)
        if errors and errors[-1].row == number:
            continue
        figures.values[(kpi, municipality, year, gender)] = value
        title = cell("title") or kpi
        figures.kpis.setdefault(kpi, (title, True))
    if errors:
        raise TableErrors(errors)
    _note_gender_division(figures)
    return figures


# --- checking and saving ------------------------------------------------------------------------


def municipality_code() -> str:
    """The municipality's code in Kolada (setting KOLADA_MUNICIPALITY)."""
    return str(current_app.config["KOLADA_MUNICIPALITY"])


def check_ours(figures: KoladaFigures, municipality: str | None = None) -> None:
    """Raise TableErrors when figures are for another municipality or there are none."""
    ours = municipality or municipality_code()
    others = sorted({key[1] for key in figures.values} - {ours})
    if others:
        raise TableErrors(
            [
                CellError(
                    None,
                    None,
                    _(
                        "The download holds figures for municipality %(codes)s, not for "
                        "this municipality (%(ours)s). Download the figures for %(ours)s.",
                        codes=", ".join(others),
                        ours=ours,
                    ),
                )
            ]
        )
    if not figures.values:
        raise TableErrors([CellError(None, None, _("The download holds no figures."))])


@dataclass
class Saved:
    """What was saved: the KPIs and the number of values."""

    kpis: list[str]
    values: int


def save(figures: KoladaFigures) -> Saved:
    """Store the figures: a KPI's title is updated, a year's values replaced (flush only)."""
    known = {k.id: k for k in db.session.scalars(sa.select(KoladaKpi))}
    now = dt.datetime.now(dt.UTC)
    for kpi_id, (title, by_sex) in figures.kpis.items():
        kpi = known.get(kpi_id)
        if kpi is None:
            db.session.add(KoladaKpi(id=kpi_id, title=title[:300], by_sex=by_sex, updated_at=now))
        else:
            if title != kpi_id:  # a data answer alone does not know the title
                kpi.title = title[:300]
            kpi.by_sex = by_sex
            kpi.updated_at = now
    db.session.flush()
    replaced = {(k[0], k[1], k[2]) for k in figures.values}
    for kpi_id, municipality, year in replaced:
        db.session.execute(
            sa.delete(KoladaValue).where(
                KoladaValue.kpi_id == kpi_id,
                KoladaValue.municipality == municipality,
                KoladaValue.year == year,
            )
        )
    db.session.add_all(
        KoladaValue(kpi_id=k, municipality=m, year=y, gender=g, value=v)
        for (k, m, y, g), v in sorted(figures.values.items())
    )
    db.session.flush()
    return Saved(sorted(figures.kpis), len(figures.values))


def import_download(data: bytes, filename: str) -> Saved:
    """Read, check and save a Kolada download, all or nothing (raises TableErrors)."""
    figures = read_download(data, filename)
    check_ours(figures)
    return save(figures)


# --- the open API -----------------------------------------------------------------------------


def urllib_transport(url: str) -> dict:
    """GET a Kolada address and decode its JSON (raises KoladaUnavailable)."""
    timeout = float(current_app.config.get("KOLADA_TIMEOUT", 20))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except (TimeoutError, urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise KoladaUnavailable(str(reason)) from error


def _get(transport: Transport, url: str) -> dict:
    answer = transport(url)
    if not isinstance(answer, dict):
        raise KoladaUnavailable(_("Kolada gave an answer that is not its format."))
    return answer


def fetch(
    kpis: Iterable[str], municipality: str, years: Iterable[int], transport: Transport
) -> KoladaFigures:
    """Ask the open API for the KPIs' metadata, the municipality and the values.

    Raises TableErrors for an unknown KPI id or municipality code (nothing fetched is kept)
    and KoladaUnavailable when the API cannot be reached.
    """
    kpis = list(dict.fromkeys(k.strip().upper() for k in kpis))
    years = sorted(set(years))
    errors = [CellError(None, None, m) for m in map(check_kpi, kpis) if m]
    problem = check_municipality(municipality)
    if problem:
        errors.append(CellError(None, None, problem))
    if errors:
        raise TableErrors(errors)
    base = str(current_app.config["KOLADA_API"]).rstrip("/")
    ids = ",".join(kpis)
    meta = _get(transport, f"{base}/kpi/{ids}").get("values") or []
    found = {m.get("id"): m for m in meta if isinstance(m, dict)}
    errors = [
        CellError(None, None, _("Kolada has no key figure %(kpi)s.", kpi=k))
        for k in kpis
        if k not in found
    ]
    places = _get(transport, f"{base}/municipality/{municipality}").get("values") or []
    if not any(isinstance(p, dict) and p.get("id") == municipality for p in places):
        errors.append(
            CellError(None, None, _("Kolada has no municipality %(code)s.", code=municipality))
        )
    if errors:
        raise TableErrors(errors)
    url = f"{base}/data/kpi/{ids}/municipality/{municipality}/year/{','.join(map(str, years))}"
    values: list = []
    while url:
        answer = _get(transport, url)
        values += answer.get("values") or []
        url = answer.get("next_url") or answer.get("next_page")
    figures = read_api_answer({"values": values, "kpis": list(found.values())})
    for kpi in kpis:  # a KPI without values in these years is still known by its title
        meta_of = found[kpi]
        by_sex = bool(meta_of.get("is_divided_by_gender", True))
        title = str(meta_of.get("title") or kpi)
        figures.kpis[kpi] = (title, by_sex)
    return figures


def transport_of_app() -> Transport:
    """The transport the app is set to use (tests set KOLADA_TRANSPORT), else the network."""
    return current_app.config.get("KOLADA_TRANSPORT") or urllib_transport
