"""The claims scorer on hand-made fixtures, and pinned floors on slices of SpkAtt and PolNeAR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.evaluation.baseline import floor as baseline_floor
from kit.evaluation.claims import Attribution, evaluate, format_report, score
from tests.conftest import shared_data


def _a(cue: set[int], source: set[int], content: set[int]) -> Attribution:
    return Attribution(frozenset(cue), frozenset(source), frozenset(content))


def test_score_token_overlap() -> None:
    gold = [[_a({1}, {0}, {3, 4, 5, 6}), _a({10}, {9}, {11, 12})]]
    pred = [[_a({1}, {0, 2}, {4, 5, 6, 7}), _a({20}, {19}, {21})]]
    s = score(gold, pred)
    # cue: 1 shared of 2 predicted / 2 gold; source: 1 of 3 / 2; content: 3 of 5 / 6
    assert s["cue"]["precision"] == pytest.approx(0.5) and s["cue"]["recall"] == pytest.approx(0.5)
    assert s["source"]["precision"] == pytest.approx(1 / 3) and s["source"]["recall"] == pytest.approx(0.5)
    assert s["content"]["f1"] == pytest.approx(2 * (3 / 5) * (3 / 6) / (3 / 5 + 3 / 6))


def test_score_matches_cueless_gold_by_content() -> None:
    gold = [[_a(set(), {0}, {5, 6, 7})]]
    pred = [[_a({5}, {0}, {5, 6, 7})]]
    s = score(gold, pred)
    assert s["content"]["f1"] == pytest.approx(1.0)
    assert s["source"]["f1"] == pytest.approx(1.0)
    assert s["cue"]["precision"] == 0.0


def test_evaluate_spkatt_json(tmp_path: Path) -> None:
    data = {
        "DocumentName": "1 - Test (2020-01-01)",
        "Sentences": [
            {"SentenceId": 0, "Tokens": ["Der", "Minister", "sagte", ",", "die", "Lage", "sei", "ernst", "."]}
        ],
        "Annotations": [
            {
                "Cue": ["0:2"],
                "Source": ["0:0", "0:1"],
                "Message": ["0:4", "0:5", "0:6", "0:7"],
                "Form": "Indirect",
            }
        ],
    }
    (tmp_path / "1 - Test (2020-01-01).json").write_text(json.dumps(data), encoding="utf-8")
    result = evaluate(tmp_path, lang="de", model="blank")
    scores = result["scores"]
    assert isinstance(scores, dict)
    assert result["documents"] == 1
    assert scores["cue"]["f1"] == pytest.approx(1.0)
    assert scores["source"]["f1"] == pytest.approx(1.0)
    assert scores["content"]["f1"] == pytest.approx(1.0)
    assert "content" in format_report(result)


def test_spkatt_text_is_detokenised(tmp_path: Path) -> None:
    data = {
        "Sentences": [{"SentenceId": 0, "Tokens": ["Er", "sagte", ",", "„", "wir", "gewinnen", "“", "."]}],
        "Annotations": [],
    }
    (tmp_path / "x.json").write_text(json.dumps(data), encoding="utf-8")
    from kit.evaluation.claims import read_spkatt

    assert read_spkatt(tmp_path / "x.json").text == "Er sagte, „wir gewinnen“."


def test_evaluate_brat(tmp_path: Path) -> None:
    text = "Smith said that the plan would fail."
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "doc.ann").write_text(
        "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 35\tthat the plan would fail\n"
        "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    result = evaluate(tmp_path, lang="en", model="blank")
    scores = result["scores"]
    assert isinstance(scores, dict)
    assert {role: scores[role]["f1"] for role in ("cue", "source", "content")} == pytest.approx(
        {"cue": 1.0, "source": 1.0, "content": 1.0}
    )


# Floors: what the blank pipeline (sentencizer only) measured on these slices, as pinned in
# tests/eval_baseline.json (claims/spkatt_first25_blank, claims/polnear_first20_blank), minus its
# tolerance; raise them with `python -m kit.evaluation.baseline update --only claims`. SpkAtt: the
# first 25 files of the kit's dev fifth (sorted index % 5 == 0, never trained on), German with the
# shipped span model; PolNeAR: first 20 dev files, rules.
_FLOORS = {
    corpus: {role: baseline_floor("claims", dataset, f"{role}_f1") for role in ("cue", "source", "content")}
    for corpus, dataset in (("spkatt", "spkatt_first25_blank"), ("polnear", "polnear_first20_blank"))
}


def _dev_fifth(folder: Path, target: Path, limit: int) -> Path:
    """Links to the first ``limit`` files of the kit's SpkAtt dev split (the model never saw them)."""
    target.mkdir()
    for path in sorted(folder.glob("*.json"))[::5][:limit]:
        (target / path.name).symlink_to(path)
    return target


@pytest.mark.parametrize(
    ("corpus", "parts", "lang", "limit"),
    [
        ("spkatt", ("claims", "spkatt_news", "train", "task2"), "de", 25),
        ("polnear", ("claims", "polnear", "data", "dev"), "en", 20),
    ],
)
def test_dev_slice_floor(corpus: str, parts: tuple[str, ...], lang: str, limit: int, tmp_path: Path) -> None:
    path = shared_data().joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"{corpus} not found at {path}")
    if corpus == "spkatt":
        path = _dev_fifth(path, tmp_path / "dev", limit)
    result = evaluate(path, lang=lang, model="blank", limit=limit)
    scores = result["scores"]
    assert isinstance(scores, dict)
    for role, floor in _FLOORS[corpus].items():
        assert scores[role]["f1"] >= floor, format_report(result)
