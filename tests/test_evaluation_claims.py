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
    from kit.evaluation.claims_corpora import read_spkatt

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


# --------------------------------------------------------------------------- corpora and folds


def test_redewiedergabe_reader(tmp_path: Path) -> None:
    """Speech instances become attributions (content, intexpr cue, speaker); thought does not."""
    from kit.evaluation.claims_corpora import read_redewiedergabe

    header = "tok\tnormtok\tlemma\tpos\trfpos\tsentstart\tstwr\tframe\tspeaker\tintexpr\tnote"
    rows = [
        ("Er", "yes", "-", "speaker.1", "-"),
        ("sagte", "no", "-", "-", "intexpr.1"),
        (",", "no", "-", "-", "-"),
        ("es", "no", "indirect.speech.1", "-", "-"),
        ("regne", "no", "indirect.speech.1", "-", "-"),
        (".", "no", "-", "-", "-"),
        ("Sie", "yes", "-", "speaker.2", "-"),
        ("dachte", "no", "-", "-", "intexpr.2"),
        ("nach", "no", "reported.thought.2", "-", "-"),
        (".", "no", "-", "-", "-"),
    ]
    lines = [header] + [f"{t}\t{t}\t{t}\tX\tX\t{s}\t{w}\t-\t{sp}\t{ie}\t-" for t, s, w, sp, ie in rows]
    path = tmp_path / "rwk_test-1.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read_redewiedergabe(path)
    assert doc.text == "Er sagte, es regne. Sie dachte nach."
    assert len(doc.attributions) == 1
    cue, source, content = doc.attributions[0]
    assert [doc.text[a:b] for a, b in cue] == ["sagte"]
    assert [doc.text[a:b] for a, b in source] == ["Er"]
    assert [doc.text[a:b] for a, b in content] == ["es", "regne"]


def test_folds_are_stable_and_leave_documents_out(tmp_path: Path) -> None:
    from kit.evaluation.claims import evaluate_folds
    from kit.evaluation.claims_corpora import fold_of

    assert fold_of("19002_Zusatzpunkt_3", 5) == fold_of("19002_Zusatzpunkt_3", 5)
    assert {fold_of(f"doc{i}", 5) for i in range(50)} == set(range(5))
    sentence = {"SentenceId": 0, "Tokens": ["Der", "Minister", "sagte", ",", "die", "Lage", "sei", "ernst", "."]}
    ann = {"Cue": ["0:2"], "Source": ["0:0", "0:1"], "Message": ["0:4", "0:5", "0:6", "0:7"]}
    for i in range(6):
        data = {"Sentences": [sentence], "Annotations": [ann]}
        (tmp_path / f"doc{i}.json").write_text(json.dumps(data), encoding="utf-8")
    result = evaluate_folds(tmp_path, 3, lang="de", model="blank")
    rows = result["folds"]
    assert isinstance(rows, list) and len(rows) == 3
    assert sum(r["documents"] for r in rows) == 6
    assert [r["documents"] for r in rows] == [sum(fold_of(f"doc{i}", 3) == f for i in range(6)) for f in range(3)]
    summary = result["summary"]
    assert isinstance(summary, dict)
    assert summary["rules"]["cue"][0] == pytest.approx(1.0)  # every non-empty fold scores 1.0
    assert "mean ± std" in format_report(result)


# --------------------------------------------------------------------------- status


STATUS_FILE = Path(__file__).parent / "data" / "claims_status.jsonl"


def test_status_annotations_are_complete() -> None:
    """At least 200 annotated claims, every status present as gold, no gold copied blindly."""
    from kit.evaluation.claims_status import GOLD_LABELS, STATUSES, read_annotations

    records = read_annotations(STATUS_FILE)
    assert len(records) >= 200
    assert len({r.id for r in records}) == len(records)
    gold = {r.gold for r in records}
    assert set(STATUSES) <= gold <= set(GOLD_LABELS)
    assert {r.predicted for r in records} >= set(STATUSES)
    assert any(r.gold != r.predicted for r in records)  # the annotation records the kit's mistakes


def test_status_file_errors_name_the_line(tmp_path: Path) -> None:
    from kit.errors import KitError
    from kit.evaluation.claims_status import read_annotations

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "article_id": "x", "cue": [[0, 3]], "content": [], "gold": "maybe"}\n')
    with pytest.raises(KitError, match=r"bad.jsonl:1: gold 'maybe'"):
        read_annotations(bad)
    bad.write_text('\n{"id": "a", "article_id": "x", "cue": [[0]], "content": [], "gold": "denied"}\n')
    with pytest.raises(KitError, match=r"bad.jsonl:2 cue: spans"):
        read_annotations(bad)


def test_status_matching_by_cue_offsets() -> None:
    from kit.evaluation.claims_status import StatusRecord, _match

    records = [
        StatusRecord("a", "art", ((10, 15),), ((20, 40),), "denied", "denied", 1.0),
        StatusRecord("b", "art", ((10, 15),), ((50, 60),), "none", "asserted", 1.0),
        StatusRecord("c", "art", (), ((70, 90),), "asserted", "asserted", 1.0),
    ]
    claims = {"art": [(((10, 15),), ((50, 60),), "asserted"), (((10, 15),), ((20, 40),), "denied"), ((), ((75, 80),), "hedged")]}
    assert _match(records, claims) == {"a": "denied", "b": "asserted", "c": "hedged"}


# The status figures on the 212 annotated Wikinews claims (and that every one is still matched)
# are gated in tests/eval_baseline.json: claims_status/wikinews.


def test_status_from_a_tables_folder(tmp_path: Path) -> None:
    """Articles whose text is not kept here (10kGNAD) are scored from a tables folder the user built."""
    import pandas as pd

    from kit.evaluation.claims_status import evaluate as evaluate_status

    (tmp_path / "ann.jsonl").write_text(
        '{"id": "a", "article_id": "x", "cue": [[10, 15]], "content": [[20, 40]], "gold": "denied"}\n'
        '{"id": "b", "article_id": "x", "cue": [[50, 55]], "content": [[60, 70]], "gold": "hedged"}\n',
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "article_id": ["x", "x", "y"],
            "cue_spans": [[[10, 15]], [[50, 55]], [[10, 15]]],
            "content_spans": [[[20, 40]], [[60, 70]], [[20, 40]]],
            "status": ["denied", "asserted", "hedged"],
        }
    ).to_parquet(tmp_path / "claims.parquet")
    result = evaluate_status(tmp_path / "ann.jsonl", tables=tmp_path)
    per = result["per_status"]
    assert isinstance(per, dict)
    assert per["denied"]["precision"] == 1.0 and per["hedged"]["recall"] == 0.0
    assert result["confusion"] == {"denied|denied": 1, "hedged|asserted": 1}
