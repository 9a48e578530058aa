"""``kit fetch``: download article pages politely and save their main text as JSON records.

Polite: robots.txt is obeyed for the URL and for every redirect hop (a robots.txt that cannot be
fetched, or answers 5xx, disallows the host, as RFC 9309 says), requests to one host are spaced by
``delay`` seconds, and responses are cached on disk, so a re-run asks the network only for pages
it has not seen. Bounded: every URL has a total deadline (redirects and retries included) and a
cap on the bytes received and on the bytes after decompression; 5xx answers are retried with
backoff and never cached. One bad URL, answer or cache entry fails that URL only. Credentials
(``user:pass@``) are used for the request but never written into records or the cache.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from tqdm import tqdm

from kit import __version__
from kit.errors import InputError
from kit.ingest.decode import decode_bytes
from kit.ingest.html import read_html
from kit.tables.io import write_json_atomic

__all__ = ["USER_AGENT", "FetchLimits", "FetchResult", "fetch_urls", "public_url"]

USER_AGENT = f"kit/{__version__} (investigative dataset kit; polite fetcher)"
_REDIRECTS = (301, 302, 303, 307, 308)
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How long and how much one URL may take."""

    deadline: float = 60.0  # seconds for the whole URL: robots.txt, redirects, retries, the body
    max_bytes: int = 10 * 1024 * 1024  # bytes received (compressed)
    max_decoded_bytes: int = 20 * 1024 * 1024  # bytes after decompression (a gzip bomb stops here)
    retries: int = 3  # more attempts after a 5xx answer or a network error
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_redirects: int = 5
    read_timeout: float = 20.0  # seconds one read may wait


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: str  # ok, cached, skipped, failed
    reason: str | None = None
    path: Path | None = None


class FetchError(Exception):
    """One URL cannot be fetched; the message says why."""


def _split(url: str) -> SplitResult:
    """Parsed http(s) URL; FetchError for anything else (``http://[::1``, a bad port, no host)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError("not an http(s) URL")
    if not parts.hostname:
        raise FetchError("not a valid URL: no host")
    return parts


def public_url(url: str) -> str:
    """The URL without ``user:password@``: what records, results and the cache may hold (works on
    URLs that do not parse, too)."""
    return _USERINFO.sub(r"\1", url, count=1)


def _decoder(encoding: str) -> Any:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise FetchError(f"unsupported content encoding {encoding!r}")


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    headers: CaseInsensitiveDict[str]


class _Client:
    def __init__(self, cache: Path, delay: float, limits: FetchLimits) -> None:
        self.cache = cache
        self.delay = delay
        self.limits = limits
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        cache.mkdir(parents=True, exist_ok=True)

    # -- one request, bounded ----------------------------------------------------------------------
    def _once(self, url: str, deadline: float) -> _Answer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"took longer than the {self.limits.deadline:g}-second deadline")
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(min(wait, remaining))
        timeout = (min(10.0, remaining), min(self.limits.read_timeout, remaining))
        try:
            response = self.session.get(url, timeout=timeout, stream=True, allow_redirects=False)
        finally:
            self._last[host] = time.monotonic()
        with response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError(f"response of {int(declared):,} bytes, over the {self.limits.max_bytes:,}-byte cap")
            body = self._read_body(response, deadline)
            return _Answer(response.status_code, body, response.headers)

    def _read_body(self, response: requests.Response, deadline: float) -> bytes:
        decoder = _decoder(response.headers.get("Content-Encoding", ""))
        cap, decoded_cap = self.limits.max_bytes, self.limits.max_decoded_bytes
        received, out, size = 0, [], 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"took longer than the {self.limits.deadline:g}-second deadline")
            data = response.raw.read1(65536, decode_content=False)
            if not data:
                break
            received += len(data)
            if received > cap:
                raise FetchError(f"response over the {cap:,}-byte cap")
            if decoder is not None:
                data = decoder.decompress(data, decoded_cap - size + 1)
                if decoder.unconsumed_tail:
                    raise FetchError(f"response over {decoded_cap:,} bytes once decompressed (refused)")
            size += len(data)
            if size > decoded_cap:
                raise FetchError(f"response over {decoded_cap:,} bytes once decompressed (refused)")
            out.append(data)
        if decoder is not None:
            tail = decoder.flush()
            size += len(tail)
            if size > decoded_cap:
                raise FetchError(f"response over {decoded_cap:,} bytes once decompressed (refused)")
            out.append(tail)
        return b"".join(out)

    def _retrying(self, url: str, deadline: float) -> _Answer:
        """A request retried with backoff after a 5xx answer or a network error, within the deadline."""
        wait = self.limits.backoff
        for attempt in range(self.limits.retries + 1):
            last = attempt == self.limits.retries or time.monotonic() + wait >= deadline
            try:
                answer = self._once(url, deadline)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise FetchError(f"{type(exc).__name__}: {exc}") from None
            except requests.RequestException as exc:
                raise FetchError(f"{type(exc).__name__}: {exc}") from None
            else:
                if answer.status < 500 or last:
                    return answer
            time.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    # -- robots.txt --------------------------------------------------------------------------------
    def allowed(self, url: str, deadline: float) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
        if root not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                answer = self._follow(root + "/robots.txt", deadline, check_robots=False)
            except FetchError:
                answer = None
            if answer is not None and answer.status == 200:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            elif answer is not None and 400 <= answer.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
            else:
                parser.parse(["User-agent: *", "Disallow: /"])  # unreachable or 5xx: disallowed (RFC 9309)
            self._robots[root] = parser
        return self._robots[root].can_fetch(USER_AGENT, url)

    def _follow(self, url: str, deadline: float, *, check_robots: bool = True) -> _Answer:
        """The answer after following redirects; robots.txt checked for every hop."""
        for _hop in range(self.limits.max_redirects + 1):
            _split(url)
            if check_robots and not self.allowed(url, deadline):
                raise _Disallowed(public_url(url))
            answer = self._retrying(url, deadline)
            location = answer.headers.get("Location")
            if answer.status not in _REDIRECTS or not location:
                return answer
            url = urljoin(url, location)
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    # -- cache -------------------------------------------------------------------------------------
    def _entry(self, url: str) -> Path:
        return self.cache / (hashlib.sha256(public_url(url).encode()).hexdigest()[:32] + ".json")

    def cached(self, url: str) -> tuple[int, str] | None:
        entry = self._entry(url)
        if not entry.exists():
            return None
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            return int(data["status"]), str(data["body"])
        except (OSError, ValueError, KeyError, TypeError):
            entry.unlink(missing_ok=True)  # a damaged entry is fetched again
            return None

    def get(self, url: str) -> tuple[int, str, bool]:
        """(status code, body text, came from cache)."""
        hit = self.cached(url)
        if hit is not None:
            return hit[0], hit[1], True
        answer = self._follow(url, time.monotonic() + self.limits.deadline)
        text = _text(answer)
        if answer.status < 500:  # server errors are retried next time, never cached
            write_json_atomic(self._entry(url), {"url": public_url(url), "status": answer.status, "body": text})
        return answer.status, text, False


class _Disallowed(FetchError):
    def __init__(self, url: str) -> None:
        super().__init__(f"disallowed by robots.txt: {url}")


def _text(answer: _Answer) -> str:
    charset = requests.utils.get_encoding_from_headers(answer.headers)
    if charset and charset.lower() != "iso-8859-1":  # requests' guess for any text/* without a charset
        try:
            return answer.body.decode(charset, errors="replace")
        except LookupError:
            pass
    if not answer.body:
        return ""
    try:
        return decode_bytes(answer.body)[0]
    except InputError as exc:
        raise FetchError(str(exc)) from None


def _record(client: _Client, url: str, out: Path) -> FetchResult:
    shown = public_url(url)
    try:
        _split(url)
        status, body, cached = client.get(url)
    except _Disallowed as exc:
        return FetchResult(shown, "skipped", str(exc))
    except FetchError as exc:
        return FetchResult(shown, "failed", str(exc))
    if status != 200:
        return FetchResult(shown, "failed", f"HTTP {status}")
    try:
        article = next(read_html(body, source_file=shown, url=shown))
    except InputError as exc:
        return FetchResult(shown, "failed", str(exc))
    record = {
        "title": article.title,
        "text": article.text,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "source": article.source,
        "url": shown,
    }
    target = out / (hashlib.sha256(shown.encode()).hexdigest()[:16] + ".json")
    write_json_atomic(target, record)
    return FetchResult(shown, "cached" if cached else "ok", None, target)


def fetch_urls(
    urls_file: Path, *, out: Path, delay: float = 1.0, cache: Path | None = None, progress: bool = True,
    limits: FetchLimits | None = None,
) -> list[FetchResult]:
    """Fetch every URL of ``urls_file`` (one per line, '#' comments) into ``out/<hash>.json``."""
    urls = [
        line.strip()
        for line in urls_file.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    out.mkdir(parents=True, exist_ok=True)
    client = _Client(cache or out / ".cache", delay, limits or FetchLimits())
    results: list[FetchResult] = []
    for url in tqdm(urls, desc="kit fetch", unit="url", disable=not progress):
        try:
            results.append(_record(client, url, out))
        except Exception as exc:  # noqa: BLE001 - a last resort: one URL never stops the list
            results.append(FetchResult(public_url(url), "failed", f"{type(exc).__name__}: {exc}"))
    return results
