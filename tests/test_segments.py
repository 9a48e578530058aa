"""Long articles run in segments (kit.segments) and their rows keep offsets into the whole text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kit import settings
from kit.segments import segment_starts

PARAGRAPH = (
    "Bundesfinanzminister Peer Steinbrück sagte am Montag, der Haushalt sei nicht verfassungswidrig. "
    "„Wir halten die Regel ein“, erklärte er in Berlin. Laut der Deutschen Presse-Agentur will die "
    "Regierung bis Ende März 2006 einen Entwurf vorlegen."
)


def test_segments_end_at_paragraph_breaks_and_cover_the_text() -> None:
    text = "\n\n".join(f"Absatz {i}. " + "Wort " * 40 for i in range(50))
    starts = segment_starts(text, 1000)
    assert starts[0] == 0 and len(starts) > 5
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        assert 500 <= b - a <= 1000 or b == len(text)
        if a:
            assert text[a - 2 : a] == "\n\n", "a segment starts after a paragraph break"


def test_a_text_without_breaks_is_still_cut_within_the_size() -> None:
    text = "x" * 2500
    assert segment_starts(text, 1000) == [0, 1000, 2000]
    assert segment_starts("kurz", 1000) == [0]


def test_a_segmented_article_keeps_whole_article_offsets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built in segments of 2,000 characters, every mention, date, claim and source points at its own
    text in the whole article, and the segments together find what one document finds."""
    text = "\n\n".join(f"Teil {i}: {PARAGRAPH}" for i in range(40))
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.json").write_text(
        json.dumps({"id": "long", "text": text, "published": "2006-01-10", "language": "de"}), encoding="utf-8"
    )

    import kit.chunks
    import kit.segments

    joined: list[int] = []
    real_join = kit.segments.join_segments

    def spy(docs: list[object], starts: list[int], whole_text: str) -> object:
        joined.append(len(docs))
        return real_join(docs, starts, whole_text)  # type: ignore[arg-type]

    monkeypatch.setattr(kit.chunks, "join_segments", spy)

    def built(name: str, segment: int) -> dict[str, Any]:
        monkeypatch.setattr(settings, "SEGMENT_CHARS", segment)
        kit.build([src], out=tmp_path / name, progress=False)
        return kit.load(tmp_path / name)

    segmented = built("segmented", 2000)
    whole = built("whole", 10_000_000)
    assert joined == [len(segment_starts(text, 2000)), 1] and joined[0] > 3
    for table in ("mentions", "dates", "claims"):
        rows = segmented[table]
        assert len(rows) > 0, table
        assert all(text[a:b] == t for a, b, t in zip(rows["start_char"], rows["end_char"], rows["text"], strict=True))
    claims = segmented["claims"]
    sourced = claims.dropna(subset=["source_start"])
    assert all(
        text[int(a) : int(b)] == t
        for a, b, t in zip(sourced["source_start"], sourced["source_end"], sourced["source_text"], strict=True)
    )
    assert claims["source_entity_id"].notna().sum() == whole["claims"]["source_entity_id"].notna().sum()
    assert len(segmented["dates"]) == len(whole["dates"]) and len(claims) == len(whole["claims"])
    assert segmented["sentences"]["end_char"].max() == len(text)
