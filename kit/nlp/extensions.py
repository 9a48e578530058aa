"""Custom ``Doc`` attributes shared by the kit's components (spaCy's ``Doc.set_extension``)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["register_extensions"]


def register_extensions() -> None:
    """Register once; safe to call from every component factory and worker process.

    - ``doc._.published``: ``datetime.date`` anchor for relative dates (None: narrative mode)
    - ``doc._.timexes``: list of ``kit.nlp.types.Timex`` (set by ``kit_dates``)
    - ``doc._.claims``: list of ``kit.nlp.types.Claim`` (set by ``kit_claims``)
    """
    for name in ("published", "timexes", "claims"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
