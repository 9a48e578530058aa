"""The coreference step (kit/nlp/coref.py), its GUM reader and scorer (kit/evaluation/coref.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from kit.evaluation.coref import evaluate, read_gum
from kit.nlp.coref import CorefExample, CorefSpec, Resolver, find_rules, resolve_pronouns
from kit.nlp.registry import load_pipeline, resolve_spec
from kit.resources.spec import load_checked
from kit.settings import shared_data_dir

_SPEC = load_checked("coref", "en", CorefSpec)
EXAMPLES: list[CorefExample] = _SPEC["examples"] if _SPEC else []


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:30] for e in EXAMPLES])
def test_rule_example(example: CorefExample) -> None:
    doc = load_pipeline(resolve_spec("en"))(example["text"])
    pronoun = next(t for t in doc if t.text == example["pronoun"])
    found = resolve_pronouns(doc, "en").get(pronoun.i)
    assert found is not None and found.text == example["entity"], (
        found,
        [(e.text, e.label_) for e in doc.ents],
    )


def _doc(words: list[str], ents: list[str], sent_starts: list[bool]) -> Doc:
    return Doc(
        spacy.blank("en").vocab, words=words, ents=ents, sent_starts=list[bool | int | None](sent_starts)
    )


def test_gender_distance_and_things() -> None:
    rules = find_rules("en")
    assert rules is not None
    words = [
        "Anna",
        "Schmidt",
        "met",
        "Peter",
        "Braun",
        ".",
        "He",
        "left",
        ".",
        "She",
        "stayed",
        ".",
        "It",
        "rained",
        ".",
    ]
    ents = ["B-PER", "I-PER", "O", "B-PER", "I-PER", *["O"] * 10]
    starts = [k in (0, 6, 9, 12) for k in range(len(words))]
    resolver = Resolver(_doc(words, ents, starts), rules)
    he, she, it = 6, 9, 12
    assert resolver.antecedent(he).text == "Peter Braun"  # type: ignore[union-attr]
    assert resolver.antecedent(she).text == "Anna Schmidt"  # type: ignore[union-attr]
    assert resolver.antecedent(it) is None  # "it" without a parse or a claim resolves to nothing


def test_title_gives_gender() -> None:
    rules = find_rules("en")
    assert rules is not None
    words = [
        "Ms.",
        "Okafor",
        "met",
        "Mr.",
        "Lee",
        ".",
        "Later",
        ",",
        "Lee",
        "left",
        "and",
        "she",
        "stayed",
        ".",
    ]
    ents = ["B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "O", "O", "B-PER", *["O"] * 5]
    starts = [k in (0, 6) for k in range(len(words))]
    resolver = Resolver(_doc(words, ents, starts), rules)
    assert resolver.antecedent(words.index("she")).text == "Ms. Okafor"  # type: ignore[union-attr]


def test_reach_is_limited() -> None:
    rules = find_rules("en")
    assert rules is not None
    filler = "Rain fell ."
    words = [
        "Peter",
        "Braun",
        "left",
        ".",
        *(filler.split() * (rules.max_sentences["m"] + 1)),
        "He",
        "came",
        ".",
    ]
    ents = ["B-PER", "I-PER", *["O"] * (len(words) - 2)]
    starts = [k == 0 or words[k - 1] == "." for k in range(len(words))]
    resolver = Resolver(_doc(words, ents, starts), rules)
    assert resolver.antecedent(len(words) - 3) is None


def test_no_rules_no_resolution() -> None:
    assert find_rules("de") is None  # German resolves its pronouns in kit/nlp/claims/sources.py
    doc = spacy.blank("de")("Er sagte das.")
    assert resolve_pronouns(doc, "de") == {}


GUM_SAMPLE = """# newdoc id = GUM_test_tiny
# sent_id = t-1
1\tMary\tMary\tPROPN\tNNP\t_\t2\tnsubj\t_\tEntity=(1-person-new-x-x-1-coref-Mary_Smith
2\tSmith\tSmith\tPROPN\tNNP\t_\t3\tflat\t_\tEntity=1)
3\tspoke\tspeak\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

# sent_id = t-2
1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\tEntity=(1-person-giv-x-x-1-ana-Mary_Smith)
2-3\twasn't\t_\t_\t_\t_\t_\t_\t_\t_
2\twas\tbe\tAUX\tVBD\t_\t0\troot\t_\t_
3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\tEntity=(2-abstract-new-x-x-1-sgl(3-place-new-x-x-1-sgl)2)|SpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_
"""


def test_read_gum(tmp_path: Path) -> None:
    path = tmp_path / "GUM_test_tiny.conllu"
    path.write_text(GUM_SAMPLE, encoding="utf-8")
    doc = read_gum(path)
    assert doc.words == ["Mary", "Smith", "spoke", ".", "She", "was", "n't", "."]
    assert doc.spaces[2] is False and doc.sent_starts[4] is True
    assert doc.heads[:4] == [1, 2, 2, 2] and doc.heads[4] == 5
    assert (0, 2, 1, "person") in doc.mentions and (4, 5, 1, "person") in doc.mentions
    assert (6, 7, 2, "abstract") in doc.mentions and (6, 7, 3, "place") in doc.mentions


@pytest.mark.slow
def test_gum_dev_figures() -> None:
    folder = shared_data_dir() / "ud" / "en" / "gum"
    if not (folder / "files.dev").exists():
        pytest.skip("GUM not available")
    result = evaluate(folder)
    assert result["documents"] and result["gold"]
    assert float(result["precision"]) >= 0.6  # type: ignore[arg-type]
    assert float(result["recall"]) >= 0.3  # type: ignore[arg-type]
