"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

Each view is opened on the example corpus and saved as a screenshot under
``test-artifacts/web/``; the provenance graph also on a corpus built here of its own
articles (``claim-graph.png``). Skipped when /usr/bin/chromium is absent (CI installs it).
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time

import pytest

from .conftest import ARTIFACTS, article_id_by_title, one

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


def _serve(app, wrap=lambda url: url):
    """Serve ``app`` on a free loopback port in a thread; yield ``wrap(url)``, then stop."""
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
    yield wrap(f"http://127.0.0.1:{port}")
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(app):
    yield from _serve(app)


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


def test_browser_quote_to_actor_page_and_claim_graph(server, page, store):
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
    graph = page.locator("#graph svg[role=img]")
    assert graph.is_visible()
    assert graph.get_attribute("aria-label").startswith("Provenance graph of claim ")
    assert page.locator("#graph .pg-node").count() > 0
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


# ---- the provenance graph of a corpus built here, with no front-end build anywhere --------

# One claim carried by five outlets over four days: a named source, a relay, an outlet
# citing another, "media reports", an unnamed official via an outlet, an undated repeat.
GRAPH_ARTICLES = [
    ("herald", "Marsh Herald", "2025-04-07", "Barrier costs revealed",
     "Harbour engineer Ines Varga said on Monday that the tidal barrier will cost 90 million "
     "euros. The council will vote on the plan in May."),
    ("post", "Delta Post", "2025-04-08", "Tidal barrier bill grows",
     "Citing the Marsh Herald, harbour engineer Ines Varga said the tidal barrier will cost "
     "90 million euros.\n\nFishermen on the quay said they feared the works."),
    ("wire", "Coast Wire", "2025-04-08", "Barrier: what we know",
     "According to media reports, the tidal barrier will cost 90 million euros. The works "
     "would start next year."),
    ("times", "River Times & Gazette", "2025-04-10", "Official confirms barrier price",
     "An unnamed official told the Delta Post that the tidal barrier will cost 90 million "
     "euros.\n\nMayor Piet Dorn said the city would find the money."),
    ("ledger", "Bay Ledger", None, "Opinion: the barrier we need",
     "The tidal barrier will cost 90 million euros. It is worth every cent, and the city "
     "should build it."),
]


@pytest.fixture(scope="module")
def graph_site(tmp_path_factory, pipeline):
    """A corpus of GRAPH_ARTICLES (real analysis), served on loopback: (url, store)."""
    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.embed import HashingEmbedder
    from sourcetrace.ingest import article_from_text
    from sourcetrace.web.app import create_app

    records = []
    for name, outlet, date, title, text in GRAPH_ARTICLES:
        rec = pipeline.analyze(article_from_text(text, f"{name}.txt")).to_dict()
        rec["metadata"].update({"outlet": outlet, "title": title,
                                "url": f"https://{name}.example/barrier"})
        if date:
            rec["metadata"]["published"] = date
        records.append(rec)
    db = tmp_path_factory.mktemp("graph") / "corpus.duckdb"
    build(str(db), records=records, embedder=HashingEmbedder())
    app = create_app(db)
    yield from _serve(app, lambda url: (url, app.state.store))


def test_browser_claim_graph_is_server_side_svg(graph_site, page):
    url, store = graph_site
    cluster = one(store, "SELECT id, n_articles FROM clusters ORDER BY n_articles DESC LIMIT 1")
    assert cluster["n_articles"] == len(GRAPH_ARTICLES)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{url}/claims/{cluster['id']}")
    graph = page.locator("#graph svg[role=img]")
    assert graph.is_visible()
    assert graph.get_attribute("aria-label").startswith(
        f"Provenance graph of claim {cluster['id']}: ")
    # nothing but the page and its stylesheet: no graph library, no npm-built bundle
    assert not [u for u in fetched if "/static/" in u and not u.endswith("/static/app.css")]
    boxes = []
    for node in page.locator("#graph .pg-node").all():
        rect = node.locator("rect").bounding_box()
        for text in node.locator("text").all():  # each label fits its box, as rendered
            t = text.bounding_box()
            assert rect["x"] <= t["x"] and t["x"] + t["width"] <= rect["x"] + rect["width"], (
                text.text_content())
        boxes.append((rect, node.get_attribute("data-kind"),
                      " / ".join(t.text_content() for t in node.locator("text").all())))
    for (a, _, la), (b, _, lb) in itertools.combinations(boxes, 2):
        assert not (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                    and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]), (la, lb)
    articles = [(r["x"], label) for r, kind, label in boxes if kind == "article"]
    assert len(articles) == len(GRAPH_ARTICLES) == len({label for _, label in articles})
    # earliest on the left, the undated article last
    dates = [label.split(" / ")[0].rsplit(" · ", 1)[1] for _, label in sorted(articles)]
    assert dates[-1] == "undated" and dates[:-1] == sorted(dates[:-1])
    shot(page, "claim-graph")
    graph.screenshot(path=str(SHOTS / "claim-graph-svg.png"))
    # a box is a link to its article
    page.locator("#graph a .pg-node[data-kind=article]").first.click()
    page.wait_for_url("**/articles/**")
    assert page.problems == []
