"""Learn attribution cue statistics from the training corpora (``kit/resources/<lang>/claims_cues_learned.tsv``).

Reproducible: :func:`build_cue_lexicon` reads only training data -- SpkAtt-2023 news task 2
``train/task2`` files whose index in sorted order is not a multiple of 5 (index % 5 == 0 is the
kit's held-out dev split; SpkAtt news is CC BY-NC-SA, and so are these counts) -- and writes one row
per lemma:

``lemma  n_cue  n_total  precision``

and beside it ``claims_cue_context_learned.tsv``: for the word right before (``prev``) or after
(``next``) a gold cue word, how often it belongs to the cue as well (``side word n_in_cue n_total
precision``).

German only: English has no learned lists, because PolNeAR's licence allows evaluation only.

``n_total`` counts tokens whose lemma is ``lemma``, ``n_cue`` those of them inside a gold cue, and
``precision = n_cue / n_total``.  No corpus text is stored, only these counts.  Lemmas are the
lexicon's own (:meth:`kit.nlp.claims.lexicon.Lexicon.verb`: spaCy's lookup table over the lower-cased
form), so the same key is found at run time with or without a pipeline lemmatizer.  Which rows
become cues is decided at load time by the ``learned`` thresholds in ``claims.yaml``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import spacy

from kit.settings import RESOURCES_DIR, shared_data_dir

__all__ = ["LEARNED_FILE", "build_cue_lexicon", "train_files"]

from kit.nlp.claims.lexicon import CONTEXT_FILE, LEARNED_FILE

_MIN_CUE = 2  # rows with fewer cue hits are not written


def train_files(lang: str, shared: Path | None = None) -> list[Path]:
    """The training documents of ``lang`` (gold files the statistics are counted on)."""
    root = Path(shared) if shared is not None else shared_data_dir()
    if lang == "de":
        folder = root / "claims" / "spkatt_news" / "train" / "task2"
        files = sorted(folder.glob("*.json"))
        return [f for k, f in enumerate(files) if k % 5 != 0]
    raise ValueError(f"no claims training data for language {lang!r} (PolNeAR is for evaluation only)")


def build_cue_lexicon(
    lang: str, *, shared: Path | None = None, out: Path | None = None, files: list[Path] | None = None
) -> Path:
    """Count cue lemmas on the training split of ``lang`` (or on ``files``, e.g. the other folds of a
    cross-validation) and write the TSV; returns its path."""
    from kit.evaluation.claims import tokens_of
    from kit.evaluation.claims_corpora import brat_text, read_brat, read_spkatt
    from kit.nlp.claims.lexicon import load_lexicon

    lex = load_lexicon(lang)
    nlp = spacy.blank(lang)
    n_cue: Counter[str] = Counter()
    n_total: Counter[str] = Counter()
    ctx_in: Counter[tuple[str, str]] = Counter()
    ctx_total: Counter[tuple[str, str]] = Counter()
    for file in files if files is not None else train_files(lang, shared):
        if file.suffix == ".json":
            gold = read_spkatt(file)
        else:
            txt = brat_text(file)
            if txt is None:
                continue
            gold = read_brat(file, txt)
        doc = nlp(gold.text)
        cue_ids: set[int] = set()
        for roles in gold.attributions:
            cue_ids |= tokens_of(doc, roles[0])
        for tok in doc:
            if not tok.is_alpha:
                continue
            lemma = lex.verb(tok)[1]
            n_total[lemma] += 1
            if tok.i in cue_ids:
                n_cue[lemma] += 1
                # words right beside a cue word: how often they belong to the cue too
                for side, k in (("prev", tok.i - 1), ("next", tok.i + 1)):
                    if 0 <= k < len(doc) and not doc[k].is_space:
                        key = (side, doc[k].lower_)
                        ctx_total[key] += 1
                        ctx_in[key] += k in cue_ids
    rows = sorted(
        ((lemma, c, n_total[lemma]) for lemma, c in n_cue.items() if c >= _MIN_CUE),
        key=lambda r: (-r[1], r[0]),
    )
    path = out if out is not None else RESOURCES_DIR / lang / LEARNED_FILE
    lines = ["lemma\tn_cue\tn_total\tprecision"]
    lines += [f"{lemma}\t{c}\t{t}\t{c / t:.3f}" for lemma, c, t in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctx_rows = sorted(
        ((side, word, c, ctx_total[side, word]) for (side, word), c in ctx_in.items() if c >= _MIN_CUE),
        key=lambda r: (r[0], -r[2], r[1]),
    )
    lines = ["side\tword\tn_in_cue\tn_total\tprecision"]
    lines += [f"{side}\t{word}\t{c}\t{t}\t{c / t:.3f}" for side, word, c, t in ctx_rows]
    (path.parent / CONTEXT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m kit.training.claims_lexicon [de]
    import sys

    for code in sys.argv[1:] or ["de"]:
        print(build_cue_lexicon(code))
