"""CSV and XLSX: write tables for the coordinators' spreadsheets, and read one back.

Cells that a spreadsheet program would run as a formula (``=``, ``+``, ``-``, ``@`` first) are
written as text, so an exported name can never execute in someone's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 5000
"""Most data rows an uploaded sheet may have."""


class SheetError(Exception):
    """The upload is not a readable CSV or XLSX table; the message says why."""


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def _csv_text(value: Any) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if isinstance(value, date) else str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return the table as CSV (UTF-8 with a byte-order mark, so Excel reads æøå)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return the table as an XLSX workbook with one sheet."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(header: list[Any], body: Iterable[Sequence[Any]]) -> list[dict[str, str]]:
    names = [_text(h).lower() for h in header]
    if not any(names):
        raise SheetError("The first row must name the columns.")
    rows: list[dict[str, str]] = []
    for values in body:
        if len(rows) >= MAX_ROWS:
            raise SheetError(f"At most {MAX_ROWS} rows can be imported at once.")
        texts = [_text(v) for v in values]
        if not any(texts):
            rows.append({})  # an empty line keeps the row numbers right; callers skip it
            continue
        rows.append({name: texts[n] if n < len(texts) else "" for n, name in enumerate(names)})
    return rows


def read_table(raw: bytes, *, xlsx: bool) -> list[dict[str, str]]:
    """Return the data rows of a CSV or XLSX upload as {column: text} (row 2 first)."""
    if xlsx:
        try:
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except (InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise SheetError("Not a readable XLSX workbook.") from exc
        except Exception as exc:  # noqa: BLE001 - a broken zip raises many kinds
            raise SheetError("Not a readable XLSX workbook.") from exc
        try:
            values = list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
        if not values:
            raise SheetError("The sheet is empty.")
        return _rows(list(values[0]), values[1:])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError("The CSV must be UTF-8.") from exc
    if not text.strip():
        raise SheetError("The file is empty.")
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise SheetError(f"Not a readable CSV: {exc}.") from exc
    return _rows(lines[0], lines[1:])


def is_xlsx(raw: bytes, filename: str | None, mimetype: str | None) -> bool:
    """Return whether an upload is XLSX (by name, type, or its zip signature)."""
    if filename and filename.lower().endswith(".xlsx"):
        return True
    if mimetype == XLSX_TYPE:
        return True
    return raw.startswith(b"PK\x03\x04")
