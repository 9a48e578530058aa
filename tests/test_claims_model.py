"""The shipped German claims span model (kit/models/de_kit_claims) and its use in ``kit_claims``."""

from __future__ import annotations

from typing import cast

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer

import kit.nlp.claims  # noqa: F401  (registers the kit_claims factory)
from kit.nlp.claims import ClaimsComponent, extract_claims, load_claims_model
from kit.settings import CLAIMS_MODELS, MODELS_DIR

MODEL_DIR = MODELS_DIR / CLAIMS_MODELS["de"]


@pytest.fixture(scope="module")
def model() -> Language:
    loaded = load_claims_model("de")
    assert loaded is not None, f"no span model at {MODEL_DIR}"
    return loaded


def _blank(lang: str, **config: object) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_claims", config=config)
    return nlp


def _component(nlp: Language) -> ClaimsComponent:
    return cast(ClaimsComponent, nlp.get_pipe("kit_claims"))


def test_shipped_model_is_small_and_labelled(model: Language) -> None:
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 10_000_000
    assert set(cast(EntityRecognizer, model.get_pipe("ner")).labels) == {"CUE", "SOURCE", "CONTENT"}
    assert "non-commercial" in (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Die Polizei teilte mit, der Fahrer sei schwer verletzt worden.",
            [
                ("SOURCE", "Die Polizei"),
                ("CUE", "teilte mit"),
                ("CONTENT", "der Fahrer sei schwer verletzt worden"),
            ],
        ),
        (
            "„Das ist ein schwarzer Tag für Europa“, sagte der Abgeordnete.",
            [
                ("CONTENT", "„Das ist ein schwarzer Tag für Europa“"),
                ("CUE", "sagte"),
                ("SOURCE", "der Abgeordnete"),
            ],
        ),
        (
            "Der Minister kündigte an, dass die Regierung im Herbst ein neues Gesetz vorlegen werde.",
            [
                ("SOURCE", "Der Minister"),
                ("CUE", "kündigte an"),
                ("CONTENT", "dass die Regierung im Herbst ein neues Gesetz vorlegen werde"),
            ],
        ),
    ],
)
def test_model_finds_cue_source_content(model: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.label_, e.text) for e in model(text).ents] == expected


def test_model_widens_a_quote_over_a_paragraph_break() -> None:
    """The rules stop a quotation at a blank line; the model's CONTENT runs to its closing mark."""
    text = "Die Trainerin sagte: „Wir haben heute schlecht gespielt.\n\nDas muss besser werden.“"
    doc = _blank("de", model=None)(text)
    rules = extract_claims(doc, lang="de", model=None)
    (claim,) = extract_claims(doc, lang="de")
    assert [doc.text[a:b] for a, b in rules[0].content_spans] == ["„Wir haben heute schlecht gespielt"]
    assert [doc.text[a:b] for a, b in claim.content_spans] == [text[text.index("„") :]]
    assert (doc.text[slice(*claim.source_spans[0])], claim.kind) == ("Die Trainerin", "indirect")


def test_component_uses_model_and_can_switch_it_off(model: Language) -> None:
    with_model, rules = _blank("de"), _blank("de", model=None)
    assert _component(with_model).model is model  # loaded once, shared
    assert _component(rules).model is None
    text = (
        "Die Sprecherin des Ministeriums sagte, man prüfe den Vorfall und werde sich im Laufe der Woche "
        "mit den Betroffenen treffen. Weitere Angaben machte sie nicht."
    )
    doc = with_model(text)
    assert doc._.claims and doc._.claims[0].kind == "indirect"
    assert rules(text)._.claims == extract_claims(with_model(text), lang="de", model=None)


def test_english_has_no_model() -> None:
    assert load_claims_model("en") is None
    nlp = _blank("en")
    assert _component(nlp).model is None
    doc = nlp("The senator told reporters that taxes would rise.")
    assert doc._.claims == extract_claims(doc, lang="en", model=None)


def test_env_switches_the_model_off_and_changes_the_row_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.nlp.registry import PipelineSpec, spec_identity

    spec = PipelineSpec(lang="de", name="blank", tier="research")  # the tier that runs the span model
    spec_identity.cache_clear()  # the identity is computed once per process
    with_model = spec_identity(spec)
    monkeypatch.setenv("KIT_CLAIMS_MODEL_DE", "none")
    spec_identity.cache_clear()
    assert load_claims_model("de") is None
    assert spec_identity(spec)[1] != with_model[1]
    spec_identity.cache_clear()
    monkeypatch.setenv("KIT_CLAIMS_MODEL_DE", str(MODEL_DIR))
    assert load_claims_model("de") is not None
