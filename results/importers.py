"""Reading indicator values from files: CSV (Norwegian number format) and JSON-stat 2.0.

Both readers return an ``ImportResult``: the rows they understood, the rows they
refused (each named, with the reason) and the rows without a value (SSB's ``..``,
kept out but shown). Nothing is written here; ``results.services`` applies a result
all or nothing, and only when it has no errors.

JSON-stat: the libraries for Python (pyjstat, jsonstat.py) need pandas or are no
longer kept, so this is a small reader for the part of JSON-stat 2.0 a series
needs: one dataset whose dimensions all have a single category except the time
dimension (a table from SSB or Kommunehelsa filtered to one municipality and one
measure). It is linear in the file's size.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from results.models import VALUE_DIGITS, VALUE_PLACES

MAX_FILE_BYTES = 5_000_000
MAX_ROWS = 20_000
MISSING = {"", ".", "..", "...", ":", "-", "–"}


@dataclass
class ParsedRow:
    line: str  # how the user finds the row: "row 5" or the period's code
    date: date
    period: str
    value: Decimal
    note: str = ""
    source: str = ""


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (its message is shown to the user)."""


# -- periods and numbers ------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})$")
_SUB_YEAR = re.compile(r"^(\d{4})\s*[-_ ]?\s*([KQMT])\s*(\d{1,2})$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–_/]\s*(\d{4})$")
_NB_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS_PER = {"K": 3, "Q": 3, "T": 4, "M": 1}
_PERIODS_PER_YEAR = {"K": 4, "Q": 4, "T": 3, "M": 12}


def parse_period(text: str) -> tuple[date, str]:
    """``(date, period label)`` for a year, quarter, tertial, month, year range or date.

    A period's date is its first day (a range's: the first day of its last year, so
    a three-year average sits at the year it ends). Raises ``ValueError``.
    """
    text = text.strip()
    if m := _YEAR.match(text):
        return date(int(m[1]), 1, 1), m[1]
    if m := _SUB_YEAR.match(text):
        year, kind, number = int(m[1]), m[2].upper(), int(m[3])
        if not 1 <= number <= _PERIODS_PER_YEAR[kind]:
            raise ValueError(text)
        month = 1 + (number - 1) * _MONTHS_PER[kind]
        label = {"K": "K", "Q": "K", "T": "T", "M": "M"}[kind]
        return date(year, month, 1), f"{year} {label}{number}"
    if m := _YEAR_MONTH.match(text):
        return date(int(m[1]), int(m[2]), 1), f"{m[1]}-{m[2]}"
    if m := _YEAR_RANGE.match(text):
        first, last = int(m[1]), int(m[2])
        if last <= first:
            raise ValueError(text)
        return date(last, 1, 1), f"{first}–{last}"
    if m := _NB_DATE.match(text):
        return date(int(m[3]), int(m[2]), int(m[1])), ""
    if m := _ISO_DATE.match(text):
        return date(int(m[1]), int(m[2]), int(m[3])), ""
    raise ValueError(text)


_THOUSANDS_POINT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(text: str) -> Decimal:
    """A number in Norwegian format: ``12,5``, ``1 234,5``, ``1.234,5``, ``-3``.

    A point is read only as a thousands separator (``1.234``); a decimal point is
    refused, since ``1.234`` could mean either. Raises ``ValueError``.
    """
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("−", "-")
    if "." in cleaned:
        if not _THOUSANDS_POINT.match(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return _checked_decimal(Decimal(cleaned), text)


def _checked_decimal(value: Decimal, text) -> Decimal:
    try:
        value = value.quantize(Decimal(1).scaleb(-VALUE_PLACES))
    except InvalidOperation as error:
        raise ValueError(text) from error
    if len(value.as_tuple().digits) > VALUE_DIGITS or not value.is_finite():
        raise ValueError(text)
    return value


# -- CSV ----------------------------------------------------------------------------------

_COLUMNS = {
    "period": {"periode", "period", "dato", "date", "år", "aar", "tid", "time", "year"},
    "value": {"verdi", "value", "tall"},
    "note": {"merknad", "note", "kommentar"},
    "source": {"kilde", "source"},
}


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is too large (at most 5 MB)."))
    if b"\x00" in data:
        raise ImportFileError(_("This is not a text file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _add(result: ImportResult, seen: dict, row: ParsedRow) -> None:
    if row.date in seen:
        result.errors.append(
            _("%(line)s: the same period as %(other)s.")
            % {"line": row.line, "other": seen[row.date]}
        )
        return
    seen[row.date] = row.line
    result.rows.append(row)


def read_csv(data: bytes) -> ImportResult:
    """Rows of a ``;``-separated file with a header: period (or date), value, note, source."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(_("The file is empty.")) from error
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for key, accepted in _COLUMNS.items():
        for index, name in enumerate(names):
            if name in accepted and key not in columns:
                columns[key] = index
    if "period" not in columns or "value" not in columns:
        raise ImportFileError(
            _(
                "The first line must name the columns, separated by semicolons: "
                "periode;verdi (and if you like merknad;kilde)."
            )
        )
    result, seen = ImportResult(), {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if number - 1 > MAX_ROWS:
                raise ImportFileError(_("The file has too many rows (at most 20,000)."))
            line = _("Row %(number)s") % {"number": number}

            def cell(key, cells=cells):
                index = columns.get(key)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            raw_period, raw_value = cell("period"), cell("value")
            try:
                when, period = parse_period(raw_period)
            except ValueError:
                result.errors.append(
                    _("%(line)s: “%(period)s” is not a year, quarter, month or date.")
                    % {"line": line, "period": raw_period[:40]}
                )
                continue
            if raw_value in MISSING:
                result.missing.append(f"{line} ({period or raw_period})")
                continue
            try:
                value = parse_number(raw_value)
            except ValueError:
                result.errors.append(
                    _("%(line)s: “%(value)s” is not a number (write e.g. 12,5).")
                    % {"line": line, "value": raw_value[:40]}
                )
                continue
            _add(
                result,
                seen,
                ParsedRow(
                    line, when, period, value, note=cell("note")[:500], source=cell("source")[:255]
                ),
            )
    except csv.Error as error:
        raise ImportFileError(_("The file is not a readable CSV file.")) from error
    return result


# -- JSON-stat 2.0 ------------------------------------------------------------------------

_TIME_IDS = {"tid", "time", "year", "aar", "år", "periode", "period"}


def _categories(dimension: dict, size: int, name: str) -> list[tuple[str, str]]:
    """``[(code, label)]`` of a dimension in index order."""
    category = dimension.get("category") if isinstance(dimension, dict) else None
    if not isinstance(category, dict):
        raise ImportFileError(_("Dimension “%(name)s” has no categories.") % {"name": name})
    labels = category.get("label") if isinstance(category.get("label"), dict) else {}
    index = category.get("index")
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        codes = [""] * len(index)
        for code, position in index.items():
            if not isinstance(position, int) or not 0 <= position < len(index):
                raise ImportFileError(_("Dimension “%(name)s” is malformed.") % {"name": name})
            codes[position] = str(code)
    elif index is None and len(labels) == 1:
        codes = [str(next(iter(labels)))]
    else:
        raise ImportFileError(_("Dimension “%(name)s” is malformed.") % {"name": name})
    if len(codes) != size:
        raise ImportFileError(
            _("Dimension “%(name)s” does not have the size the file states.") % {"name": name}
        )
    return [(code, str(labels.get(code, code))) for code in codes]


def read_jsonstat(data: bytes) -> ImportResult:
    """The series in a JSON-stat 2.0 dataset: one value per category of its time dimension."""
    text = _decode(data)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ImportFileError(_("The file is not valid JSON.")) from error
    if not isinstance(document, dict):
        raise ImportFileError(_("The file is not a JSON-stat dataset."))
    if document.get("class") == "collection" or "dataset" in document:
        raise ImportFileError(
            _(
                "The file holds several datasets or an older JSON-stat version; export one dataset in JSON-stat 2.0."
            )
        )
    if document.get("class") != "dataset" or document.get("version") not in ("2.0", 2, "2"):
        raise ImportFileError(_("The file is not a JSON-stat 2.0 dataset."))
    ids, sizes = document.get("id"), document.get("size")
    dimensions = document.get("dimension")
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or len(ids) != len(sizes)
        or not isinstance(dimensions, dict)
        or not all(isinstance(s, int) and s >= 0 for s in sizes)
        or len(ids) > 50
    ):
        raise ImportFileError(_("The file's dimensions (id, size, dimension) are malformed."))
    role = document.get("role") if isinstance(document.get("role"), dict) else {}
    time_ids = [d for d in role.get("time", []) if d in ids] or [
        d for d in ids if str(d).lower() in _TIME_IDS
    ]
    if len(time_ids) != 1:
        raise ImportFileError(_("The file has no time dimension to read the periods from."))
    time_id = time_ids[0]
    several = [f"{d} ({s})" for d, s in zip(ids, sizes, strict=True) if d != time_id and s != 1]
    if several:
        raise ImportFileError(
            _(
                "The file holds more than one series: choose one category of %(dimensions)s "
                "when you export it."
            )
            % {"dimensions": ", ".join(str(d) for d in several)}
        )
    size = sizes[ids.index(time_id)]
    if size > MAX_ROWS:
        raise ImportFileError(_("The file has too many rows (at most 20,000)."))
    periods = _categories(dimensions.get(time_id), size, str(time_id))
    values = document.get("value")
    if isinstance(values, list):
        if len(values) != size:
            raise ImportFileError(_("The number of values does not match the dimensions."))
        lookup = values.__getitem__
    elif isinstance(values, dict):
        lookup = lambda i: values.get(str(i))  # noqa: E731 (sparse values by position)
    else:
        raise ImportFileError(_("The file has no values."))
    status = document.get("status")
    source = str(document.get("source") or "")[:255]
    result, seen = ImportResult(), {}
    for position, (code, label) in enumerate(periods):
        line = _("Period %(code)s") % {"code": code[:40]}
        try:
            when, period = parse_period(code)
        except ValueError:
            try:
                when, period = parse_period(label)
            except ValueError:
                result.errors.append(
                    _("%(line)s: not a year, quarter, month or date.") % {"line": line}
                )
                continue
        raw = lookup(position)
        if raw is None:
            result.missing.append(f"{line}")
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            result.errors.append(_("%(line)s: the value is not a number.") % {"line": line})
            continue
        try:
            value = _checked_decimal(Decimal(str(raw)), raw)
        except (ValueError, InvalidOperation):
            result.errors.append(_("%(line)s: the value is not a number.") % {"line": line})
            continue
        note = ""
        if isinstance(status, dict):
            note = str(status.get(str(position)) or "")
        elif isinstance(status, list) and position < len(status):
            note = str(status[position] or "")
        _add(result, seen, ParsedRow(line, when, period, value, note=note[:500], source=source))
    return result


def read_file(name: str, data: bytes) -> ImportResult:
    """Read ``data`` by the file's kind: JSON-stat for .json, CSV otherwise."""
    if name.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return read_jsonstat(data)
    return read_csv(data)
