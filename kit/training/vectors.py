"""floret subword vectors from raw text: the main lever for recall on names unseen in NER data.

Settings are pinned in ``configs/vectors_<lang>.yaml``; a small bucket count keeps the table
(and so the shipped model) small while floret's subword hashing still covers every word.
"""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path
from typing import Any

import yaml

__all__ = ["train_floret", "vector_settings", "write_raw_text"]

CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def vector_settings(lang: str) -> dict[str, Any]:
    """The pinned source budget and floret hyper-parameters for a language."""
    with (CONFIGS_DIR / f"vectors_{lang}.yaml").open(encoding="utf-8") as f:
        settings: dict[str, Any] = yaml.safe_load(f)
    return settings


def write_raw_text(sources: dict[str, int], out: Path, *, data_dir: Path) -> int:
    """Tokenised raw text, one line per input line, up to each source's token budget."""
    total = 0
    with out.open("w", encoding="utf-8") as sink:
        for rel, budget in sources.items():
            count = 0
            with gzip.open(data_dir / rel, "rt", encoding="utf-8") as f:
                for line in f:
                    tokens = _TOKEN.findall(line)
                    if len(tokens) < 3:
                        continue
                    sink.write(" ".join(tokens) + "\n")
                    count += len(tokens)
                    if count >= budget:
                        break
            total += count
    return total


def train_floret(lang: str, work: Path, *, data_dir: Path) -> Path:
    """Train (or reuse) ``work/vectors.floret``; returns its path."""
    import floret  # imported here: only training needs it

    out = work / "vectors.floret"
    if out.exists():
        return out
    settings = vector_settings(lang)
    work.mkdir(parents=True, exist_ok=True)
    raw = work / "raw.txt"
    tokens = write_raw_text(settings["sources"], raw, data_dir=data_dir)
    print(f"[kit] training floret vectors on {tokens:,} tokens", flush=True)
    start = time.perf_counter()
    model = floret.train_unsupervised(str(raw), **settings["floret"])
    model.save_floret_vectors(str(out))
    print(f"[kit] floret vectors done in {time.perf_counter() - start:.0f} s", flush=True)
    return out
