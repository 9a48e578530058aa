"""Every rule example kept beside the rules (``examples`` in resources/<lang>/claims.yaml), run
through the shipped pipeline, as HeidelTime keeps an EXAMPLE beside each rule."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from kit.nlp.claims.lexicon import ClaimsSpec, RuleExample
from kit.nlp.registry import load_pipeline, resolve_spec
from kit.resources.spec import load_checked

CASES = [
    pytest.param(lang, example, id=f"{lang}-{group}-{k}")
    for lang in ("de", "en")
    for group, examples in ((load_checked("claims", lang, ClaimsSpec) or {}).get("examples") or {}).items()
    for k, example in enumerate(examples)
]


def _texts(doc: Doc, spans: list[tuple[int, int]]) -> str:
    return " ".join(doc.text[a:b] for a, b in sorted(spans))


@pytest.mark.parametrize(("lang", "example"), CASES)
def test_rule_example(lang: str, example: RuleExample) -> None:
    doc = load_pipeline(resolve_spec(lang))(example["text"])
    found = [
        (claim, source)
        for claim, source in zip(doc._.claims, doc._.claim_sources, strict=True)
        if _texts(doc, claim.cue_spans) == example.get("cue")
    ]
    if example.get("absent"):
        assert not found, example
        return
    assert found, (example, [_texts(doc, c.cue_spans) for c in doc._.claims])
    claim, source = found[0]
    if "source" in example:
        expected = example["source"]
        assert (_texts(doc, claim.source_spans) or None) == expected
    if "content" in example:
        assert _texts(doc, claim.content_spans) == example["content"]
    for key in ("kind", "status"):
        if key in example:
            assert getattr(claim, key) == example[key]  # type: ignore[literal-required]
    if "entity" in example:
        assert source is not None and doc.text[source[0] : source[1]] == example["entity"]


def test_every_language_has_examples() -> None:
    assert {lang for lang, *_ in (c.values for c in CASES)} == {"de", "en"}
