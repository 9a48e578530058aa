"""The shipped English pipeline's syntax (tagger, morphologizer, lemmatizer, parser trained on GUM)
and the GUM reader. Fast tests load the shipped model only; the slow one reads GUM dev."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy

from kit import settings
from kit.nlp.registry import PipelineSpec, load_pipeline
from kit.training.syntax import ConlluError, gum_files, read_conllu

MODEL = settings.MODELS_DIR / settings.DEFAULT_PIPELINES["en"]


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load(MODEL)


def test_pipeline_has_the_syntax_components(nlp: spacy.language.Language) -> None:
    for name in ("tagger", "morphologizer", "lemmatizer", "parser", "ner"):
        assert nlp.has_pipe(name), name
    assert nlp.get_pipe("lemmatizer").__class__.__name__ == "EditTreeLemmatizer"
    assert not nlp.has_pipe("sentencizer"), "the parser splits sentences"


def test_reported_speech_parse(nlp: spacy.language.Language) -> None:
    doc = nlp("The minister said that the government would raise taxes next year.")
    said = doc[2]
    assert said.text == "said" and said.dep_ == "ROOT" and said.lemma_ == "say" and said.pos_ == "VERB"
    deps = {child.dep_: child.text for child in said.children}
    assert deps.get("nsubj") == "minister"
    assert deps.get("ccomp") == "raise"
    assert doc[5].dep_ == "nsubj" and doc[5].head.text == "raise"


def test_passive_and_lemmas(nlp: spacy.language.Language) -> None:
    doc = nlp("The plans were criticised by several ministers.")
    assert [t.lemma_ for t in doc][:4] == ["the", "plan", "be", "criticise"]
    assert doc[1].dep_ == "nsubj:pass" and doc[1].head.text == "criticised"
    assert doc[1].morph.get("Number") == ["Plur"]


def test_parser_sets_sentences(nlp: spacy.language.Language) -> None:
    doc = nlp("The minister resigned on Monday. Her party called for new elections. Nobody expected it.")
    assert [s.text for s in doc.sents] == [
        "The minister resigned on Monday.",
        "Her party called for new elections.",
        "Nobody expected it.",
    ]


def test_kit_pipeline_starts_sentences_at_line_breaks() -> None:
    kit_nlp = load_pipeline(PipelineSpec("en", str(MODEL)))
    names = kit_nlp.pipe_names
    assert names.index("kit_line_breaks") < names.index("parser")
    doc = kit_nlp("October 25, 2024\nPolitics\nMinister resigns over funding scandal\n\nThe minister said on Monday that he would go.")
    starts = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert starts[:4] == ["October 25, 2024", "Politics", "Minister resigns over funding scandal",
                          "The minister said on Monday that he would go."]
    assert "kit_claims" in names and "kit_dates" in names


def test_card_lists_syntax_scores_matching_meta() -> None:
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    card = (MODEL / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert meta["version"] == "0.3.0"
    assert card.startswith(f"# en_kit_news {meta['version']}")
    gum = meta["performance"]["gum_dev"]
    row = re.search(r"\| POS \| tag \| morph \| lemma \| UAS \| LAS .*\n.*\n\| (.*) \|", card)
    assert row, "the card has no GUM dev table"
    values = [float(v) for v in row.group(1).split(" | ")]
    keys = ["pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_p", "sents_r", "sents_f"]
    assert values == [round(gum[k], 3) for k in keys]
    assert 0.5 < gum["dep_las"] < 1.0 and gum["pos_acc"] > 0.85
    assert "GUM" in card and "CC BY-SA" in card and "Zeldes" in card
    assert "NC" not in meta["license"]
    assert any("GUM" in s["name"] for s in meta["sources"])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_multiword_tokens_empty_nodes_and_spacing(tmp_path: Path) -> None:
    conllu = (
        "# newpar\n# sent_id = a-1\n# text = Byron's dog barked.\n"
        "1-2\tByron's\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "1\tByron\tByron\tPROPN\tNNP\tNumber=Sing\t3\tnmod:poss\t_\t_\n"
        "2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n"
        "3\tdog\tdog\tNOUN\tNN\tNumber=Sing\t4\tnsubj\t_\t_\n"
        "3.1\tdog\tdog\tNOUN\tNN\t_\t_\t_\t4:nsubj\t_\n"
        "4\tbarked\tbark\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n"
        "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n"
        "# newpar\n# sent_id = a-2\n"
        "1-2\tzum\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "1\tzu\tzu\tADP\tIN\t_\t2\tcase\t_\t_\n"
        "2\tdem\tder\tDET\tDT\t_\t3\tdet\t_\t_\n"
        "3\tEnde\tEnde\tNOUN\tNN\t_\t0\troot\t_\t_\n\n"
    )
    vocab = spacy.blank("en").vocab
    (doc,) = read_conllu(_write(tmp_path / "a.conllu", conllu), vocab)
    assert doc.text == "Byron's dog barked. zum Ende"
    assert [t.text for t in doc] == ["Byron", "'s", "dog", "barked", ".", "zum", "Ende"]
    assert doc[3].dep_ == "ROOT" and doc[2].head.i == 3 and doc[0].head.i == 2
    assert doc[5].pos_ == "DET" and doc[5].head.i == 6  # non-concatenating range: one token
    assert [s.start for s in doc.sents] == [0, 5]
    (with_breaks,) = read_conllu(tmp_path / "a.conllu", vocab, paragraph_breaks=True)
    assert with_breaks.text == "Byron's dog barked.\n\nzum Ende"
    brk = with_breaks[5]
    assert brk.is_space and brk.head.i == 4 and brk.dep_ == "dep" and not brk.is_sent_start


def test_reader_names_file_and_line_of_bad_input(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.conllu", "1\tA\ta\tX\tX\t_\tnone\troot\t_\t_\n")
    with pytest.raises(ConlluError, match=r"bad.conllu:1: head 'none'"):
        list(read_conllu(bad, spacy.blank("en").vocab))
    short = _write(tmp_path / "short.conllu", "1\tA\ta\n")
    with pytest.raises(ConlluError, match=r"short.conllu:1: expected 10"):
        list(read_conllu(short, spacy.blank("en").vocab))


def test_gum_test_split_is_refused() -> None:
    with pytest.raises(Exception, match="held out"):
        gum_files("test")


@pytest.mark.slow
def test_gum_dev_through_the_reader(nlp: spacy.language.Language) -> None:
    if not (settings.shared_data_dir() / "ud" / "en" / "gum" / "files.dev").exists():
        pytest.skip("GUM is not in ../shared/data")
    from kit.training.syntax import syntax_scores

    files = gum_files("dev")
    assert len(files) >= 10
    for path in files:
        for doc in read_conllu(path, nlp.vocab, sentences_per_doc=0):
            assert doc.has_annotation("DEP") and doc.has_annotation("LEMMA")
            assert sum(1 for t in doc if t.dep_ == "ROOT") == len(list(doc.sents))
    scores = syntax_scores(nlp)
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert scores["dep_las"] == pytest.approx(meta["performance"]["gum_dev"]["dep_las"], abs=0.002)
