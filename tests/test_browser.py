"""Rendered pages in a real headless Chromium with the network cut off.

Checks what grepping HTML cannot: that every figure actually draws offline, that no script
throws, that nothing is fetched, and that hostile article text stays text (its payload would set
``window.__kitXss``), also inside hover labels. Chromium is installed by the setup and CI
scripts (``apt-get install chromium``); without it these tests skip.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from _notebook_fixtures import XSS_TITLE, write_tables

from kit.rendering import default_notebooks, render

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
)
websocket = pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")

NOTEBOOKS = {p.stem: p for p in default_notebooks()}
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # Everything not on loopback goes to a proxy that does not exist: no request can leave.
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-port=0", "--remote-allow-origins=*",
]

# Runs in the page: draws a hover label on every figure (on the point carrying the hostile
# payload when there is one), then reports what was drawn and whether the payload ran.
PROBE = """(() => {
  const divs = [...document.querySelectorAll('.plotly-graph-div')];
  const hoverErrors = [];
  for (const gd of divs) {
    const traces = (gd.data || []).map((t, i) => [t, i]).filter(([t]) =>
      ['scatter', 'bar'].includes(t.type) && t.hoverinfo === 'text' && t.hovertext && t.hovertext.length);
    if (!traces.length) continue;
    let [trace, curve] = traces[0], point = 0;
    for (const [t, i] of traces) {
      const p = [...t.hovertext].findIndex(h => String(h).includes('kitXss'));
      if (p >= 0) { [trace, curve, point] = [t, i, p]; break; }
    }
    try { Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point}]); }
    catch (e) { hoverErrors.push(String(e)); }
  }
  return {
    figures: divs.length,
    drawn: divs.filter(d => d.querySelector('svg.main-svg')).length,
    mainSvg: document.querySelectorAll('svg.main-svg').length,
    hoverLabels: [...document.querySelectorAll('.hoverlayer .hovertext')].map(e => e.textContent),
    hoverErrors,
    xss: window.__kitXss === undefined ? null : String(window.__kitXss),
    foreignElements: document.querySelectorAll('img[src="x"], svg script, foreignObject img').length,
    geoPaths: document.querySelectorAll('.geo path, .choroplethlayer path').length,
  };
})()"""


@dataclass
class PageReport:
    """What a page did while it loaded: figures drawn, errors thrown, requests attempted."""

    result: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Chromium:
    """A headless Chromium driven over the DevTools protocol, one fresh tab per page."""

    def __init__(self, profile: Path) -> None:
        self.proc = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        self.base = f"http://127.0.0.1:{port_file.read_text().split()[0]}"
        self._id = 0

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def _call(self, ws: Any, method: str, events: list[dict[str, Any]], timeout: float = 15,
              **params: Any) -> dict[str, Any]:
        self._id += 1
        ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            ws.settimeout(max(deadline - time.monotonic(), 0.01))
            msg = json.loads(ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))
            events.append(msg)

    def open(self, url: str, *, timeout: float = 20) -> PageReport:
        """Load ``url`` in a new tab, wait for its figures, run PROBE and collect what happened."""
        req = urllib.request.Request(f"{self.base}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=10) as resp:
            target = json.load(resp)
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=10, suppress_origin=True)
        events: list[dict[str, Any]] = []
        try:
            for domain in ("Runtime", "Log", "Network", "Page"):
                self._call(ws, f"{domain}.enable", events)
            self._call(ws, "Page.navigate", events, url=url)
            deadline = time.monotonic() + timeout
            while not any(e.get("method") == "Page.loadEventFired" for e in events):
                ws.settimeout(max(deadline - time.monotonic(), 0.01))
                events.append(json.loads(ws.recv()))
            result: dict[str, Any] = {}
            while time.monotonic() < deadline:  # Plotly finishes some drawing after load
                result = self._call(ws, "Runtime.evaluate", events, expression=PROBE,
                                    returnByValue=True)["result"].get("value", {})
                if result.get("drawn") == result.get("figures"):
                    break
                time.sleep(0.2)
            time.sleep(0.3)  # let late errors and requests arrive
            self._call(ws, "Runtime.evaluate", events, expression="1")
        finally:
            ws.close()
            urllib.request.urlopen(f"{self.base}/json/close/{target['id']}", timeout=10).close()
        return _report(result, events)


def _report(result: dict[str, Any], events: list[dict[str, Any]]) -> PageReport:
    report = PageReport(result)
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = p["exceptionDetails"]
            report.errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            report.errors.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            report.errors.append(p["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                report.requests.append(url)
    return report


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    browser = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def synthetic_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tables = write_tables(tmp_path_factory.mktemp("tables"))
    return {p.stem: p for p in render(tables, out=tmp_path_factory.mktemp("html"))}


@pytest.fixture(scope="module")
def sample_pages(sample_tables: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.stem: p for p in render(sample_tables, out=tmp_path_factory.mktemp("sample-html"))}


def _expected_figures(name: str) -> int:
    nb = nbformat.read(NOTEBOOKS[name], as_version=4)
    return sum(c.source.count("charts.show(") + c.source.count("geo.show_map(") for c in nb.cells
               if c.cell_type == "code")


def _assert_clean(report: PageReport, name: str) -> None:
    r = report.result
    assert r["figures"] == _expected_figures(name)
    assert r["drawn"] == r["figures"], f"{r['figures'] - r['drawn']} figure(s) did not draw"
    assert r["mainSvg"] >= r["figures"]
    assert not report.errors, report.errors
    assert not r["hoverErrors"], r["hoverErrors"]
    assert not report.requests, f"the page tried to reach the network: {report.requests}"
    assert r["xss"] is None, f"article text ran as script ({r['xss']})"
    assert r["foreignElements"] == 0


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_synthetic_page_draws_offline_and_stays_inert(chromium: Chromium, synthetic_pages: dict[str, Path],
                                                      name: str) -> None:
    report = chromium.open(synthetic_pages[name].as_uri())
    _assert_clean(report, name)
    assert report.result["hoverLabels"], "hover labels were drawn"
    if name == "places":  # the world outlines came from the page, not from a CDN
        assert report.result["geoPaths"] >= 2 + 3  # Taiwan and Ukraine shaded; land, borders, coasts drawn
    if name in ("mentions", "relationships", "dossier"):  # the hostile entity is hovered: shown as text, inert
        assert any("<img src=x onerror=" in label for label in report.result["hoverLabels"])


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_sample_article_page_draws_offline(chromium: Chromium, sample_pages: dict[str, Path], name: str) -> None:
    _assert_clean(chromium.open(sample_pages[name].as_uri()), name)


def test_the_probe_sees_errors_requests_and_payloads(chromium: Chromium, tmp_path: Path) -> None:
    """Guards the guard: a page that throws, fetches and runs a payload is caught on all three."""
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>window.__kitXss='ran'; throw new Error('kaputt')</script>"
                    "<script src='http://example.invalid/x.js'></script></body></html>")
    report = chromium.open(page.as_uri())
    assert report.result["xss"] == "ran"
    assert any("kaputt" in e for e in report.errors)
    assert report.requests == ["http://example.invalid/x.js"]


# Runs in the browser page: what is listed and highlighted, then a search and an entity filter.
BROWSER_PROBE = """(() => {
  const count = () => document.getElementById('count').textContent;
  const out = {xss: window.__kitXss === undefined ? null : String(window.__kitXss), first: count(),
               ents: document.querySelectorAll('#article .ent').length,
               dates: document.querySelectorAll('#article .date').length,
               claims: document.querySelectorAll('#article .claim').length,
               titles: [...document.querySelectorAll('#list .t')].map(e => e.textContent),
               tips: [...document.querySelectorAll('#article [title]')].map(e => e.getAttribute('title'))};
  const search = document.getElementById('search');
  search.value = 'Starlink Ukraine'; search.dispatchEvent(new Event('input'));
  out.searched = count(); out.marks = document.querySelectorAll('#article mark').length;
  search.value = ''; search.dispatchEvent(new Event('input'));
  const entity = document.getElementById('entity');
  entity.value = 'Donald Trump (PER)'; entity.dispatchEvent(new Event('input'));
  out.byEntity = count();
  out.xssAfter = window.__kitXss === undefined ? null : String(window.__kitXss);
  out.foreign = document.querySelectorAll('img, iframe, object, embed').length;
  return out;
})()"""


def test_article_browser_offline_filters_and_stays_inert(chromium: Chromium, synthetic_pages: dict[str, Path]
                                                         ) -> None:
    page = next(iter(synthetic_pages.values())).parent / "articles.html"
    report = chromium.open(page.as_uri())
    assert not report.errors and not report.requests
    r = _evaluate(chromium, page, BROWSER_PROBE)
    assert r["xss"] is None and r["xssAfter"] is None and r["foreign"] == 0
    assert r["first"].startswith("6 of 6 articles")
    assert XSS_TITLE in r["titles"]  # the hostile title is listed as text
    assert r["ents"] > 0 and r["dates"] > 0 and r["claims"] > 0
    assert any(t.startswith("PER: Elon Musk") for t in r["tips"])
    assert any("date: DATE 2022 (END)" in t for t in r["tips"])  # "Ende 2022" in a1, the newest article
    assert any("claim, hedged (reported)" in t and "Wall Street Journal" in t for t in r["tips"])
    assert r["searched"].startswith("2 of 6") and r["marks"] >= 2  # a2 and a4 name both words
    assert r["byEntity"].startswith("1 of 6")


def _evaluate(chromium: Chromium, page: Path, expression: str) -> dict[str, Any]:
    """Load ``page`` and return what ``expression`` evaluates to there."""
    req = urllib.request.Request(f"{chromium.base}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(req, timeout=10) as resp:
        target = json.load(resp)
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=10, suppress_origin=True)
    events: list[dict[str, Any]] = []
    try:
        chromium._call(ws, "Page.enable", events)
        chromium._call(ws, "Page.navigate", events, url=page.as_uri())
        deadline = time.monotonic() + 20
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            ws.settimeout(max(deadline - time.monotonic(), 0.01))
            events.append(json.loads(ws.recv()))
        result = chromium._call(ws, "Runtime.evaluate", events, expression=expression, returnByValue=True)
        return dict(result["result"].get("value", {}))
    finally:
        ws.close()
        urllib.request.urlopen(f"{chromium.base}/json/close/{target['id']}", timeout=10).close()
