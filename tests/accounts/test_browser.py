"""Publishing from the browser in headless Chromium against a real gunicorn: the issue's
"done when", two editors' stale save, scripts in descriptions that never run, the policy
that blocks inline script, Swagger UI under its own policy, and axe on the new pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.accounts.browser import LiveCatalogue, csp_watch, serve
from tests.accounts.conftest import PASSWORD
from tests.web.conftest import WCAG_TAGS, browser  # noqa: F401 - the session's Chromium

pytestmark = [pytest.mark.browser, pytest.mark.server]

XSS_DESCRIPTION = (
    "Se [veiledningen](javascript:window.__pwned='link') for detaljer.\n\n"
    "<script>window.__pwned='script'</script>\n\n"
    "<img src=x onerror=\"window.__pwned='img'\">\n\n"
    "<a href=\"javascript:window.__pwned='a'\">en lenke</a>"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCatalogue]:
    """Serve a fresh catalogue (example data) for this module."""
    yield from serve(tmp_path_factory.mktemp("accounts-live"))


@pytest.fixture
def new_page(browser: Any, live: LiveCatalogue) -> Iterator[Any]:  # noqa: F811
    """Return a factory of browser tabs, each with its own cookies (another person)."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(
            base_url=live.url, viewport={"width": 1280, "height": 900}, locale="nb-NO"
        )
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        return tab

    yield make
    for context in contexts:
        context.close()


def axe(page: Any) -> list[str]:
    """Return axe-core's WCAG 2.1 AA violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']}: {v['help']} – {'; '.join(n['target'][0] for n in v['nodes'][:5])}"
        for v in results.response["violations"]
    ]


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/logg-inn")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def test_a_coordinator_publishes_a_solution_and_sees_its_history(
    live: LiveCatalogue, new_page: Any
) -> None:
    one_time = live.create_user("koordinator@namsos.kommune.no", "5007")
    page = new_page()
    violations = csp_watch(page)

    sign_in(page, "koordinator@namsos.kommune.no", one_time)
    page.wait_for_url(re.compile(r"/bytt-passord"))
    assert axe(page) == []
    page.get_by_label("Nåværende passord").fill(one_time)
    page.get_by_label("Nytt passord", exact=True).fill(PASSWORD)
    page.get_by_label("Gjenta nytt passord").fill(PASSWORD)
    page.get_by_role("button", name="Lagre nytt passord").click()
    page.wait_for_url(re.compile(r"/min-side$"))
    assert page.get_by_role("status").inner_text() == "Passordet er endret."

    # Register as a draft; a mistake first, which the form explains next to the field.
    page.get_by_role("link", name="Registrer en ny løsning").click()
    page.get_by_label("Navn").fill("Digital følgeseddel for hjemmetjenesten")
    page.get_by_role("button", name="Lagre som utkast").click()
    summary = page.locator("[data-error-summary]")
    # The deferred script moves focus once the page has loaded; expect() waits for it.
    expect(summary).to_be_focused()
    assert "Kort beskrivelse: Fyll ut feltet." in summary.inner_text()
    assert axe(page) == []
    summary.get_by_role("link", name=re.compile("Kort beskrivelse")).click()
    expect(page.locator("#f-summary")).to_be_focused()
    page.get_by_label("Kort beskrivelse").fill(
        "Hjemmetjenesten ser dagens besøk og oppgaver på nettbrett."
    )
    page.get_by_label("Type").select_option(label="Digital tjeneste")
    page.get_by_role("group", name=re.compile("^Tema")).get_by_label("Helse og omsorg").check()
    page.get_by_label(re.compile(r"^Beskrivelse")).fill("## Slik virker det\n\n- Oppgaver\n- Kart")
    page.get_by_role("button", name="Lagre som utkast").click()
    page.wait_for_url(re.compile(r"/losninger/digital-folgeseddel-for-hjemmetjenesten$"))
    assert "Utkast" in page.locator(".notice--warning").inner_text()

    # Nobody else sees the draft.
    outsider = new_page()
    response = outsider.goto("/losninger/digital-folgeseddel-for-hjemmetjenesten")
    assert response.status == 404

    page.get_by_role("button", name="Publiser løsningen").click()
    page.wait_for_url(re.compile(r"/losninger/digital-folgeseddel-for-hjemmetjenesten$"))
    assert page.get_by_role("status").inner_text() == "Løsningen er publisert."
    assert outsider.goto("/losninger/digital-folgeseddel-for-hjemmetjenesten").status == 200

    page.get_by_role("link", name="Registrer eller endre bruk").click()
    page.get_by_label("Status").select_option(label="I bruk")
    page.get_by_label("Tatt i bruk fra").fill("2025-09-01")
    page.get_by_role("button", name="Lagre bruken").click()
    page.wait_for_url(re.compile(r"/losninger/digital-folgeseddel-for-hjemmetjenesten$"))
    usage = page.get_by_role("table", name=re.compile("^Organisasjoner som bruker"))
    assert "Namsos kommune" in usage.inner_text()

    page.get_by_role("link", name="Se historikken").click()
    page.wait_for_url(re.compile(r"/historikk$"))
    headings = page.locator(".history__entry h2").all_inner_texts()
    assert headings == [
        "Registrert: bruk – Namsos kommune",
        "Publisert: løsningen",
        "Registrert: løsningen",
    ]
    assert "Koordinator, Namsos kommune" in page.locator(".history__meta").first.inner_text()
    assert axe(page) == []
    assert violations == []


def test_a_second_editors_stale_save_is_refused_with_the_difference(
    live: LiveCatalogue, new_page: Any
) -> None:
    live.create_user("anne@steinkjer.kommune.no", "5006", password=PASSWORD)
    live.create_user("bjorn@steinkjer.kommune.no", "5006", password=PASSWORD)
    token = live.create_token("5006")
    body = {
        "name": "Felles innbyggerdialog",
        "summary": "Chat og skjema for innbyggerne, på tvers av tjenestene.",
        "kind": "service",
        "status": "production",
        "owner": "5006",
        "themes": ["helse-og-omsorg"],
    }
    answer = requests.post(
        f"{live.url}/api/v1/solutions",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    slug = answer.json()["slug"]

    anne, bjorn = new_page(), new_page()
    sign_in(anne, "anne@steinkjer.kommune.no", PASSWORD)
    sign_in(bjorn, "bjorn@steinkjer.kommune.no", PASSWORD)
    anne.goto(f"/losninger/{slug}/rediger")
    bjorn.goto(f"/losninger/{slug}/rediger")

    anne.get_by_label("Navn").fill("Innbyggerdialog Steinkjer")
    anne.get_by_role("button", name="Lagre endringene").click()
    anne.wait_for_url(re.compile(rf"/losninger/{slug}$"))

    bjorn.get_by_label("Lisens").fill("Proprietær")
    bjorn.get_by_role("button", name="Lagre endringene").click()
    notice = bjorn.locator("[data-error-summary]")
    assert "noen andre endret løsningen" in notice.inner_text()
    row = notice.get_by_role("row", name=re.compile("^Navn"))
    assert row.get_by_role("cell").all_inner_texts() == [
        "Innbyggerdialog Steinkjer",
        "Felles innbyggerdialog",
    ]
    assert axe(bjorn) == []
    # Bjørn takes Anne's name and saves again: now it goes through, with both changes.
    bjorn.get_by_label("Navn").fill("Innbyggerdialog Steinkjer")
    bjorn.get_by_role("button", name="Lagre endringene").click()
    bjorn.wait_for_url(re.compile(rf"/losninger/{slug}$"))
    facts = bjorn.locator(".facts").inner_text()
    assert "Proprietær" in facts
    assert bjorn.get_by_role("heading", level=1).inner_text() == "Innbyggerdialog Steinkjer"


def test_scripts_in_a_description_never_run(live: LiveCatalogue, new_page: Any) -> None:
    live.create_user("eve@levanger.kommune.no", "5037", password=PASSWORD)
    page = new_page()
    sign_in(page, "eve@levanger.kommune.no", PASSWORD)
    page.goto("/losninger/ny")
    page.get_by_label("Navn").fill("Ondsinnet beskrivelse")
    page.get_by_label("Kort beskrivelse").fill("En løsning med skript i beskrivelsen sin.")
    page.get_by_label(re.compile(r"^Beskrivelse")).fill(XSS_DESCRIPTION)
    page.get_by_label("Type").select_option(label="IT-system")
    page.get_by_role("group", name=re.compile("^Tema")).get_by_label("Helse og omsorg").check()
    page.get_by_role("button", name="Publiser").click()
    page.wait_for_url(re.compile(r"/losninger/ondsinnet-beskrivelse$"))

    dialogs: list[str] = []
    visitor = new_page()
    visitor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    visitor.goto("/losninger/ondsinnet-beskrivelse")
    prose = visitor.locator(".prose")
    assert "veiledningen" in prose.inner_text()
    assert prose.locator("script, img, [onerror]").count() == 0
    for link in prose.get_by_role("link").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    prose.get_by_text("veiledningen").click()
    prose.get_by_text("en lenke").click()
    assert visitor.evaluate("window.__pwned") is None
    assert dialogs == []

    # Even a script that slipped into the page would be blocked by the policy.
    blocked = visitor.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
            const s = document.createElement('script');
            s.textContent = "window.__pwned = 'inline'";
            document.body.appendChild(s);
            setTimeout(() => resolve('no violation'), 2000);
        })"""
    )
    assert blocked.startswith("script-src")
    assert visitor.evaluate("window.__pwned") is None


def test_the_new_pages_pass_axe_and_swagger_ui_runs_under_its_policy(
    live: LiveCatalogue, new_page: Any
) -> None:
    live.create_user("admin@trondelagfylke.no", "5001", role="admin", password=PASSWORD)
    page = new_page()
    violations = csp_watch(page)
    page.goto("/logg-inn")
    assert axe(page) == []
    page.get_by_role("button", name="Logg inn").click()  # empty: errors at both fields
    assert page.locator(".field__error").count() == 2
    assert axe(page) == []
    sign_in(page, "admin@trondelagfylke.no", PASSWORD)
    for path in [
        "/min-side",
        "/min-side/api-nokler",
        "/losninger/ny",
        "/losninger/digital-byggesaksbehandling/rediger",
        "/losninger/digital-byggesaksbehandling/bruk",
        "/losninger/digital-byggesaksbehandling/historikk",
        "/losninger/digital-byggesaksbehandling/avvikle",
        "/losninger/digital-byggesaksbehandling",  # an editor's: confirm, what it lacks, lineage
        "/",
        "/sok?q=byggesak",
        "/losninger/digital-startlansoknad/interesse",
        "/samarbeid-muligheter",
        "/sammenlign",
    ]:
        page.goto(path)
        assert axe(page) == [], path
    # The one-click plan box of a solution Trondheim does not use, its optional part open.
    page.goto("/losninger/digital-startlansoknad")
    page.get_by_text("Ønsket dato og merknad (valgfritt)").click()
    page.get_by_label("Ønsket i bruk").wait_for()
    assert axe(page) == []
    page.get_by_role("button", name="Vi vurderer den").click()
    page.wait_for_url(re.compile(r"/losninger/digital-startlansoknad$"))
    assert "Planen til Trondheim kommune" in page.content()
    assert axe(page) == []
    page.goto("/min-side/api-nokler")
    page.get_by_label("Hva nøkkelen skal brukes til").fill("Fagsystemet")
    page.get_by_role("button", name="Lag nøkkel").click()
    assert page.locator("#new-secret").inner_text().startswith("gk_")
    assert axe(page) == []
    assert violations == []

    docs = new_page()
    docs_violations = csp_watch(docs)
    docs.goto("/api/docs")
    docs.locator(".swagger-ui .info .title").wait_for()
    assert "Gjenbrukskatalogen API" in docs.locator(".swagger-ui .info .title").inner_text()
    assert docs_violations == []


def test_costs_and_benefits_are_edited_with_the_keyboard_and_pass_axe(
    live: LiveCatalogue, new_page: Any
) -> None:
    """Trondheim's editor adds a cost with the keyboard only; every page passes axe at 1280
    and 390 px, also with errors shown."""
    live.create_user("okonomi@trondheim.kommune.no", "5001", role="editor", password=PASSWORD)
    page = new_page()
    sign_in(page, "okonomi@trondheim.kommune.no", PASSWORD)
    base = "/losninger/digital-byggesaksbehandling/bruk"
    page.goto("/losninger/digital-byggesaksbehandling")
    page.get_by_role("link", name="Kostnader og gevinster").click()
    page.wait_for_url(f"**{base}/okonomi")
    assert page.get_by_role("table", name="Kostnadene til Trondheim kommune").count() == 1
    pages = [
        f"{base}/okonomi",
        f"{base}/kostnader/ny",
        f"{base}/gevinster/ny",
        "/kommuner/5001/portefolje/import",
    ]
    benefit_edit = page.get_by_role("link", name=re.compile("^Endre gevinsten")).first
    pages.append(benefit_edit.get_attribute("href"))
    measurement_new = page.get_by_role("link", name=re.compile("^Legg til en måling")).first
    pages.append(measurement_new.get_attribute("href"))
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(path)
            assert axe(page) == [], (path, width)
    # Keyboard only: a bad amount, then a good one.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/kostnader/ny")
    page.get_by_label("Type kostnad").focus()
    page.keyboard.press("ArrowDown")  # the first kind (Engangskostnad)
    page.get_by_label("Beløp i kroner").fill("-1")
    page.get_by_label("Beløp i kroner").press("Enter")
    page.wait_for_url(f"**{base}/kostnader/ny")
    assert "Skriv et tall fra 0" in page.locator(".error-summary").inner_text()
    assert axe(page) == []
    page.get_by_label("Beløp i kroner").fill("45 000")
    page.get_by_label("Beløp i kroner").press("Enter")
    page.wait_for_url(f"**{base}/okonomi")
    assert "45\u00a0000\u00a0kr" in page.locator("main").inner_text()


def test_the_webhook_page_passes_axe_with_a_webhook_and_its_deliveries(
    live: LiveCatalogue, new_page: Any
) -> None:
    """Namsos's editor registers webhooks (the secret shown), sends a test that the worker
    cannot deliver, and the page passes axe at 1280 and 390 px in every state."""
    live.create_user("integrasjon@namsos.kommune.no", "5007", password=PASSWORD)
    page = new_page()
    violations = csp_watch(page)
    sign_in(page, "integrasjon@namsos.kommune.no", PASSWORD)
    page.wait_for_url(re.compile(r"/min-side$"))
    page.get_by_role("link", name="Webhooker").click()
    page.wait_for_url(re.compile(r"/min-side/webhooks$"))
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/min-side/webhooks")
        assert axe(page) == [], ("empty or listed", width)
        # A mistake first: the message stands at the field, the summary links to it.
        page.get_by_label("Adresse (URL) leveransene skal sendes til").fill(
            "http://mottak.namsos.kommune.no/gjenbruk"
        )
        page.get_by_role("button", name="Legg til webhook").click()
        expect(page.locator("[data-error-summary]")).to_be_focused()
        assert "Må begynne med https://" in page.locator("#f-url-error").inner_text()
        assert axe(page) == [], ("error", width)
        page.get_by_label("Adresse (URL) leveransene skal sendes til").fill(
            f"https://mottak{width}.namsos.invalid/gjenbruk"
        )
        page.get_by_role("button", name="Legg til webhook").click()
        assert page.locator("#new-secret").inner_text().startswith("gkwh_")
        assert "X-Gjenbruk-Signature-256" in page.get_by_role("status").inner_text()
        assert axe(page) == [], ("created", width)
    page.get_by_role("button", name="Send testvarsel til https://mottak1280.").click()
    page.wait_for_url(re.compile(r"/min-side/webhooks$"))
    assert "Testvarsel lagt i kø" in page.get_by_role("status").inner_text()
    # One round of the worker: the name does not resolve, so the attempt is refused.
    live.flask("webhooks", "run", "--once")
    page.reload()
    table = page.get_by_role("table", name="Leveransene til https://mottak1280.")
    assert "Venter, neste forsøk" in table.inner_text()
    assert "Avvist" in page.locator("article").first.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/min-side/webhooks")
        assert axe(page) == [], ("with deliveries", width)
        # Reflow (WCAG 1.4.10): long URLs wrap, only the table scrolls inside its region.
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
    page.get_by_role("button", name=re.compile(r"^Send igjen")).click()
    page.wait_for_url(re.compile(r"/min-side/webhooks$"))
    assert "lagt i kø igjen" in page.get_by_role("status").inner_text()
    assert violations == []
