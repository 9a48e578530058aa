"""`kit fetch` against a real HTTP server on loopback: robots.txt, politeness, cache, extraction."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from kit.fetch import fetch_urls
from kit.ingest import read_file

BODY = "Elon Musk hat offenbar seit Ende 2022 Kontakt mit Wladimir Putin gehabt, berichtete die Zeitung. " * 5
PAGES = {
    "/robots.txt": "User-agent: *\nDisallow: /private/\n",
    "/a.html": f"<html><head><title>Kontakte</title></head><body><article><h1>Kontakte</h1><p>{BODY}</p>"
    "</article></body></html>",
    "/private/b.html": "<html><body><p>secret</p></body></html>",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        page = PAGES.get(self.path)
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((page or "not found").encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_obeys_robots_caches_and_extracts(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# my list\n{server}/a.html\n{server}/private/b.html\n{server}/missing.html\nftp://x/y\n")
    out = tmp_path / "fetched"
    _Handler.hits = []
    results = {r.url.rsplit("/", 1)[-1]: r for r in fetch_urls(urls, out=out, delay=0.0, progress=False)}
    assert results["a.html"].status == "ok"
    assert results["b.html"].status == "skipped" and "robots" in (results["b.html"].reason or "")
    assert results["missing.html"].status == "failed" and "404" in (results["missing.html"].reason or "")
    assert results["y"].status == "failed"
    assert "/private/b.html" not in _Handler.hits
    [article], _status = read_file(results["a.html"].path)  # type: ignore[arg-type]
    assert "Wladimir Putin" in article.text and article.url == f"{server}/a.html"
    _Handler.hits = []
    again = fetch_urls(urls, out=out, delay=0.0, progress=False)
    assert next(r.status for r in again) == "cached" and _Handler.hits == []
