"""Custom ``Doc`` attributes shared by the kit's components (spaCy's ``Doc.set_extension``)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["doc_text", "register_extensions"]


def register_extensions() -> None:
    """Register once; safe to call from every component factory and worker process.

    - ``doc._.published``: ``datetime.date`` anchor for relative dates (None: narrative mode)
    - ``doc._.timexes``: list of ``kit.nlp.types.Timex`` (set by ``kit_dates``)
    - ``doc._.claims``: list of ``kit.nlp.types.Claim`` (set by ``kit_claims``)
    - ``doc._.claim_sources``: per claim, the char span of the entity mention its source refers to,
      or None (set by ``kit_claims``)
    """
    for name in ("published", "timexes", "claims", "claim_sources"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy rebuilds it from the tokens on every access,
    and it never changes after tokenisation (merging tokens keeps it)."""
    text = doc.user_data.get("kit_text")
    if not isinstance(text, str):
        text = doc.user_data["kit_text"] = doc.text
    return text


register_extensions()
