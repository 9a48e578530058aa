"""Issue 18, case by case: one bad record never costs the batch, a damaged cache never costs rows,
reuse sees every change, readers get one whole build, workers die with their build, output
errors are clear. Each test is an exact reproduction of a case of the issue (blank or tiny
pipelines: what is tested is the build, not the models)."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kit
from kit.errors import OutputError
from kit.tables.io import BUILDS, KIT_DIR, DamagedBuildError, StagingOwner, current_build, load

BLANK = {"de": "blank", "en": "blank"}
BLANK_ENV = {**os.environ, "KIT_PIPELINE_DE": "blank", "KIT_PIPELINE_EN": "blank"}
GERMAN = "Elon Musk traf Wladimir Putin in Moskau. Das Treffen fand im Februar 2022 statt, sagte die Zeitung."


def cli(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit.cli", *args], capture_output=True, text=True,
                          env=env or BLANK_ENV, check=False, timeout=timeout)


def records(folder: Path, name: str, items: list[dict[str, object]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def ruler(folder: Path) -> str:
    """A tiny pipeline on disk that finds entities (a blank one finds none)."""
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PER", "pattern": "Elon Musk"}, {"label": "PER", "pattern": "Wladimir Putin"},
        {"label": "LOC", "pattern": "Moskau"}, {"label": "ORG", "pattern": "Zeitung"},
    ])
    nlp.meta["name"] = "ruler_cases"
    nlp.to_disk(folder)
    return str(folder)


# -- a single record never kills the build ----------------------------------------------------------

def test_a_long_text_under_the_token_cap_is_built_whole(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    long_text = "Donaudampfschifffahrtsgesellschaft " * 36_000  # 1.26 M characters, 36,000 tokens (E088)
    (src / "long.txt").write_text(long_text, encoding="utf-8")
    (src / "short.txt").write_text(GERMAN, encoding="utf-8")
    result = kit.build([src], out=tmp_path / "out", pipelines=BLANK, progress=False)
    assert result.failed == [] and result.record_errors == []
    articles = load(tmp_path / "out")["articles"].set_index("source_file")
    row = articles.loc[str(src / "long.txt")]
    assert row.n_chars == len(long_text) and not row.truncated and row.n_tokens == 36_000


def test_an_unpaired_surrogate_in_a_title_is_replaced_not_fatal(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.json").write_text('{"id": "s1", "title": "x \\ud800", "text": "' + GERMAN + '"}', encoding="utf-8")
    proc = cli("build", str(src), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 0, proc.stderr
    title = load(tmp_path / "out")["articles"].title.iloc[0]
    assert title == "x \ufffd"
    assert "unpaired surrogates" in proc.stderr


@pytest.mark.parametrize(("declared", "expected", "detected"), [("German", "de", False), ("de-AT", "de", False),
                                                                 ("../x", "de", True), ("Klingonisch", "de", True)])
def test_a_language_name_or_path_is_normalised_or_refused(tmp_path: Path, declared: str, expected: str,
                                                          detected: bool) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "l1", "language": declared, "text": GERMAN + " " + GERMAN}])
    result = kit.build([src], out=tmp_path / "out", pipelines=BLANK, progress=False)
    assert result.failed == [] and result.record_errors == []
    row = load(tmp_path / "out")["articles"].iloc[0]
    assert (row.language, bool(row.language_detected)) == (expected, detected)
    if detected:
        assert any(declared in w and "not a language" in w for w in result.files[0].warnings)


def test_an_article_that_breaks_the_pipeline_fails_alone(tmp_path: Path) -> None:
    import spacy
    from spacy.language import Language

    if "kit_test_explode" not in Language.factories:
        @Language.component("kit_test_explode")
        def explode(doc: object) -> object:
            if "BOOM" in str(doc):
                raise RuntimeError("component exploded on this text")
            return doc

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_test_explode")
    nlp.to_disk(tmp_path / "model")
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "ok1", "text": GERMAN}, {"id": "bad", "text": "BOOM " + GERMAN},
                            {"id": "ok2", "text": GERMAN + " Zwei."}])
    result = kit.build([src], out=tmp_path / "out", pipelines={"de": str(tmp_path / "model")}, progress=False)
    assert result.counts["articles"] == 2
    [error] = result.record_errors
    assert "record 1" in error and "bad" in error and "exploded" in error
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["errors"][0]["errors"] == [error.split(": ", 1)[1]]


def test_ids_are_trimmed_and_compared_as_text_and_a_clash_fails_the_record(tmp_path: Path) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": " x1 ", "text": GERMAN}, {"id": "x1", "text": GERMAN + " Anders."},
                            {"id": 7, "text": GERMAN + " Sieben."}, {"id": "7", "text": GERMAN + " Auch sieben."}])
    proc = cli("build", str(src), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 1, proc.stderr
    assert "already used" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(load(tmp_path / "out")["articles"].article_id) == ["7", "x1"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    [entry] = manifest["errors"]
    assert len(entry["errors"]) == 2 and all("already used" in e for e in entry["errors"])


# -- damaged cache files never cost rows -----------------------------------------------------------

@pytest.mark.parametrize("damage", ["delete raw/mentions.parquet", "delete mentions.parquet",
                                    "truncate raw/claims.parquet", "truncate entities.parquet"])
def test_a_damaged_build_is_detected_and_rebuilt_not_reused(tmp_path: Path, damage: str) -> None:
    model = ruler(tmp_path / "model")
    src = tmp_path / "in"
    records(src, "a.json", [{"id": f"a{i}", "text": f"{GERMAN} Nummer {i}."} for i in range(6)])
    out = tmp_path / "out"
    first = kit.build([src], out=out, pipelines={"de": model}, progress=False)
    assert first.counts["mentions"] == 24
    action, name = damage.split()
    target = current_build(out) / name
    if action == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    if "raw" not in name:  # a reader never gets a damaged table; raw tables are the build's own cache
        with pytest.raises(DamagedBuildError, match=name):
            load(out)
    again = kit.build([src], out=out, pipelines={"de": model}, progress=False)
    assert again.counts == first.counts and (again.processed, again.reused) == (6, 0)
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(name in reason for reason in manifest["rebuilt_because"])
    third = kit.build([src], out=out, pipelines={"de": model}, progress=False)
    assert third.counts == first.counts and third.reused == 6
    assert len(load(out)["mentions"]) == 24


# -- reuse sees every change -----------------------------------------------------------------------

def test_reuse_is_keyed_on_metadata_and_options(tmp_path: Path) -> None:
    src = tmp_path / "in"
    out = tmp_path / "out"
    base = {"id": "r1", "title": "Alt", "published": "2024-10-25", "source": "WSJ", "text": GERMAN}

    def run(record: dict[str, object], **options: object) -> tuple[int, int]:
        records(src, "a.json", [record])
        result = kit.build([src], out=out, pipelines=BLANK, progress=False, **options)  # type: ignore[arg-type]
        return result.processed, result.reused

    assert run(base) == (1, 0)
    assert run(base) == (0, 1)
    for field, value in (("title", "Neu"), ("published", "2024-11-01"), ("source", "FT")):
        changed = {**base, field: value}
        assert run(changed) == (1, 0), field
        assert str(load(out)["articles"][field].iloc[0]).startswith(value), field
        run(base)
    assert run(base, max_tokens=5) == (1, 0)
    assert bool(load(out)["articles"].truncated.iloc[0])
    assert run(base, max_tokens=5) == (0, 1)
    assert run(base) == (1, 0)


# -- readers get one build, whole ------------------------------------------------------------------

def test_load_during_builds_reads_one_whole_build(tmp_path: Path) -> None:
    src = tmp_path / "in"
    out = tmp_path / "out"
    records(src, "a.json", [{"id": f"b0-{i}", "text": f"{GERMAN} Build 0, Artikel {i}."} for i in range(5)])
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    done = threading.Event()
    failures: list[BaseException] = []

    def builds() -> None:
        try:
            for k in range(1, 7):
                records(src, "a.json", [{"id": f"b{k}-{i}", "text": f"{GERMAN} Build {k}, Artikel {i}."}
                                        for i in range(5 + k)])
                kit.build([src], out=out, pipelines=BLANK, progress=False)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=builds)
    thread.start()
    loads = 0
    while not done.is_set() or loads < 5:
        tables = load(out)
        ids = set(tables["articles"].article_id)
        assert len({i.split("-")[0] for i in ids}) == 1, ids  # one build's articles only
        assert set(tables["sentences"].article_id) == ids
        assert len(ids) == 5 + int(next(iter(ids)).split("-")[0][1:])
        loads += 1
    thread.join()
    assert not failures, failures
    assert loads >= 5


def test_load_keeps_nullable_integers_and_dates(tmp_path: Path) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "d1", "published": "2024-10-25", "text": GERMAN}])
    kit.build([src], out=tmp_path / "out", progress=False)
    tables = load(tmp_path / "out")
    assert str(tables["claims"]["source_start"].dtype) == "Int32"
    assert str(tables["articles"]["n_tokens"].dtype) == "Int32"
    assert str(tables["articles"]["published"].dtype).startswith("datetime64")
    import datetime as dt

    starts = [v for v in tables["dates"]["start"] if v is not None]
    assert starts and all(isinstance(v, dt.date) for v in starts)


# -- processes, locks and disks --------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_die_with_a_killed_build(tmp_path: Path, engine: str) -> None:
    import psutil

    src = tmp_path / "in"
    records(src, "a.json", [{"id": f"w{i}", "text": f"{GERMAN} Nummer {i}. " * 20} for i in range(3000)])
    env = {**BLANK_ENV, "KIT_BATCH_SIZE": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "kit.cli", "build", str(src), "--out", str(tmp_path / "out"),
                             "-q", "--jobs", "2", "--engine", engine], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        main = psutil.Process(proc.pid)
        deadline = time.monotonic() + 120
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = [p for p in main.children(recursive=True) if "python" in p.name().lower()]
            time.sleep(0.2)
        assert len(workers) >= 2, "the build never started its workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_deleted_lock_never_lets_a_build_remove_another_builds_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "k1", "text": GERMAN}])
    out = tmp_path / "out"
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    running = StagingOwner(out / KIT_DIR / BUILDS / "20990101T000000-other")  # a build still writing
    (running.folder / "raw").mkdir()
    (out / KIT_DIR / "build.lock").unlink()  # someone deleted the lock file
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert (running.folder / "raw").is_dir(), "the running build's staging folder was removed"
    running.release()
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert not running.folder.exists(), "a dead build's staging folder stays"


def test_a_full_disk_is_one_clear_error_and_leaves_no_staging_folder(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "f1", "text": GERMAN}])
    out = tmp_path / "out"
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    published = current_build(out).resolve()
    records(src, "a.json", [{"id": "f2", "text": GERMAN + " Neu."}])

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "x.parquet"))

    monkeypatch.setattr("kit.tables.io.StagedWriter.add_table", full)
    with pytest.raises(OutputError, match="No space left on device"):
        kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert [p.name for p in (out / KIT_DIR / BUILDS).iterdir()] == [published.name]
    assert current_build(out).resolve() == published and load(out)["articles"].article_id.tolist() == ["f1"]


def test_an_unwritable_output_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": "u1", "text": GERMAN}])
    proc = cli("build", str(src), "--out", "/sys/kit-cannot-write-here", "-q")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "cannot create the output folder" in proc.stderr


# -- command-line manners about input --------------------------------------------------------------

def test_a_missing_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    proc = cli("build", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 2 and "no such input" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_an_empty_input_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = cli("build", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 0 and "no article files found" in proc.stderr


def test_unknown_csv_fields_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(f"body\n{GERMAN}\n", encoding="utf-8")
    proc = cli("build", str(tmp_path / "a.csv"), "--out", str(tmp_path / "out"), "--csv-column", "txt=body", "-q")
    assert proc.returncode == 2 and "unknown CSV field" in proc.stderr and "Traceback" not in proc.stderr


def test_progress_counts_articles(tmp_path: Path) -> None:
    src = tmp_path / "in"
    records(src, "a.json", [{"id": f"p{i}", "text": f"{GERMAN} {i}"} for i in range(7)])
    proc = cli("build", str(src), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "7 articles" in proc.stderr and "1 files" in proc.stderr
