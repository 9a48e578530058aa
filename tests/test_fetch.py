"""`kit fetch` against real HTTP servers on loopback: robots.txt (every hop), politeness, cache,
extraction, and its limits (deadline, size caps, retries, bad URLs, damaged cache, credentials)."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kit.fetch import FetchLimits, FetchResult, fetch_urls
from kit.ingest import read_file

BODY = "Elon Musk hat offenbar seit Ende 2022 Kontakt mit Wladimir Putin gehabt, berichtete die Zeitung. " * 5
ARTICLE = (f"<html><head><title>Kontakte</title></head><body><article><h1>Kontakte</h1><p>{BODY}</p>"
           "</article></body></html>")
FAST = FetchLimits(deadline=10.0, retries=2, backoff=0.01)

Route = Callable[[Any], None]


def page(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    def send(handler: Any) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(text.encode())

    return send


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        self.hits.append(f"{port}{self.path}")
        route = self.routes.get(f"{port}{self.path}") or self.routes.get(self.path)
        (route or page("not found", 404))(self)

    def log_message(self, *args: object) -> None:
        pass


def _serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture()
def servers() -> Iterator[tuple[str, str]]:
    _Handler.routes = {"/robots.txt": page("User-agent: *\nDisallow: /private/\n"), "/a.html": page(ARTICLE),
                       "/private/b.html": page("<html><body><p>secret</p></body></html>")}
    _Handler.hits = []
    one, url_one = _serve()
    two, url_two = _serve()
    yield url_one, url_two
    one.shutdown()
    two.shutdown()


@pytest.fixture()
def server(servers: tuple[str, str]) -> str:
    return servers[0]


def hits(server: str, path: str) -> int:
    return _Handler.hits.count(f"{server.rsplit(':', 1)[1]}{path}")


def run(tmp_path: Path, *urls: str, limits: FetchLimits = FAST) -> dict[str, FetchResult]:
    listing = tmp_path / "urls.txt"
    listing.write_text("# my list\n" + "\n".join(urls) + "\n")
    return {r.url: r for r in fetch_urls(listing, out=tmp_path / "fetched", delay=0.0, progress=False, limits=limits)}


def test_fetch_obeys_robots_caches_and_extracts(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# my list\n{server}/a.html\n{server}/private/b.html\n{server}/missing.html\nftp://x/y\n")
    out = tmp_path / "fetched"
    results = {r.url.rsplit("/", 1)[-1]: r for r in fetch_urls(urls, out=out, delay=0.0, progress=False)}
    assert results["a.html"].status == "ok"
    assert results["b.html"].status == "skipped" and "robots" in (results["b.html"].reason or "")
    assert results["missing.html"].status == "failed" and "404" in (results["missing.html"].reason or "")
    assert results["y"].status == "failed"
    assert hits(server, "/private/b.html") == 0
    [article], _status = read_file(results["a.html"].path)  # type: ignore[arg-type]
    assert "Wladimir Putin" in article.text and article.url == f"{server}/a.html"
    _Handler.hits = []
    again = fetch_urls(urls, out=out, delay=0.0, progress=False)
    assert next(r.status for r in again) == "cached" and hits(server, "/a.html") == 0


def test_a_gzip_bomb_is_refused_without_filling_memory_or_cache(server: str, tmp_path: Path) -> None:
    import resource

    bomb = gzip.compress(b"\0" * (300 * 1024 * 1024), compresslevel=9)  # ~300 KB on the wire

    def send(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(bomb)))
        handler.end_headers()
        handler.wfile.write(bomb)

    _Handler.routes["/bomb.html"] = send
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run(tmp_path, f"{server}/bomb.html")[f"{server}/bomb.html"]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.status == "failed" and "decompressed" in (result.reason or "")
    assert grown_mb < 100, grown_mb
    cache = tmp_path / "fetched" / ".cache"
    assert sum(p.stat().st_size for p in cache.iterdir()) < 1024 * 1024


def test_compressed_size_cap(server: str, tmp_path: Path) -> None:
    result = run(tmp_path, f"{server}/a.html", limits=FetchLimits(max_bytes=500, retries=0))[f"{server}/a.html"]
    assert result.status == "failed" and "cap" in (result.reason or "")


def test_a_slow_server_is_held_to_the_total_deadline(server: str, tmp_path: Path) -> None:
    def drip(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(40):  # one byte every 0.3 s: no single read ever times out
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(0.3)

    _Handler.routes["/slow.html"] = drip
    started = time.monotonic()
    result = run(tmp_path, f"{server}/slow.html", limits=FetchLimits(deadline=2.0, read_timeout=1.0, retries=0))
    assert time.monotonic() - started < 5
    got = result[f"{server}/slow.html"]
    assert got.status == "failed" and "deadline" in (got.reason or "")


def test_robots_is_checked_on_every_redirect_hop(servers: tuple[str, str], tmp_path: Path) -> None:
    one, two = servers
    _Handler.routes["/to-private"] = page("", 302, {"Location": "/private/b.html"})
    _Handler.routes["/to-other-host"] = page("", 302, {"Location": f"{two}/a.html"})
    _Handler.routes[f"{two.rsplit(':', 1)[1]}/robots.txt"] = page("User-agent: *\nDisallow: /\n")
    results = run(tmp_path, f"{one}/to-private", f"{one}/to-other-host")
    for url in (f"{one}/to-private", f"{one}/to-other-host"):
        assert results[url].status == "skipped" and "robots" in (results[url].reason or ""), url
    assert hits(one, "/private/b.html") == 0 and hits(two, "/a.html") == 0


def test_robots_answering_5xx_disallows_the_host(server: str, tmp_path: Path) -> None:
    _Handler.routes["/robots.txt"] = page("overloaded", 503)
    result = run(tmp_path, f"{server}/a.html")[f"{server}/a.html"]
    assert result.status == "skipped" and hits(server, "/a.html") == 0


def test_5xx_is_retried_with_backoff_and_never_cached(server: str, tmp_path: Path) -> None:
    answers = iter([503, 502])

    def flaky(handler: Any) -> None:
        page(ARTICLE, next(answers, 200))(handler)

    _Handler.routes["/flaky.html"] = flaky
    _Handler.routes["/down.html"] = page("down", 503)
    results = run(tmp_path, f"{server}/flaky.html", f"{server}/down.html")
    assert results[f"{server}/flaky.html"].status == "ok" and hits(server, "/flaky.html") == 3
    down = results[f"{server}/down.html"]
    assert down.status == "failed" and "503" in (down.reason or "")
    assert hits(server, "/down.html") == 1 + FAST.retries
    assert run(tmp_path, f"{server}/down.html")[f"{server}/down.html"].status == "failed"
    assert hits(server, "/down.html") == 2 * (1 + FAST.retries)  # asked again: a 5xx is never cached


def test_a_bad_url_or_a_damaged_cache_entry_fails_that_url_only(server: str, tmp_path: Path) -> None:
    assert run(tmp_path, f"{server}/a.html")[f"{server}/a.html"].status == "ok"
    for entry in (tmp_path / "fetched" / ".cache").iterdir():
        entry.write_text('{"status": 200, "bo')  # damaged
    results = run(tmp_path, "http://[::1", "http://127.0.0.1:99999/x", f"{server}/a.html")
    assert results["http://[::1"].status == "failed" and "valid URL" in (results["http://[::1"].reason or "")
    assert results["http://127.0.0.1:99999/x"].status == "failed"
    assert results[f"{server}/a.html"].status == "ok"  # the damaged entry is fetched again


def test_credentials_never_reach_records_or_cache(server: str, tmp_path: Path) -> None:
    secret = server.replace("http://", "http://reporter:s3cret@") + "/a.html"
    [(url, result)] = run(tmp_path, secret).items()
    assert "s3cret" not in url and result.status == "ok" and result.path is not None
    for path in (tmp_path / "fetched").rglob("*.json"):
        assert "s3cret" not in path.read_text() and "reporter" not in path.read_text(), path
    assert json.loads(result.path.read_text())["url"] == f"{server}/a.html"
