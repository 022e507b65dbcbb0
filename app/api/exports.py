"""Spreadsheets: CSV/XLSX exports of solutions, adoptions and benefits; imports of an
organisation's adoptions, costs and benefits."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api import Blueprint
from app.api.auth import BEARER_SECURITY, current_actor
from app.api.responses import documents_errors
from app.interop.spreadsheets import CSV_TYPE, XLSX_TYPE, is_xlsx, write_csv, write_xlsx
from app.schemas.solution import SolutionQueryArgsSchema
from app.services import adoption_imports, economy_imports, exports
from app.services.errors import InvalidData
from app.services.solutions import SolutionFilters

blp = Blueprint(
    "exports",
    __name__,
    description=(
        "Spreadsheets: solutions, adoptions and benefits as CSV or XLSX (filtered like the "
        "solution list), and an organisation's adoptions imported from CSV or XLSX."
    ),
)

FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


class ExportArgsSchema(SolutionQueryArgsSchema):
    """Filters of an export: those of the solution list (sorting and paging do not apply)."""

    class Meta:
        exclude = ("sort",)


def _filters(args: dict[str, Any]) -> SolutionFilters:
    return SolutionFilters(
        kind=args.get("kind", ()),
        status=args.get("status", ()),
        theme=args.get("theme", ()),
        standard=args.get("standard", ()),
        owner=args.get("owner", ()),
        tag=args.get("tag", ()),
    )


def _download(table: str, fmt: str, args: dict[str, Any]) -> Response:
    data = exports.TABLES[table](_filters(args))
    if fmt == "xlsx":
        body = write_xlsx(data.name, data.columns, data.rows)
    else:
        body = write_csv(data.columns, data.rows)
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{table}.{fmt}"'},
    )


def _export_view(table: str, fmt: str) -> type[MethodView]:
    """Return the view of one export (one route per table and format, each documented)."""
    binary = {"type": "string", "format": "binary"} if fmt == "xlsx" else {"type": "string"}

    class Export(MethodView):
        @blp.arguments(ExportArgsSchema, location="query")
        @blp.response(200, binary, content_type=FORMATS[fmt], description=f"{table}.{fmt}")
        def get(self, args: dict[str, Any]) -> Response:
            return _download(table, fmt, args)

    Export.get.__doc__ = f"Export {table} as {fmt.upper()} (filters as the solution list)"
    Export.__name__ = f"Export{table.title()}{fmt.title()}"
    return Export


for _table in exports.TABLES:
    for _fmt in FORMATS:
        blp.route(f"/export/{_table}.{_fmt}", endpoint=f"export_{_table}_{_fmt}")(
            _export_view(_table, _fmt)
        )


class AdoptionImportArgsSchema(Schema):
    """Query parameters of an adoption import."""

    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "only report what would change; change nothing"},
    )


class RowErrorSchema(Schema):
    """Why a row cannot be imported."""

    column = fields.String()
    message = fields.String()


class RowResultSchema(Schema):
    """What one row of the sheet does."""

    row = fields.Integer(metadata={"description": "row number in the sheet (header is row 1)"})
    solution = fields.String()
    action = fields.String(metadata={"description": "create, update, unchanged or error"})
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw()),
        metadata={"description": "column → [old, new]"},
    )
    errors = fields.List(fields.Nested(RowErrorSchema))


class AdoptionImportSchema(Schema):
    """The outcome of an adoption import."""

    organisation = fields.String()
    dry_run = fields.Boolean()
    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(RowResultSchema))


SHEET_BODY = {
    "required": True,
    "description": (
        "The sheet: multipart/form-data with a `file` field, or the raw CSV/XLSX as the body. "
        "Columns: solution (slug), status, and optionally since, wanted_on (when a plan wants "
        "it), contact_name, contact_role, contact_email, notes — those of "
        "GET /export/adoptions.csv."
    ),
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        CSV_TYPE: {"schema": {"type": "string"}},
        XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    },
}


@blp.route("/organisations/<ref>/adoptions/import")
class OrganisationAdoptionImport(MethodView):
    """Import an organisation's adoptions from a spreadsheet."""

    @blp.arguments(AdoptionImportArgsSchema, location="query")
    @blp.response(200, AdoptionImportSchema)
    @blp.doc(security=BEARER_SECURITY, requestBody=SHEET_BODY)
    @documents_errors(blp, 401, 403, 404, 412, 422)
    def post(self, args: dict[str, Any], ref: str) -> adoption_imports.AdoptionImport:
        """Import adoptions from CSV or XLSX (dry_run=true shows what would change)"""
        raw, xlsx = _sheet()
        return adoption_imports.import_adoptions(
            ref, raw, xlsx=xlsx, actor=current_actor(), dry_run=args["dry_run"]
        )


def _sheet() -> tuple[bytes, bool]:
    """Return the uploaded sheet's bytes and whether it is XLSX (a ``file`` field or the body)."""
    upload = request.files.get("file")
    if upload is not None:
        raw, name, mimetype = upload.read(), upload.filename, upload.mimetype
    elif request.mimetype == "multipart/form-data":
        raise InvalidData("Validation failed.", {"file": ["Send the sheet in a 'file' field."]})
    else:
        raw, name, mimetype = request.get_data(cache=False), None, request.mimetype
    return raw, is_xlsx(raw, name, mimetype)


class RecordImportSchema(Schema):
    """The outcome of a cost or benefit import."""

    organisation = fields.String()
    kind = fields.String(metadata={"description": "costs or benefits"})
    dry_run = fields.Boolean()
    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(RowResultSchema))


def _record_import_view(kind: economy_imports.SheetKind) -> type[MethodView]:
    """Return the import view of one kind of record (costs, benefits), each documented."""
    columns = ", ".join(kind.columns)
    body = {
        **SHEET_BODY,
        "description": (
            "The sheet: multipart/form-data with a `file` field, or the raw CSV/XLSX as the "
            f"body. Columns: solution (slug), optionally id (to change that one), and {columns} "
            "— the fields of the API, numbers also as 12 500,50."
        ),
    }

    class RecordImport(MethodView):
        @blp.arguments(AdoptionImportArgsSchema, location="query")
        @blp.response(200, RecordImportSchema)
        @blp.doc(security=BEARER_SECURITY, requestBody=body)
        @documents_errors(blp, 401, 403, 404, 409, 422)
        def post(self, args: dict[str, Any], ref: str) -> economy_imports.RecordImport:
            raw, xlsx = _sheet()
            return economy_imports.import_records(
                kind.name, ref, raw, xlsx=xlsx, actor=current_actor(), dry_run=args["dry_run"]
            )

    RecordImport.post.__doc__ = (
        f"Import {kind.name} from CSV or XLSX (dry_run=true shows every bad cell, changes nothing)"
    )
    RecordImport.__name__ = f"Organisation{kind.name.title()}Import"
    return RecordImport


for _kind in economy_imports.KINDS.values():
    blp.route(f"/organisations/<ref>/{_kind.name}/import", endpoint=f"import_{_kind.name}")(
        _record_import_view(_kind)
    )
