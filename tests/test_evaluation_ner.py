"""NER scorer exactness, gold readers on tiny fixtures, and a regression floor for the shipped model."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import spacy

from kit.evaluation.baseline import floor
from kit.evaluation.ner import evaluate, format_report, score_docs, score_spans
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir
from kit.training.corpora import GoldDoc, read_gold

CONLL_IOB1 = """-DOCSTART- -X- O O

Angela I-PER
Merkel I-PER
besucht O
Paris I-LOC
und O
die O
Deutsche I-ORG
Bank I-ORG
. O

Wien I-LOC
Berlin B-LOC
"""

CONLL_IOB2 = "Angela\tB-PER\nMerkel\tI-PER\nbesucht\tO\nParis\tB-LOC\n\n"

GERMEVAL = """#\thttp://example.org/a\t[2010-01-01]
1\tDie\tO\tO
2\tdeutschen\tB-LOCderiv\tO
3\tEU-Staaten\tB-ORGpart\tO
4\tund\tO\tO
5\tBundeskanzlerin\tO\tO
6\tAngela\tB-PER\tO
7\tMerkel\tI-PER\tO
8\tin\tO\tO
9\tBad\tB-LOC\tB-ORG
10\tEms\tI-LOC\tO

"""


def _smartdata_doc(doc_id: str, text: str, mentions: list[tuple[int, int, str]]) -> dict[str, object]:
    return {
        "id": doc_id,
        "text": {"string": text},
        "conceptMentions": {
            "array": [{"span": {"start": s, "end": e}, "type": t} for s, e, t in mentions],
        },
    }


def test_scorer_is_exact() -> None:
    gold = [(0, 5, "PER"), (10, 15, "LOC"), (20, 24, "ORG")]
    pred = [(0, 5, "PER"), (10, 15, "ORG"), (20, 23, "ORG"), (30, 33, "MISC")]
    result = score_spans([(gold, pred)])
    micro = result["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (1, 3, 2)
    assert micro["p"] == pytest.approx(1 / 4)
    assert micro["r"] == pytest.approx(1 / 3)
    assert micro["f"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert result["per_label"]["PER"]["f"] == 1.0
    assert result["per_label"]["LOC"]["r"] == 0.0
    assert result["per_label"]["ORG"]["tp"] == 0
    assert list(result["per_label"]) == ["PER", "ORG", "LOC", "MISC"]


def test_scorer_counts_per_document() -> None:
    # the same span in two documents is two entities, not one
    result = score_spans([([(0, 3, "PER")], [(0, 3, "PER")]), ([(0, 3, "PER")], [])])
    assert result["micro"]["tp"] == 1 and result["micro"]["fn"] == 1


def test_conll_iob1_and_iob2(tmp_path: Path) -> None:
    (tmp_path / "a.conll").write_text(CONLL_IOB1, encoding="utf-8")
    (tmp_path / "b.conll").write_text(CONLL_IOB2, encoding="utf-8")
    first, second = read_gold(tmp_path / "a.conll", fmt="conll")
    assert [first.text[s:e] + "/" + label for s, e, label in first.spans] == [
        "Angela Merkel/PER",
        "Paris/LOC",
        "Deutsche Bank/ORG",
    ]
    assert [second.text[s:e] for s, e, _ in second.spans] == ["Wien", "Berlin"]
    (iob2,) = read_gold(tmp_path / "b.conll")
    assert [iob2.text[s:e] for s, e, _ in iob2.spans] == ["Angela Merkel", "Paris"]


def test_germeval_outer_column_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "germeval_sample.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    (doc,) = read_gold(path)
    assert doc.words is not None and doc.words[1] == "deutschen"
    # deriv -> MISC, part -> not an entity, nested ORG in column 4 ignored
    assert [(doc.text[s:e], label) for s, e, label in doc.spans] == [
        ("deutschen", "MISC"),
        ("Angela Merkel", "PER"),
        ("Bad Ems", "LOC"),
    ]


def test_smartdata_json_gz_char_offsets(tmp_path: Path) -> None:
    text = "Die Deutsche Bahn sperrt die S4 bei Hamburg."
    docs = [
        _smartdata_doc(
            "1",
            text,
            [(4, 17, "ORGANIZATION_COMPANY"), (29, 31, "LOCATION_ROUTE"), (36, 43, "LOCATION_CITY")],
        ),
        _smartdata_doc("2", "Nichts.", []),
    ]
    path = tmp_path / "smartdata_sample.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(d, indent=2) for d in docs))
    first, second = read_gold(path)
    assert [(text[s:e], label) for s, e, label in first.spans] == [
        ("Deutsche Bahn", "ORG"),
        ("Hamburg", "LOC"),
    ]
    assert second.spans == []


def test_score_docs_with_a_rule_model() -> None:
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Merkel"}, {"label": "ORG", "pattern": "Paris"}])  # type: ignore[attr-defined]
    words = ["Merkel", "besucht", "Paris", "."]
    gold = GoldDoc(doc_id="d", text=" ".join(words), words=words, spans=[(0, 6, "PER"), (15, 20, "LOC")])
    result = score_docs(nlp, [gold])
    assert result["per_label"]["PER"]["f"] == 1.0
    assert result["micro"]["p"] == 0.5 and result["micro"]["r"] == 0.5
    assert "micro" in format_report(result)


# Floors: the shipped model's F1 on GermEval dev (first 300 sentences) and SmartData dev (first 30
# documents) as pinned in tests/eval_baseline.json (ner/<corpus>_first300|_first30: ``f1_model``
# alone, ``f1`` with the entity rules) minus its tolerance; after a new model:
# `python -m kit.evaluation.baseline update --only ner`.
_SLICES = {"germeval2014": "germeval2014_first300", "smartdata": "smartdata_first30"}
FLOORS = {corpus: floor("ner", dataset, "f1_model") for corpus, dataset in _SLICES.items()}
MODEL = MODELS_DIR / DEFAULT_PIPELINES["de"]
GERMEVAL_FILE = shared_data_dir() / "ner/de/germeval2014/NER-de-test.tsv"
SMARTDATA_FILE = shared_data_dir() / "ner/de/smartdata/v3_20200302_dev.json.gz"


@pytest.fixture(scope="module")
def shipped() -> spacy.language.Language:
    if not GERMEVAL_FILE.exists() or not SMARTDATA_FILE.exists():
        pytest.skip("shared corpora not available")
    if not (MODEL / "meta.json").exists():
        pytest.skip("de_kit_news not built")
    return spacy.load(MODEL)


def test_shipped_model_germeval_dev_floor(shipped: spacy.language.Language) -> None:
    result = evaluate(GERMEVAL_FILE, model=shipped, split="dev", limit=300)
    assert result["docs"] == 300
    assert result["micro"]["f"] >= FLOORS["germeval2014"], format_report(result)


def test_shipped_model_smartdata_dev_floor(shipped: spacy.language.Language) -> None:
    result = evaluate(SMARTDATA_FILE, model=shipped, split="dev", limit=30)
    assert result["docs"] == 30
    assert result["micro"]["f"] >= FLOORS["smartdata"], format_report(result)


# With the kit's entity rules and places, as a build runs them, on the same slices.
RULES_FLOORS = {corpus: floor("ner", dataset, "f1") for corpus, dataset in _SLICES.items()}


@pytest.mark.parametrize(
    ("corpus", "path", "limit"), [("germeval2014", GERMEVAL_FILE, 300), ("smartdata", SMARTDATA_FILE, 30)]
)
def test_shipped_pipeline_with_entity_rules_dev_floor(
    shipped: spacy.language.Language, corpus: str, path: Path, limit: int
) -> None:
    result = evaluate(path, model=str(MODEL), split="dev", limit=limit)
    assert "kit_places" in result["pipeline"]
    assert result["micro"]["f"] >= RULES_FLOORS[corpus], format_report(result)


def test_shipped_model_pipeline(shipped: spacy.language.Language) -> None:
    assert shipped.meta["name"] == "kit_news" and shipped.lang == "de"
    assert set(shipped.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}  # type: ignore[attr-defined]
    doc = shipped("Das ist z. B. am 25. Oktober 2024 passiert. Putins Truppen stehen in der Ukraine.")
    assert [s.text for s in doc.sents][1].startswith("Putins")
    assert next(t for t in doc if t.text == "Putins").lemma_ == "Putin"


def test_entity_rules_run_by_default_and_can_be_left_out(tmp_path: Path) -> None:
    if not (MODEL / "meta.json").exists():
        pytest.skip("de_kit_news not built")
    gold = tmp_path / "gold.conll"
    gold.write_text(CONLL_IOB1, encoding="utf-8")
    with_rules = evaluate(gold, model=str(MODEL), lang="de")
    alone = evaluate(gold, model=str(MODEL), lang="de", rules=False)
    assert with_rules["pipeline"][-5:] == [
        "kit_name_rules",
        "kit_org_rules",
        "kit_gazetteer",
        "kit_doc_consistency",
        "kit_places",
    ]
    assert not any(name.startswith("kit_") for name in alone["pipeline"])
    assert "kit_doc_consistency" in format_report(with_rules)


# en_kit_news 0.2.0 (with WikiANN) scored F1 0.589 on the whole wikigold dev split, model alone
# (0.1.0: 0.546); the floor sits 0.02 below.
WIKIGOLD_FILE = shared_data_dir() / "ner/en/wikigold.conll"
EN_MODEL = MODELS_DIR / DEFAULT_PIPELINES["en"]


def test_shipped_english_model_wikigold_dev_floor() -> None:
    if not WIKIGOLD_FILE.exists() or not (EN_MODEL / "meta.json").exists():
        pytest.skip("wikigold or en_kit_news not available")
    result = evaluate(WIKIGOLD_FILE, model=spacy.load(EN_MODEL), lang="en", split="dev", corpus="conll-en")
    assert result["micro"]["f"] >= 0.57, format_report(result)
