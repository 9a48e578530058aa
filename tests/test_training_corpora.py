"""Label mapping, tag decoding, splits and DocBin conversion of the NER training corpora."""

from __future__ import annotations

from itertools import islice

import pytest
import spacy

from kit.settings import shared_data_dir
from kit.training.corpora import (
    GoldDoc,
    corpus_specs,
    iter_corpus,
    map_label,
    split_of,
    tags_to_spans,
)
from kit.training.ner import to_doc


@pytest.mark.parametrize(
    ("raw", "corpus", "label"),
    [
        ("PER", "germeval2014", "PER"),
        ("OTH", "germeval2014", "MISC"),
        ("LOCderiv", "germeval2014", "MISC"),  # "deutschen" is not a place
        ("LOCpart", "germeval2014", None),  # "EU-Staaten" is not a name
        ("LOCATION_CITY", "smartdata", "LOC"),
        ("ORGANIZATION_COMPANY", "smartdata", "ORG"),
        ("DATE", "smartdata", None),
        ("location-route", "mobie", None),
        ("location-stop", "mobie", "LOC"),
        ("RR", "ler", "PER"),
        ("GRT", "ler", "ORG"),
        ("GS", "ler", None),
        ("prod", "hipe2020", "MISC"),
        ("MISC", "europarl", "MISC"),
        ("gpe", "conll-en", "LOC"),
    ],
)
def test_label_mapping(raw: str, corpus: str, label: str | None) -> None:
    assert map_label(raw, corpus) == label


def test_every_mapping_targets_kit_labels() -> None:
    for lang in ("de", "en"):
        for spec in corpus_specs(lang):
            assert {map_label(t, spec.labels) for t in ("per", "org", "loc", "misc", "x")} <= {
                "PER",
                "ORG",
                "LOC",
                "MISC",
                None,
            }


def test_tags_iob1_iob2_bioes_agree() -> None:
    iob2 = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]
    iob1 = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]
    bioes = ["B-PER", "E-PER", "O", "S-LOC", "S-LOC", "S-ORG"]
    expected = [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")]
    assert tags_to_spans(iob2) == tags_to_spans(iob1) == tags_to_spans(bioes) == expected


def test_split_is_deterministic_and_about_a_fifth() -> None:
    splits = [split_of(f"doc-{i}") for i in range(2000)]
    assert splits == [split_of(f"doc-{i}") for i in range(2000)]
    assert 0.15 < splits.count("dev") / len(splits) < 0.25


def test_to_doc_keeps_gold_tokens_and_entities() -> None:
    gold = GoldDoc(
        doc_id="x\t0",
        text="Angela Merkel besucht Paris .",
        words=["Angela", "Merkel", "besucht", "Paris", "."],
    )
    gold.spans = [(0, 13, "PER"), (22, 27, "LOC")]
    doc = to_doc(spacy.blank("de"), gold)
    assert [(e.text, e.label_) for e in doc.ents] == [("Angela Merkel", "PER"), ("Paris", "LOC")]


def test_to_doc_aligns_char_offsets_on_raw_text() -> None:
    gold = GoldDoc(doc_id="y", text="Die Deutsche Bahn (DB) fährt.", spans=[(4, 17, "ORG"), (19, 21, "ORG")])
    doc = to_doc(spacy.blank("de"), gold)
    assert [(e.text, e.label_) for e in doc.ents] == [("Deutsche Bahn", "ORG"), ("DB", "ORG")]


needs_data = pytest.mark.skipif(not shared_data_dir().is_dir(), reason="shared corpora not available")


@needs_data
@pytest.mark.parametrize("name", ["germeval2014", "smartdata", "mobie", "europarl", "ler"])
def test_corpus_slices_read_cleanly(name: str) -> None:
    spec = next(s for s in corpus_specs("de") if s.name == name)
    for split in ("train", "dev"):
        docs = list(islice(iter_corpus(spec, split), 40))
        assert docs, (name, split)
        for gold in docs:
            for start, end, label in gold.spans:
                surface = gold.text[start:end]
                assert surface and surface == surface.strip() and label in {"PER", "ORG", "LOC", "MISC"}


@needs_data
def test_germeval_train_and_dev_are_disjoint() -> None:
    spec = next(s for s in corpus_specs("de") if s.name == "germeval2014")
    train_ids = {g.doc_id.split("\t")[0] for g in islice(iter_corpus(spec, "train"), 500)}
    dev_ids = {g.doc_id.split("\t")[0] for g in islice(iter_corpus(spec, "dev"), 200)}
    assert train_ids and dev_ids and not train_ids & dev_ids
