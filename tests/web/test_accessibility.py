"""axe-core (WCAG 2.1 A and AA rules) finds no violation on any page type, in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAGES = {
    "forside": "/",
    "søk uten spørring": "/sok",
    "søk med spørring": "/sok?q=byggesak",
    "søk med valgte filtre": "/sok?q=digital&theme=bygg-og-eiendom&kind=service",
    "søk med «mente du»": "/sok?q=bygesak",
    "søk uten treff": "/sok?q=zzzyyyxxx",
    "søk side 2": "/sok?page=2",
    "søk: brukes ikke av, minst 2": "/sok?adopted_by=5001&not_adopted_by=5006&min_adopters=2",
    "søk: én per familie": "/sok?q=digital&collapse_families=1",
    "søk i en familie": "/sok?family=digital-sfo-soknad",
    "løsning med familie": "/losninger/digital-sfo-soknad",
    "løsning": "/losninger/digital-byggesaksbehandling",
    "kommune": "/kommuner/5007",
    "samarbeid": "/kommuner/digi-trondelag",
    "portefølje": "/kommuner/5001/portefolje?sortering=netto",
    "portefølje for et samarbeid": "/kommuner/digi-trondelag/portefolje",
    "kommuner": "/kommuner",
    "tema": "/tema/bygg-og-eiendom",
    "gjenbruksmatrise": "/gjenbruksmatrise",
    "gjenbruksmatrise med tema": "/gjenbruksmatrise?theme=helse-og-omsorg",
    "gjenbruksmatrise med filtre": (
        "/gjenbruksmatrise?group=varnesregionen-it&status=in_use&sort=5035"
    ),
    "sammenligning": "/sammenlign?kommuner=5001,5006,5035",
    "sammenligning uten valg": "/sammenlign",
    "sammenligning av ett tema": "/sammenlign?kommuner=5001,5006&theme=bygg-og-eiendom",
    "samarbeidsmuligheter": "/samarbeid-muligheter",
    "sammenligning med ukjent kommune": "/sammenlign?kommuner=5001,9999",
    "om": "/om",
    "404": "/finnes-ikke",
    "400": "/sok?page=abc",
}
"""Every page type, with the states the issue names."""


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(page: Any, axe_check: Any, path: str) -> None:
    page.goto(path)
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert axe_check() == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sok?q=digital&theme=bygg-og-eiendom",
        "/gjenbruksmatrise",
        "/kommuner/5001/portefolje",
        "/sammenlign?kommuner=5001,5006,5035,5007",
        "/samarbeid-muligheter",
        "/gjenbruksmatrise?group=varnesregionen-it&sort=name",
        "/sok?adopted_by=5001&not_adopted_by=5006&min_adopters=2",
        "/sok?q=digital&collapse_families=1",
        "/om",
    ],
)
def test_no_axe_violations_at_phone_width(page: Any, axe_check: Any, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    assert axe_check() == []


def test_no_axe_violations_with_the_suggestion_list_open(page: Any, axe_check: Any) -> None:
    page.goto("/")
    page.get_by_role("combobox", name="Søk etter løsninger").press_sequentially("barne", delay=40)
    page.get_by_role("listbox", name="Forslag").wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    assert axe_check() == []
