"""What ingest yields: articles ready for the pipeline, and a status for every input file."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

__all__ = ["Article", "FileStatus", "content_hash", "derive_article_id"]


def content_hash(text: str) -> str:
    """Stable fingerprint of an article's text (detects duplicates and changes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def derive_article_id(text: str) -> str:
    """Id for records that bring none: derived from the content, so re-runs give the same id."""
    return content_hash(text)[:16]


@dataclass(slots=True)
class Article:
    """One article as read from its file, before any NLP."""

    text: str
    source_file: str
    record_index: int = 0
    article_id: str | None = None
    title: str | None = None
    published: dt.datetime | None = None
    language: str | None = None
    source: str | None = None
    url: str | None = None
    section: str | None = None
    language_detected: bool = False
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.article_id is None or not str(self.article_id).strip():
            self.article_id = derive_article_id(self.text)
        else:
            self.article_id = str(self.article_id).strip()

    @property
    def hash(self) -> str:
        return content_hash(self.text)


@dataclass(slots=True)
class FileStatus:
    """Outcome for one input file: ``ok``, ``skipped`` or ``failed``, with the reason.

    A file can be ``ok`` and still have ``errors``: records of it that failed (a bad JSON line, an
    id another article already has, an article the pipeline could not process); the build exits 1.
    """

    path: str
    status: str
    reason: str | None = None
    n_articles: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # records of the file that failed, each with why

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "n_articles": self.n_articles,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }
