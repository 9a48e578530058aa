"""Silver NER data (WikiANN, WikiNEuRal), HIPE-2022 gold, the mix with gold, and licence tiers of training."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.training.corpora import GoldDoc, SilverFilter, corpus_specs, read_hipe, read_indexed
from kit.training.ner import LICENCE_ORDER, _sample, model_licence, training_corpora

WIKIANN = """0\tals\tO
1\tTeil\tO
2\tder\tO
3\tSavoyer\tB-LOC
4\tVoralpen\tI-LOC
5\tim\tO
6\tOsten\tO
7\t.\tO

0\tWEITERLEITUNG\tO
1\tAntonina\tB-PER
2\tKriwoschapka\tI-PER

0\tLou\tB-PER
1\tSalomé\tI-PER
2\tund\tO
3\tRainer\tB-PER
4\tRilke\tI-PER
5\t.\tO

0\tFriedrichsaue]]\tO
1\tliegt\tO
2\tin\tO
3\tZechin\tB-LOC
4\theute\tO
5\t.\tO
"""

HIPE_2022 = """TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC
# hipe2022:document_id = dev_de_1
# hipe2022:date = 1895-07-06
Dr\tO\t_\t_\t_\t_\t_\t_\t_\t_
.\tO\t_\t_\t_\t_\t_\t_\t_\t_
H\tB-PER\t_\t_\t_\t_\t_\tNIL\t_\t_
.\tI-PER\t_\t_\t_\t_\t_\tNIL\t_\t_
Klee\tI-PER\t_\t_\t_\t_\t_\tNIL\t_\t_
.\tO\t_\t_\t_\t_\t_\t_\t_\tEndOfSentence
Berlin\tB-LOC\t_\t_\t_\t_\t_\tQ64\t_\t_
,\tO\t_\t_\t_\t_\t_\t_\t_\t_
die\tO\t_\t_\t_\t_\t_\t_\t_\t_
Neue\tB-HumanProd\t_\t_\t_\t_\t_\t_\t_\t_
Presse\tI-HumanProd\t_\t_\t_\t_\t_\t_\t_\tEndOfSentence
# hipe2022:document_id = dev_de_2
Wien\tB-LOC\t_\t_\t_\t_\t_\t_\t_\t_
"""


def test_indexed_reader_takes_the_token_column(tmp_path: Path) -> None:
    path = tmp_path / "train.conllu"
    path.write_text(WIKIANN, encoding="utf-8")
    docs = list(read_indexed(path))
    assert len(docs) == 4
    assert docs[0].text == "als Teil der Savoyer Voralpen im Osten ."
    assert [docs[0].text[s:e] for s, e, _ in docs[0].spans] == ["Savoyer Voralpen"]
    assert docs[0].spans[0][2] == "LOC"


def test_silver_filter_drops_redirects_fragments_markup_and_name_lists(tmp_path: Path) -> None:
    path = tmp_path / "train.conllu"
    path.write_text(WIKIANN, encoding="utf-8")
    keep = SilverFilter(
        drop_tokens=frozenset({"WEITERLEITUNG"}), drop_substrings=("]]",), min_tokens=5, max_name_share=0.5
    )
    kept = [d.text for d in read_indexed(path) if keep.keep(d)]
    # the redirect line, the wiki markup and the line that is mostly names go; a sentence stays
    assert kept == ["als Teil der Savoyer Voralpen im Osten ."]
    assert SilverFilter().keep(GoldDoc("x", "Lou Salomé", [(0, 10, "PER")], ["Lou", "Salomé"]))


def test_hipe_2022_sentences_documents_and_humanprod(tmp_path: Path) -> None:
    path = tmp_path / "HIPE-2022-v2.1-newseye-dev-de.tsv"
    path.write_text(HIPE_2022, encoding="utf-8")
    docs = list(read_hipe(path, corpus="hipe2022"))
    assert [d.text for d in docs] == ["Dr . H . Klee .", "Berlin , die Neue Presse", "Wien"]
    assert [d.doc_id.split("\t")[0] for d in docs] == ["dev_de_1", "dev_de_1", "dev_de_2"]
    assert [(d.text[s:e], label) for d in docs for s, e, label in d.spans] == [
        ("H . Klee", "PER"),
        ("Berlin", "LOC"),
        ("Neue Presse", "MISC"),
        ("Wien", "LOC"),
    ]


def test_sample_keeps_a_token_budget_in_a_fixed_order() -> None:
    docs = [GoldDoc(f"s{i}\t{i}", "a b c d e", [], ["a", "b", "c", "d", "e"]) for i in range(20)]
    first = _sample(docs, 26)
    assert len(first) == 5 and sum(len(d.words or []) for d in first) <= 26
    assert [d.doc_id for d in _sample(list(reversed(docs)), 26)] == [d.doc_id for d in first]
    assert _sample(docs, 4) == []


def test_tiers_choose_corpora_and_the_licence_follows_the_data() -> None:
    for lang in ("de", "en"):
        default = {s.name for s in training_corpora(lang)}
        research = {s.name for s in training_corpora(lang, "research")}
        research_only = {s.name for s in corpus_specs(lang) if s.tier == "research"}
        assert default <= research and not default & research_only
        assert "NC" not in model_licence(lang, default), "the default tier trains on no non-commercial data"
        for spec in corpus_specs(lang):
            if "NC" in spec.model_licence and spec.use:
                assert spec.tier == "research", f"{spec.name} is non-commercial: research tier only"
    assert model_licence("de", ["germeval2014", "wikiann", "wikineural"]) == "CC BY-NC-SA 4.0"
    assert model_licence("de", ["germeval2014", "wikiann"]) == "CC BY-SA 4.0"
    assert model_licence("de", ["germeval2014"]) == "CC BY 4.0"
    assert all(s.model_licence in LICENCE_ORDER for lang in ("de", "en") for s in corpus_specs(lang))
    with pytest.raises(ValueError, match="unknown tier"):
        training_corpora("de", "commercial")
