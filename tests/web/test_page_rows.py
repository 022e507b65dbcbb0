"""The long tables of the kommune page and the matrix: every row and cell says what the data says.

Both pages render a status mark and an owner link once per kind and reuse it in every row (they
have hundreds of rows at scale), so these check each row against the database. The kommune
page shows the first rows of its table only; ``test_kommune_page_limits.py`` checks the limit.
"""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.labels import ADOPTION_STATUS_LABELS
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from app.services.matrix import kommune_strip
from app.services.references import get_organisation
from app.web.filters import plural
from app.web.organisation_views import USED_ROW_COUNT


def _html(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_kommune_page_lists_the_first_uses_with_their_owner_and_status(
    site_app: Any, site: FlaskClient
) -> None:
    html = _html(site, "/kommuner/5007")
    table = html.split('id="uses-title"')[1].split("</table>")[0]
    rows = re.findall(
        r'<th scope="row"><a href="/losninger/([^"]+)">[^<]*</a></th>\s*<td>(.*?)</td>\s*'
        r'<td class="nowrap"><span class="mark mark--(\w+)" aria-hidden="true"></span>'
        r' <span class="mark-label">([^<]*)</span></td>',
        table,
        re.S,
    )
    with site_app.app_context():
        namsos = get_organisation("5007")
        uses = db.session.execute(
            select(Solution.slug, Organisation, Adoption.status)
            .join(Adoption.solution)
            .join(Organisation, Organisation.id == Solution.owner_id)
            .where(Adoption.organisation_id == namsos.id)
            .order_by(Solution.name, Adoption.id)
        ).all()
        active = sum(1 for _, _, status in uses if status in ACTIVE_ADOPTION_STATUSES)
        # The page shows the first rows by name; the example catalogue fits on it.
        assert 0 < len(uses) <= USED_ROW_COUNT
        assert [slug for slug, *_ in rows] == [slug for slug, *_ in uses[:USED_ROW_COUNT]]
        expected = {slug: (owner, status) for slug, owner, status in uses}
        for slug, owner_cell, status, label in rows:
            owner, expected_status = expected[slug]
            assert (status, label) == (expected_status, ADOPTION_STATUS_LABELS[expected_status])
            if owner.id == namsos.id:
                assert owner_cell == "Egen løsning"
            else:
                ref = owner.kommunenummer or owner.slug
                assert owner_cell == f'<a href="/kommuner/{ref}">{owner.name}</a>'
    # The totals count every use; with every row shown there is no link to the rest.
    assert f"bruker {plural(active, 'løsning', 'løsninger')}" in html
    assert "/sok?adopted_by=" not in html
    assert "/sok?owner=" not in html


def test_matrix_cells_show_each_kommunes_status_and_ownership(
    site_app: Any, site: FlaskClient
) -> None:
    html = _html(site, "/gjenbruksmatrise")
    row = html.split('<a href="/losninger/digital-byggesaksbehandling">')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="matrix__cell">(.*?)</td>', row)
    with site_app.app_context():
        solution = db.session.scalar(
            select(Solution).where(Solution.slug == "digital-byggesaksbehandling")
        )
        strip = kommune_strip(solution)
    assert len(cells) == len(strip) == 38
    assert any(c.is_owner for c in strip)
    assert sum(1 for c in strip if c.status) > 1
    for cell, expected in zip(cells, strip, strict=True):
        if not (expected.status or expected.is_owner):
            assert cell == ""
            continue
        classes = f"mark mark--{expected.status or 'none'}"
        if expected.is_owner:
            classes += " mark--owner"
        words = [ADOPTION_STATUS_LABELS[expected.status]] if expected.status else []
        if expected.is_owner:
            words.append("eier")
        assert cell == (
            f'<span class="{classes}" aria-hidden="true"></span>'
            f'<span class="visually-hidden">{", ".join(words)}</span>'
        )
