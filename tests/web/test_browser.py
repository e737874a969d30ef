"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

Each view is opened on the example corpus and saved as a screenshot under
``test-artifacts/web/``. Skipped when /usr/bin/chromium is absent (CI installs it).
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from .conftest import ARTIFACTS, article_id_by_title

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SHOTS = ARTIFACTS / "web"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(app):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.problems = []  # console errors (CSP violations show here), page errors, dialogs
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))

    def on_dialog(d):
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_browser_overview_chart_and_lists(server, page):
    page.goto(server + "/")
    assert page.locator("svg.chart rect").count() > 0
    assert page.locator("table.claims").first.is_visible()
    shot(page, "overview")
    assert page.problems == []


def test_browser_quote_to_actor_page_and_claim_graph(app, server, page, store):
    aid = article_id_by_title(store, "night closures")
    page.goto(f"{server}/articles/{aid}")
    shot(page, "article")
    # a highlighted quote whose card links to an actor page and to a claim
    quote = None
    for link in page.locator("#article-text a.content").all():
        att = link.get_attribute("data-att")
        card = page.locator(f"#att-{att}")
        if (card.locator("a.source-actor[href^='/actors/']").count()
                and card.locator("a.claim-link").count()):
            quote = link
            break
    assert quote is not None, "no quote with an actor link and a claim link"
    att = quote.get_attribute("data-att")
    quote.click()
    card = page.locator(f"#att-{att}")
    assert "selected" in (card.get_attribute("class") or "")
    assert card.is_visible()
    shot(page, "article-selected")
    card.locator("a.source-actor").click()
    page.wait_for_url("**/actors/**")
    assert page.locator("h1").inner_text()
    # the quote is among the actor's statements, linked back to its article
    assert page.locator("table.statements tbody tr a[href*='#att-']").count() > 0
    shot(page, "actor")
    # back to the article, then from the quote's card to its claim graph
    page.go_back()
    page.locator(f"#article-text a[data-att='{att}']").first.click()
    page.locator(f"#att-{att} a.claim-link").click()
    page.wait_for_url("**/claims/**")
    if app.state.graph_asset:
        page.wait_for_selector("#graph[data-ready]", timeout=10_000)
        assert int(page.locator("#graph").get_attribute("data-ready")) > 0
        assert page.locator("#graph canvas").count() > 0
    else:  # installed without `npm run build:web`: the table is the graph
        assert page.locator("#graph-missing").is_visible()
        assert page.locator("table.graph-table tbody tr").first.is_visible()
    shot(page, "claim")
    assert page.problems == []


def test_browser_search_and_analyse(server, page):
    page.goto(server + "/")
    page.fill("header input[name=q]", "quay")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=quay")
    assert page.locator("ul.hits.articles li a").count() > 0
    shot(page, "search")
    page.goto(server + "/analyze")
    page.fill("#text", 'The harbour master said "the wall will hold" on Friday.')
    page.click("form.analyze button[type=submit]")
    page.wait_for_selector("#article-text")
    assert page.locator("#article-text .content").count() > 0
    assert "not part of the corpus" in page.locator(".notice").inner_text()
    shot(page, "analyze-result")
    assert page.problems == []


def test_browser_hostile_article_runs_nothing(server, page, store):
    aid = article_id_by_title(store, "Breaking")
    page.goto(f"{server}/articles/{aid}")
    page.wait_for_timeout(300)
    for el in page.locator("#article-text a, #article-text span").all()[:50]:
        el.hover()
    injected = page.locator("#article-text img, #article-text script, #article-text iframe")
    assert injected.count() == 0
    assert "<script>" in page.locator("#article-text").inner_text()
    shot(page, "hostile-article")
    assert page.problems == []
