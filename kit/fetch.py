"""``kit fetch``: download article pages politely and save their main text as JSON records.

Polite: robots.txt is obeyed, requests to one host are spaced by ``delay`` seconds, and every
response is cached on disk, so a re-run asks the network only for pages it has not seen.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from tqdm import tqdm

from kit import __version__
from kit.errors import InputError
from kit.ingest.html import read_html
from kit.tables.io import write_json_atomic

__all__ = ["USER_AGENT", "FetchResult", "fetch_urls"]

USER_AGENT = f"kit/{__version__} (investigative dataset kit; polite fetcher)"
_TIMEOUT = 20


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: str  # ok, cached, skipped, failed
    reason: str | None = None
    path: Path | None = None


class _Client:
    def __init__(self, cache: Path, delay: float) -> None:
        self.cache = cache
        self.delay = delay
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        cache.mkdir(parents=True, exist_ok=True)

    def get(self, url: str) -> tuple[int, str, bool]:
        """(status code, body, came from cache)."""
        entry = self.cache / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")
        if entry.exists():
            data = json.loads(entry.read_text(encoding="utf-8"))
            return int(data["status"]), str(data["body"]), True
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        response = self.session.get(url, timeout=_TIMEOUT)
        self._last[host] = time.monotonic()
        body = response.text
        write_json_atomic(entry, {"url": url, "status": response.status_code, "body": body})
        return response.status_code, body, False

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                status, body, _ = self.get(root + "/robots.txt")
                parser.parse(body.splitlines() if status == 200 else [])
            except requests.RequestException:
                parser.parse([])
            self._robots[root] = parser
        return self._robots[root].can_fetch(USER_AGENT, url)


def fetch_urls(
    urls_file: Path, *, out: Path, delay: float = 1.0, cache: Path | None = None, progress: bool = True
) -> list[FetchResult]:
    """Fetch every URL of ``urls_file`` (one per line, '#' comments) into ``out/<hash>.json``."""
    urls = [
        line.strip()
        for line in urls_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    out.mkdir(parents=True, exist_ok=True)
    client = _Client(cache or out / ".cache", delay)
    results: list[FetchResult] = []
    for url in tqdm(urls, desc="kit fetch", unit="url", disable=not progress):
        if urlsplit(url).scheme not in ("http", "https"):
            results.append(FetchResult(url, "failed", "not an http(s) URL"))
            continue
        try:
            if not client.allowed(url):
                results.append(FetchResult(url, "skipped", "disallowed by robots.txt"))
                continue
            status, body, cached = client.get(url)
        except requests.RequestException as exc:
            results.append(FetchResult(url, "failed", f"{type(exc).__name__}: {exc}"))
            continue
        if status != 200:
            results.append(FetchResult(url, "failed", f"HTTP {status}"))
            continue
        target = out / (hashlib.sha256(url.encode()).hexdigest()[:16] + ".json")
        try:
            article = next(read_html(body, source_file=url, url=url))
        except InputError as exc:
            results.append(FetchResult(url, "failed", str(exc)))
            continue
        record = {
            "title": article.title,
            "text": article.text,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "source": article.source,
            "url": url,
        }
        write_json_atomic(target, record)
        results.append(FetchResult(url, "cached" if cached else "ok", None, target))
    return results
