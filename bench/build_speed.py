"""Build benchmark: prints throughput, kit overhead vs bare nlp.pipe, 1->2 process speed-up,
peak memory per corpus size, and re-run times (nothing changed; 1 % changed).

Corpus: ../shared/data/corpus (Wikinews JSONL + 10kGNAD CSV), repeated with a marker per copy
(so copies are distinct articles) up to each size. Usage:

    .venv/bin/python bench/build_speed.py --sizes 1000,10000,20000 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psutil

from kit import settings

PROJECT = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[dict[str, str]]:
    data = settings.shared_data_dir() / "corpus"
    records = [json.loads(line) for line in (data / "wikinews_de.jsonl").read_text(encoding="utf-8").splitlines()]
    with (data / "10kgnad_test.csv").open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.reader(handle, delimiter=";", quotechar="'")):
            if len(row) == 2:
                records.append({"id": f"gnad-{i}", "text": row[1], "section": row[0], "language": "de"})
    return records


def write_corpus(folder: Path, size: int, records: list[dict[str, str]], *, files: int = 20) -> int:
    """``size`` distinct articles as JSONL files; returns the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    handles = [(folder / f"part-{i:03d}.jsonl").open("w", encoding="utf-8") for i in range(files)]
    for n in range(size):
        base = records[n % len(records)]
        copy = n // len(records)
        record = dict(base, id=f"{base.get('id', n)}-{copy}")
        if copy:
            record["text"] = f"{base['text']}\n\n(Kopie {copy})"
        words += len(record["text"].split())
        handles[n % files].write(json.dumps(record, ensure_ascii=False) + "\n")
    for handle in handles:
        handle.close()
    return words


def run_build(src: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB, process tree) of `kit build` in a fresh process."""
    command = [str(PROJECT / ".venv" / "bin" / "kit"), "build", str(src), "--out", str(out), "-q", "-j", str(jobs)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    parent = psutil.Process(proc.pid)

    def poll() -> None:
        nonlocal peak
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    watcher.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed: {err.decode()[-2000:]}")
    return time.perf_counter() - started, peak


def bare_pipe(src: Path) -> tuple[float, int]:
    """Seconds for the same texts through nlp.pipe of the same pipeline (no ingest, no tables)."""
    from kit.nlp.registry import load_pipeline, resolve_spec

    texts = [json.loads(line)["text"] for f in sorted(src.glob("*.jsonl")) for line in f.open(encoding="utf-8")]
    nlp = load_pipeline(resolve_spec("de"))
    nlp("Aufwärmen.")
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.PIPE_BATCH_SIZE):
        pass
    return time.perf_counter() - started, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,20000")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    records = corpus_texts()
    work = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    try:
        first = sizes[0]
        src = work / f"in-{first}"
        words = write_corpus(src, first, records)
        bare_seconds, _ = bare_pipe(src)
        one, rss_one = run_build(src, work / "out-1", 1)
        print(f"corpus: {first} articles, {words:,} words")
        print(f"bare nlp.pipe (1 process):        {words / bare_seconds:10,.0f} words/s")
        print(f"kit build end to end (1 process): {words / one:10,.0f} words/s  ({one:.1f} s)")
        print(f"kit / bare ratio:                 {bare_seconds / one:10.2f}")
        two, rss_two = run_build(src, work / "out-2", args.jobs)
        print(f"kit build with {args.jobs} processes:      {words / two:10,.0f} words/s  speed-up {one / two:.2f}x")
        rerun, _ = run_build(src, work / "out-1", 1)
        print(f"re-run, nothing changed:          {rerun:10.1f} s  ({100 * rerun / one:.1f} % of the full build)")
        changed = min(src.glob("*.jsonl"))
        lines = changed.read_text(encoding="utf-8").splitlines()
        n_change = max(1, first // 100)
        for i in range(min(n_change, len(lines))):
            record = json.loads(lines[i])
            record["text"] += " Aktualisiert."
            lines[i] = json.dumps(record, ensure_ascii=False)
        changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
        partial, _ = run_build(src, work / "out-1", 1)
        print(f"re-run, 1 % changed:              {partial:10.1f} s  ({100 * partial / one:.1f} % of the full build)")
        print(f"peak RSS at {first:>6} articles:      {rss_one:10.0f} MB  (1 process)")
        print(f"peak RSS at {first:>6} articles:      {rss_two:10.0f} MB  ({args.jobs} processes)")
        for size in sizes[1:]:
            src = work / f"in-{size}"
            words = write_corpus(src, size, records)
            seconds, rss = run_build(src, work / f"out-{size}", args.jobs)
            print(f"peak RSS at {size:>6} articles:      {rss:10.0f} MB  ({words / seconds:,.0f} words/s, "
                  f"{args.jobs} processes)")
            rerun, _ = run_build(src, work / f"out-{size}", args.jobs)
            print(f"re-run at {size:>6}, nothing changed: {rerun:8.1f} s  ({100 * rerun / seconds:.1f} % of the build)")
            shutil.rmtree(work / f"out-{size}")
            shutil.rmtree(src)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
