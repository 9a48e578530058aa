"""Bad input of every kind gets a status, builds killed at random moments never corrupt tables."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit.errors import InputError
from kit.ingest import CsvOptions
from kit.ingest.jsonl import read_json, read_jsonl
from kit.ingest.markdown import read_markdown
from kit.ingest.metadata import parse_published
from kit.ingest.tabular import read_csv
from kit.ingest.text import read_text
from kit.tables.io import current_build
from kit.tables.schemas import TABLE_NAMES

BLANK_ENV = {**os.environ, "KIT_PIPELINE_DE": "blank", "KIT_PIPELINE_EN": "blank"}
GERMAN = "Elon Musk traf Wladimir Putin im Februar 2022, berichtete das Wall Street Journal am Freitag."


def bad_corpus(folder: Path) -> dict[str, str]:
    """Write the bad-input corpus; returns file name -> expected status."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "skipped"),
        "whitespace.txt": (b" \n\t\n", "skipped"),
        "binary.txt": (os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00\x00", "failed"),
        "latin1.txt": ("Größe: Bürgermeister Müller sagte, es sei übel.".encode("latin-1"), "ok"),
        "cp1252.txt": ("„Zitat“ – sagte Müller.".encode("cp1252"), "ok"),
        "bom.txt": (("\ufeff" + GERMAN).encode(), "ok"),
        "utf16.txt": ((GERMAN + " UTF-16.").encode("utf-16"), "ok"),
        "long_lines.txt": (((GERMAN.replace(".", ",") + " ") * 2000 + ".").encode(), "ok"),
        "one_sentence_5mb.txt": (("wort " * 1_000_000).encode(), "ok"),
        "malformed.json": (b'{"text": "abc", ', "failed"),
        "truncated.jsonl": (json.dumps({"text": GERMAN}).encode() + b'\n{"text": "abg', "ok"),
        "all_bad.jsonl": (b"{nope\n[1,2\n", "failed"),
        "wrong_columns.csv": (b"a,b,c\n1,2,3\n", "failed"),
        "ragged.csv": (f"title,text\nT,\"{GERMAN}\"\nonly-one-field\n".encode(), "ok"),
        "hostile.html": (
            f"<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></head><body><article><p>{GERMAN}</p>"
            f"<p>Ein feindseliger Artikel, der Skripte einschleusen will, aber nur Text bleibt.</p><img src=x onerror=alert(1)><script>alert(2)</script></article></body></html>".encode(),
            "ok",
        ),
        "broken_front_matter.md": (b"---\ntitle: [x\n---\nText", "failed"),
        "impossible_date.json": (json.dumps({"text": GERMAN, "published": "31. Februar 2024"}).encode(), "ok"),
        "future_date.json": (json.dumps({"text": GERMAN + " Zukunft.", "published": "2999-01-01"}).encode(), "ok"),
        "duplicate_a.txt": (b"Ein Artikel, der zweimal vorkommt.", "ok"),
        "duplicate_b.txt": (b"Ein Artikel, der zweimal vorkommt.", "ok"),
        "near_duplicate.txt": (b"Ein Artikel, der zweimal vorkommt!", "ok"),
        "unknown.pdf": (b"%PDF-1.4", "skipped"),
    }
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content)
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("inner.txt", GERMAN)
    expected = {name: status for name, (_, status) in files.items()}
    expected["archive.zip"] = "skipped"
    with (folder / "huge.txt").open("wb") as handle:  # 200 MB: over the size limit, never read
        handle.truncate(200 * 1024 * 1024)
    expected["huge.txt"] = "skipped"
    (folder / "loop").mkdir()
    (folder / "loop" / "self").symlink_to(folder / "loop", target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "does-not-exist.txt")
    expected["dangling.txt"] = "failed"
    locked = folder / "locked.txt"
    locked.write_text(GERMAN + " Gesperrt.")
    locked.chmod(0)
    expected["locked.txt"] = "ok" if os.geteuid() == 0 else "failed"  # root reads anything
    return expected


def test_every_bad_file_gets_a_status_and_the_rest_is_built(tmp_path: Path) -> None:
    src = tmp_path / "bad"
    expected = bad_corpus(src)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "kit.cli", "build", str(src), "--out", str(out), "-q", "--max-tokens", "50000"],
        capture_output=True, text=True, env=BLANK_ENV, check=False, timeout=600,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    got = {Path(f["path"]).name: f for f in manifest["files"]}
    assert {name: got[name]["status"] for name in expected} == expected
    for name, status in expected.items():
        if status != "ok":
            assert got[name]["reason"], name
            assert name in proc.stderr
    articles = pq.read_table(out / "articles.parquet").to_pandas()
    truncated = articles[articles.truncated]
    assert {Path(p).name for p in truncated.source_file} == {"one_sentence_5mb.txt"}
    assert any("duplicate" in w for w in got["duplicate_b.txt"]["warnings"])
    assert articles.text.str.contains("zweimal vorkommt!").any()  # a near duplicate is its own article
    assert any("not a valid date" in w for w in got["impossible_date.json"]["warnings"])
    hostile = articles[articles.source_file.str.endswith("hostile.html")].iloc[0]
    assert "alert(2)" not in hostile.text


def _consistent(out: Path) -> str:
    """Tables readable and matching the manifest they are published with; returns the build id."""
    manifest = json.loads((out / "manifest.json").read_text())
    for name in TABLE_NAMES:
        assert pq.read_table(out / f"{name}.parquet").num_rows == manifest["counts"][name], name
    assert current_build(out).resolve().name == manifest["build_id"]
    return str(manifest["build_id"])


def test_builds_killed_at_random_moments_never_corrupt_tables(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        (src / f"{i}.json").write_text(json.dumps({"id": f"a{i}", "text": f"{GERMAN} Nummer {i}."}))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kit.cli", "build", str(src), "--out", str(out), "-q"]
    started = time.perf_counter()
    subprocess.run(command, env=BLANK_ENV, check=True, capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    previous = _consistent(out)
    rng = random.Random(20261125)
    killed = published = 0
    for trial in range(20):
        (src / f"new{trial}.json").write_text(json.dumps({"id": f"n{trial}", "text": f"{GERMAN} Neu {trial}."}))
        proc = subprocess.Popen(command, env=BLANK_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.2, duration * 1.1))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        now = _consistent(out)
        published += now != previous
        previous = now
    print(f"kill trials: 20, killed mid-build {killed}, published a new build {published}")
    assert killed >= 10, f"only {killed} of 20 builds were killed mid-run; the test lost its point"
    subprocess.run(command, env=BLANK_ENV, check=True, capture_output=True, timeout=300)
    _consistent(out)
    assert pq.read_table(out / "articles.parquet").num_rows == 50
    builds = list((out / ".kit" / "builds").iterdir())
    assert len(builds) == 1, "unfinished build folders are cleaned up"


def test_article_tokens_are_bounded(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.txt").write_text("Musk " * 5000, encoding="utf-8")
    result = kit.build([src], out=tmp_path / "out", pipelines={"de": "blank"}, max_tokens=1000, progress=False)
    articles = pq.read_table(result.tables["articles"]).to_pandas()
    assert bool(articles.truncated.iloc[0]) and articles.n_tokens.iloc[0] <= 1001
    assert len(articles.text.iloc[0]) == len("Musk " * 5000)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    readers = [read_text, read_markdown, read_json, read_jsonl]
    for reader in readers:
        try:
            list(reader(text, source_file="fuzz"))
        except InputError:
            pass
    try:
        list(read_csv(text, source_file="fuzz", options=CsvOptions()))
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.builds(lambda d, m, y: f"{d}. {m} {y}", st.integers(-5, 40),
                                                  st.sampled_from(["Januar", "Februar", "März", "May", "Okt"]),
                                                  st.integers(0, 3000))))
def test_date_parser_returns_utc_or_says_why(value: str) -> None:
    try:
        parsed = parse_published(value)
    except InputError as exc:
        assert "not a valid date" in str(exc)
        return
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.parametrize("name", ["31. Februar 2024", "30. Februar, 2023", "2024-02-30"])
def test_impossible_dates_are_rejected(name: str) -> None:
    with pytest.raises(InputError):
        parse_published(name)
