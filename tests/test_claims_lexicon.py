"""The claims lexicon is checked data: a misspelt key fails loudly, a language without one gets no claims."""

from __future__ import annotations

import pytest
import spacy

import kit.nlp.claims  # noqa: F401  (registers the kit_claims factory)
from kit.nlp.claims import extract_claims
from kit.nlp.claims.lang import rules_for
from kit.nlp.claims.lexicon import ClaimsSpec, find_lexicon
from kit.resources.spec import ResourceError, check, resource_path


def test_misspelt_key_names_file_and_key() -> None:
    with pytest.raises(ResourceError, match="unknown key 'hedgez'"):
        check({"verbs": {}, "quotes": [], "hedgez": ["offenbar"]}, ClaimsSpec, source="claims.yaml")


def test_wrong_type_names_key() -> None:
    with pytest.raises(ResourceError, match="key 'nested_quotes'"):
        check({"verbs": {}, "quotes": [], "nested_quotes": "yes"}, ClaimsSpec, source="claims.yaml")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_shipped_lexicons_load_and_have_rules(lang: str) -> None:
    lex = find_lexicon(lang)
    assert lex is not None and lex.verb_status and lex.quotes
    assert rules_for(lang) is not None


def test_language_without_lexicon_gets_no_claims() -> None:
    assert not resource_path("claims", "fr").exists()
    assert find_lexicon("fr") is None
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_claims", config={"model": None})
    doc = nlp("Le ministre a déclaré que la situation est grave. He said that it was serious.")
    assert doc._.claims == []
    assert extract_claims(doc, lang="fr") == []
    # the same English sentence in an English document does give a claim: the rules were not applied
    en = spacy.blank("en")
    en.add_pipe("sentencizer")
    assert extract_claims(en("He said that it was serious."), lang="en", model=None)
