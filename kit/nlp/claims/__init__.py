"""Attribution extraction: who says what, and how sure (``doc._.claims``).

Rule-based on purpose: the kit's shipped pipelines have no parser or tagger, so the rules use only
tokens, lemmas, quotation marks, sentence boundaries and (when present) named entities, plus the cue
lexicon in ``kit/resources/<lang>/claims.yaml``.  POS tags are used when a pipeline provides them.

A claim is built around a cue:

- a verb of saying/reporting/denying (``sagte``, ``teilte ... mit``, ``hat angekündigt``, ``said``),
  with its source and its content -> ``direct`` or ``indirect`` (``frames``, the language's grammar
  in ``lang/de.py`` / ``lang/en.py``);
- a preposition (``laut X``, ``X zufolge``, ``nach Angaben X``, ``according to X``) -> ``according_to``;
- hearsay without a source (``soll ... haben``, ``angeblich``, ``reportedly``) -> ``reported``;
- Konjunktiv I sentences and cue-less quotes continue the last named source -> ``indirect``/``direct``;
- epistemic hedges (``offenbar``, ``apparently``) mark the status of a claim, or stand alone as an
  ``unattributed`` hedged claim.

Layout: ``lexicon`` (checked YAML), ``context`` (sentences, quotations), ``phrases`` (noun phrases,
clauses), ``cues``, ``frames`` (source and content of a verb cue), ``according`` (prepositional and
hearsay claims), ``steps`` (the order of the rules, continuations, hedges), ``model`` (the optional
German span model), ``sources`` (entity of a source), ``component`` (the spaCy factory), ``lang``.
"""

from __future__ import annotations

from kit.nlp.claims.component import ClaimsComponent, extract_claims, make_claims
from kit.nlp.claims.model import load_claims_model
from kit.nlp.claims.sources import resolve_source

__all__ = ["ClaimsComponent", "extract_claims", "load_claims_model", "make_claims", "resolve_source"]
