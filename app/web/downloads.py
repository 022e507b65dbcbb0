"""A table the pages offer for download, as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

from app.interop.spreadsheets import CSV_TYPE, XLSX_TYPE, write_csv, write_xlsx


def table_download(
    fmt: str, *, title: str, filename: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """Return ``rows`` as an attachment ``filename.fmt``: XLSX (sheet ``title``) or CSV."""
    if fmt == "xlsx":
        body, mimetype = write_xlsx(title, columns, rows), XLSX_TYPE
    else:
        body, mimetype = write_csv(columns, rows), CSV_TYPE
    disposition = f'attachment; filename="{filename}.{fmt}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
