"""Import costs or benefits from a CSV or XLSX sheet in the browser, trying it first.

The page hands the file to ``economy_imports.import_records``, the service of
``POST /api/v1/organisations/{ref}/costs/import`` (and ``…/benefits/import``): the same rules,
the same dry run. By default the page only tries the sheet and lists, per row, what would
happen and every bad cell (row, column, why, in bokmål); the editor then imports it for real.
"""

from __future__ import annotations

from flask import flash, render_template, request
from werkzeug.wrappers import Response

from app.interop.spreadsheets import is_xlsx
from app.services import economy_imports
from app.services.economy_imports import RecordImport
from app.services.errors import InvalidData
from app.services.permissions import require_acts_for
from app.services.references import get_organisation
from app.web.auth import login_required, redirect_to, require_actor
from app.web.blueprint import web
from app.web.messages import label, translate

KIND_NAMES = {"costs": "Kostnader", "benefits": "Gevinster"}


@web.route("/kommuner/<ref>/portefolje/import", methods=["GET", "POST"])
@login_required
def import_economy(ref: str) -> Response | tuple[str, int]:
    """Try (and then apply) a sheet of the organisation's costs or benefits."""
    actor = require_actor()
    organisation = get_organisation(ref)
    require_acts_for(actor, organisation.id, "import costs and benefits")
    kind = request.values.get("kind", "costs")
    if kind not in economy_imports.KINDS:
        kind = "costs"
    context = {
        "organisation": organisation,
        "kind": kind,
        "kinds": list(KIND_NAMES.items()),
        "columns": {name: k.columns for name, k in economy_imports.KINDS.items()},
        "errors": {},
        "report": None,
    }
    if request.method == "GET":
        return render_template("web/edit/import_economy.html", **context), 200
    upload = request.files.get("file")
    raw = upload.read() if upload is not None and upload.filename else b""
    if not raw.strip():
        context["errors"] = {"file": ["Velg en CSV- eller XLSX-fil."]}
        return render_template("web/edit/import_economy.html", **context), 422
    dry_run = request.form.get("apply") != "1"
    xlsx = is_xlsx(raw, upload.filename if upload else None, upload.mimetype if upload else None)
    try:
        report = economy_imports.import_records(
            kind, organisation.slug, raw, xlsx=xlsx, actor=actor, dry_run=True
        )
        if not dry_run and not report.summary["error"]:
            report = economy_imports.import_records(
                kind, organisation.slug, raw, xlsx=xlsx, actor=actor, dry_run=False
            )
    except InvalidData as exc:
        messages = exc.errors.get("file") or [exc.message]
        context["errors"] = {"file": [translate(m, "file") for m in messages]}
        return render_template("web/edit/import_economy.html", **context), 422
    if report.applied:
        done = report.summary
        flash(f"Importert: {done['create']} nye og {done['update']} endrede rader.")
        return redirect_to("web.portfolio", ref=organisation.kommunenummer or organisation.slug)
    context["report"] = _norwegian(report)
    return render_template("web/edit/import_economy.html", **context), 200


def _norwegian(report: RecordImport) -> RecordImport:
    """Return the report with each cell's message in bokmål and its column's label."""
    for row in report.rows:
        row.errors = [
            {"column": label(e["column"]), "message": translate(e["message"], e["column"])}
            for e in row.errors
        ]
    return report
