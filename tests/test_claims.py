"""Attribution rules on the sample article and on small German and English sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import kit.nlp.claims  # noqa: F401  (registers the kit_claims factory)
from kit.nlp.claims import extract_claims, resolve_source
from kit.nlp.types import Claim

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "articles" / "000_091a1b5a2f54d084.txt"


def _nlp(lang: str) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_claims")
    return nlp


@pytest.fixture(scope="module")
def de() -> Language:
    return _nlp("de")


@pytest.fixture(scope="module")
def en() -> Language:
    return _nlp("en")


def _text(doc: Doc, spans: list[tuple[int, int]]) -> str:
    return " ... ".join(doc.text[a:b] for a, b in spans)


def _find(doc: Doc, cue: str) -> Claim:
    hits: list[Claim] = [
        c
        for c in doc._.claims
        if cue in [doc.text[a:b] for a, b in c.cue_spans] or cue == _text(doc, c.cue_spans)
    ]
    assert hits, f"no claim with cue {cue!r}: {[_text(doc, c.cue_spans) for c in doc._.claims]}"
    return hits[0]


@pytest.fixture(scope="module")
def sample(de: Language) -> Doc:
    return de(SAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("cue", "source", "kinds", "status", "content_start"),
    [
        (
            "berichtete",
            'das renommierte "Wall Street Journal"',
            {"indirect", "reported"},
            "hedged",
            "Elon Musk, der",
        ),
        ("angeblich", "", {"reported"}, "alleged", "Die intensiven Gespräche"),
        ("soll", "", {"reported"}, "alleged", None),
        ("habe", 'Das "Wall Street Journal"', {"indirect"}, "asserted", "Zudem habe Musk"),
        ("zurückgewiesen", "Musk", {"indirect"}, "denied", None),
        (
            "angekündigt",
            "der republikanische Hoffnungsträger Trump",
            {"indirect"},
            "asserted",
            "Musk im Falle",
        ),
        ("hebt hervor", 'Das "Wall Street Journal"', {"indirect"}, "asserted", "dass diese Kontakte"),
    ],
)
def test_sample_claims(
    sample: Doc, cue: str, source: str, kinds: set[str], status: str, content_start: str | None
) -> None:
    claim = _find(sample, cue)
    assert _text(sample, claim.source_spans) == source
    assert claim.kind in kinds
    assert claim.status == status
    if content_start:
        assert _text(sample, claim.content_spans).startswith(content_start)


def test_sample_cue_details(sample: Doc) -> None:
    wsj = _find(sample, "berichtete")
    assert "unter Berufung auf" in _text(sample, wsj.cue_spans)
    soll = _find(sample, "soll")
    assert [sample.text[a:b] for a, b in soll.cue_spans] == ["soll", "haben"]
    assert _text(sample, _find(sample, "angekündigt").cue_spans) == "hat ... angekündigt"


def test_german_quotes_and_according_to(de: Language) -> None:
    doc = de(
        "„Wir werden die Steuern nicht erhöhen“, sagte der Minister am Montag. Laut der Polizei gab es drei Verletzte."
    )
    direct = _find(doc, "sagte")
    assert direct.kind == "direct"
    assert _text(doc, direct.content_spans) == "„Wir werden die Steuern nicht erhöhen“"
    assert _text(doc, direct.source_spans) == "der Minister"
    laut = _find(doc, "Laut")
    assert laut.kind == "according_to"
    assert _text(doc, laut.source_spans) == "der Polizei"
    assert _text(doc, laut.content_spans) == "gab es drei Verletzte"


def test_german_guillemets_and_zufolge(de: Language) -> None:
    doc = de(
        "Die Ministerin erklärte: »Das Gesetz kommt noch in diesem Jahr.« Dem Bericht zufolge fehlen Milliarden."
    )
    direct = _find(doc, "erklärte")
    assert direct.kind == "direct"
    assert _text(doc, direct.content_spans) == "»Das Gesetz kommt noch in diesem Jahr.«"
    assert _text(doc, direct.source_spans) == "Die Ministerin"
    zufolge = _find(doc, "zufolge")
    assert _text(doc, zufolge.source_spans) == "Dem Bericht"
    assert _text(doc, zufolge.content_spans) == "fehlen Milliarden"


def test_german_wie_mitteilte_and_particle(de: Language) -> None:
    doc = de(
        "Wie die Polizei mitteilte, wurde niemand verletzt. Der Konzern teilte am Montag mit, dass er 500 Stellen streicht."
    )
    wie = _find(doc, "mitteilte")
    assert _text(doc, wie.cue_spans) == "Wie ... mitteilte"
    assert _text(doc, wie.source_spans) == "die Polizei"
    assert _text(doc, wie.content_spans) == "wurde niemand verletzt"
    teilte = _find(doc, "teilte")
    assert [doc.text[a:b] for a, b in teilte.cue_spans] == ["teilte", "mit"]
    assert _text(doc, teilte.source_spans) == "Der Konzern"
    assert _text(doc, teilte.content_spans) == "dass er 500 Stellen streicht"


def test_english_said_that_and_according_to(en: Language) -> None:
    doc = en("Smith said that the plan would fail. According to Reuters, the talks collapsed on Monday.")
    said = _find(doc, "said")
    assert (_text(doc, said.source_spans), said.kind, said.status) == ("Smith", "indirect", "asserted")
    assert _text(doc, said.content_spans) == "that the plan would fail"
    acc = _find(doc, "According to")
    assert (_text(doc, acc.source_spans), acc.kind) == ("Reuters", "according_to")
    assert _text(doc, acc.content_spans) == "the talks collapsed on Monday"


def test_english_reportedly_and_denied(en: Language) -> None:
    doc = en("He reportedly met the minister twice. The company denied that it had paid bribes.")
    rep = _find(doc, "reportedly")
    assert (rep.kind, rep.status, rep.source_spans) == ("reported", "alleged", [])
    denied = _find(doc, "denied")
    assert (_text(doc, denied.source_spans), denied.status) == ("The company", "denied")


def test_english_quote_before_cue_spanning_sentences(en: Language) -> None:
    doc = en('"We will win. Nobody can stop us," she said. "It is over," said Jones.')
    she = _find(doc, "said")
    assert she.kind == "direct"
    assert _text(doc, she.content_spans) == '"We will win. Nobody can stop us,"'
    assert _text(doc, she.source_spans) == "she"
    jones = [c for c in doc._.claims if _text(doc, c.source_spans) == "Jones"]
    assert jones and _text(doc, jones[0].content_spans) == '"It is over,"'


def test_english_nested_quotes(en: Language) -> None:
    doc = en("“He told me ‘never again’ and left the room,” the aide said.")
    claim = _find(doc, "said")
    assert claim.kind == "direct"
    assert _text(doc, claim.content_spans) == "“He told me ‘never again’ and left the room,”"
    assert _text(doc, claim.source_spans) == "the aide"


def test_resolve_source_pronoun_and_description(de: Language) -> None:
    doc = de.make_doc("Der Konzern Siemens meldete Gewinne. Das Unternehmen erklärte, die Lage sei gut.")
    for pipe_name, proc in de.pipeline:
        doc = proc(doc)
    doc.ents = [Span(doc, 2, 3, label="ORG")]
    doc = de.get_pipe("kit_claims")(doc)
    claim = _find(doc, "erklärte")
    assert _text(doc, claim.source_spans) == "Das Unternehmen"
    span = resolve_source(doc, claim)
    assert span is not None and doc.text[span[0] : span[1]] == "Siemens"
    own = _find(doc, "meldete")
    span = resolve_source(doc, own)
    assert span is not None and doc.text[span[0] : span[1]] == "Siemens"


def test_pure_function_without_component() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert extract_claims(nlp(""), lang="en") == []
    claims = extract_claims(nlp("The senator told reporters that taxes would rise."), lang="en")
    assert len(claims) == 1
    assert claims[0].content_spans and claims[0].source_spans


def test_german_nested_quote_demnach_and_nach_angaben(de: Language) -> None:
    doc = de(
        "Der Minister sagte, die Lage sei „sehr ernst“. Demnach fehlen Milliarden. Nach ersten Angaben der Polizei gab es drei Verletzte."
    )
    said = [c for c in doc._.claims if _text(doc, c.cue_spans) == "sagte"]
    assert {_text(doc, c.content_spans) for c in said} == {"die Lage sei „sehr ernst“", "„sehr ernst“"}
    assert all(_text(doc, c.source_spans) == "Der Minister" for c in said)
    demnach = _find(doc, "Demnach")
    assert (_text(doc, demnach.source_spans), _text(doc, demnach.content_spans)) == (
        "Demnach",
        "fehlen Milliarden",
    )
    nach = _find(doc, "Nach")
    assert _text(doc, nach.source_spans) == "ersten Angaben der Polizei"


def test_english_cue_particles_and_passive(en: Language) -> None:
    doc = en("The senator called for a new inquiry. The story was first reported by The Washington Post.")
    called = _find(doc, "called for")
    assert _text(doc, called.source_spans) == "The senator"
    assert _text(doc, called.content_spans) == "a new inquiry"
    passive = _find(doc, "was first reported by")
    assert _text(doc, passive.source_spans) == "The Washington Post"
    assert _text(doc, passive.content_spans) == "The story"


def test_lexicons_loaded_without_polnear_counts() -> None:
    from kit.nlp.claims.lexicon import LEARNED_FILE, load_lexicon
    from kit.settings import RESOURCES_DIR

    en = load_lexicon("en")
    assert "argue" in en.verb_status and "for" in en.cue_next
    assert "the" not in en.verb_status  # stop words never become cues
    # PolNeAR is evaluation-only: English has no lists learned from it
    assert not (RESOURCES_DIR / "en" / LEARNED_FILE).exists()
    assert (RESOURCES_DIR / "de" / LEARNED_FILE).exists()


def test_english_appositions_party_tags_and_relative_sources(en: Language) -> None:
    doc = en(
        "Phil Smith, a spokesman for the United Mine Workers of America, said the union expected more work. "
        "Sen. David Perdue (R-Ga.) said he did not believe it. "
        "\u201cThis is a disgusting day,\u201d said Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus. "
        "The plan was backed by local Democrats, who have argued that it helps."
    )
    smith = _find(doc, "said")
    assert _text(doc, smith.source_spans) == "Phil Smith, a spokesman for the United Mine Workers of America,"
    assert _text(doc, smith.content_spans) == "the union expected more work"
    perdue = [c for c in doc._.claims if "Perdue" in _text(doc, c.source_spans)]
    assert perdue and _text(doc, perdue[0].source_spans) == "Sen. David Perdue (R-Ga.)"
    butterfield = [c for c in doc._.claims if "Butterfield" in _text(doc, c.source_spans)]
    assert _text(doc, butterfield[0].source_spans) == (
        "Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus"
    )
    argued = _find(doc, "have argued")
    assert _text(doc, argued.source_spans) == "who"


def test_english_cue_keeps_time_and_interview_adjuncts(en: Language) -> None:
    doc = en("The governor said in a phone interview that the budget was balanced.")
    claim = _find(doc, "said in a phone interview")
    assert _text(doc, claim.source_spans) == "The governor"
    assert _text(doc, claim.content_spans) == "that the budget was balanced"


def test_german_apposition_time_vorfeld_and_heisst_es(de: Language) -> None:
    doc = de(
        "Stephen Singer, ein Klimaexperte vom WWF, erklärte, der Bericht sei grundlegend. "
        "Am heutigen Montag äußerte sich Vatikansprecher Navarro-Valls, das Gespräch sei freundlich gewesen. "
        "Die Gesetze seien ausreichend, heißt es in dem Schreiben der Partei."
    )
    singer = _find(doc, "erklärte")
    assert _text(doc, singer.source_spans) == "Stephen Singer, ein Klimaexperte vom WWF"
    vatican = _find(doc, "äußerte")
    assert _text(doc, vatican.source_spans) == "Vatikansprecher Navarro-Valls"
    heisst = _find(doc, "heißt")
    assert _text(doc, heisst.source_spans) == "dem Schreiben der Partei"


def test_german_konjunktiv_run_is_one_claim_with_full_stop(de: Language) -> None:
    doc = de(
        "Der Leiter des Programms, Klaus Stöhr, warnte vor einer Pandemie. "
        "Die Gefahr sei real. Aktuell sei sie noch nicht akut."
    )
    runs = [c for c in doc._.claims if "Gefahr sei real" in _text(doc, c.content_spans)]
    assert len(runs) == 1
    assert _text(doc, runs[0].content_spans) == "Die Gefahr sei real. ... Aktuell sei sie noch nicht akut."
    assert "Klaus Stöhr" in _text(doc, runs[0].source_spans)


def test_german_nach_compound_angaben(de: Language) -> None:
    doc = de("Nach Polizeiangaben verlor der Fahrer die Kontrolle über sein Fahrzeug.")
    claim = _find(doc, "Nach")
    assert _text(doc, claim.source_spans) == "Polizeiangaben"


def test_german_passive_cue_speaker_is_the_agent(de: Language) -> None:
    doc = de(
        "Die Stadtverwaltung wurde vom Mieterbund aufgefordert, die Pläne offenzulegen. "
        "Dem Trainer wurde vorgeworfen, die Spieler überfordert zu haben."
    )
    assert _text(doc, _find(doc, "aufgefordert").source_spans) == "Mieterbund"
    assert _find(doc, "wurde vorgeworfen").source_spans == []  # the addressee is no speaker


def test_german_event_readings_are_no_claims(de: Language) -> None:
    doc = de(
        "Ein Gentest bestätigte die Herkunft des Fundes. "
        "Die Stadtwerke bestätigten, dass die Leitung repariert sei. "
        "Der Fahrer wurde zu zwei Jahren Haft verurteilt. "
        "Die Ergebnisse werden im Herbst erwartet. "
        "Die Anwohner wurden aufgefordert, die Fenster geschlossen zu halten. "
        "Die Sängerin sollte am Abend in Köln auftreten."
    )
    cues = [_text(doc, c.cue_spans) for c in doc._.claims]
    assert not any("bestätigte" == c or "verurteilt" in c or "erwartet" in c or "sollte" in c for c in cues)
    assert _text(doc, _find(doc, "bestätigten").source_spans) == "Die Stadtwerke"
    assert _find(doc, "wurden aufgefordert").source_spans == []  # with a clause it stays, without speaker


def test_german_nach_eigenen_angaben(de: Language) -> None:
    doc = de("Der Verein hat nach eigenen Angaben rund 300 neue Mitglieder gewonnen.")
    claim = _find(doc, "nach")
    assert claim.kind == "according_to"
    assert _text(doc, claim.source_spans) == "eigenen Angaben"


def test_german_relative_clause_and_subordinate_sources(de: Language) -> None:
    doc = de(
        "Der Bürgermeister, der den Neubau als „überfällig“ bezeichnete, eröffnete die Sitzung. "
        "Während die Ministerin ankündigte, die Mittel zu erhöhen, blieb die Opposition skeptisch. "
        "Wie der Sprecher der Feuerwehr, Jan Brandt, in Kiel mitteilte, ist der Brand gelöscht."
    )
    assert _text(doc, _find(doc, "bezeichnete").source_spans) == "Der Bürgermeister"
    assert _text(doc, _find(doc, "ankündigte").source_spans) == "die Ministerin"
    assert _text(doc, _find(doc, "mitteilte").source_spans) == "der Sprecher der Feuerwehr, Jan Brandt"


def test_german_object_vorfeld_pronoun_subject_and_no_clause_apposition(de: Language) -> None:
    doc = de(
        "Die Entscheidung bezeichnete er als falsch. "
        "In einem Brief schrieb der Verleger, er werde die Zeitung verkaufen. "
        "Auch kritisierte sie, dass die Kosten gestiegen seien."
    )
    assert _text(doc, _find(doc, "bezeichnete").source_spans) == "er"
    assert _text(doc, _find(doc, "schrieb").source_spans) == "der Verleger"
    assert _text(doc, _find(doc, "kritisierte").source_spans) == "sie"


def test_german_coordinated_cue_shares_the_subject(de: Language) -> None:
    doc = de(
        "Die Gewerkschaft begrüßte den Kompromiss und warnte vor weiteren Kürzungen. "
        "Die Polizei bestätigte den Einsatz, teilte jedoch mit, es habe keine Verletzten gegeben."
    )
    assert _text(doc, _find(doc, "warnte").source_spans) == "Die Gewerkschaft"
    assert _text(doc, _find(doc, "teilte").source_spans) == "Die Polizei"


def test_german_source_boundaries(de: Language) -> None:
    doc = de(
        "Beim Aufprall würde nach Auskunft der Behörde der überwiegende Teil verglühen. "
        "Das Bundesamt für Statistik (Destatis) meldete, die Preise seien gestiegen."
    )
    assert _text(doc, _find(doc, "nach").source_spans) == "Auskunft der Behörde"
    assert _text(doc, _find(doc, "meldete").source_spans) == "Das Bundesamt für Statistik (Destatis)"


def test_german_quoted_title_is_no_continuation(de: Language) -> None:
    doc = de(
        "Der Autor sagte, das Buch sei fertig. "
        "Es erscheint im Herbst unter dem Titel „Die lange Reise nach Norden“ bei einem kleinen Verlag."
    )
    assert not [c for c in doc._.claims if "Reise" in _text(doc, c.content_spans) and not c.cue_spans]


def test_english_noun_homographs_are_no_cues(en: Language) -> None:
    doc = en(
        "Trump's late-night tweets angered voters in swing states. "
        "The news site Bloomberg reports that the deal collapsed. He also supports the plan."
    )
    cues = {_text(doc, c.cue_spans) for c in doc._.claims}
    assert not any("tweets" in cue or "states" in cue for cue in cues)
    assert _text(doc, _find(doc, "reports").source_spans) == "The news site Bloomberg"
    assert _text(doc, _find(doc, "also supports").source_spans) == "He"


def test_english_speaker_label_and_attribution_dash(en: Language) -> None:
    doc = en(
        "WALLACE: Let us start with the news. The debate is tomorrow.\n\n"
        "“He represents our greatest shame.” ― Sonya Herridge\n\n"
        "Poll: Wealthy Voters Abandon the Party."
    )
    label = _find(doc, ":")
    assert _text(doc, label.source_spans) == "WALLACE"
    assert _text(doc, label.content_spans) == "Let us start with the news. The debate is tomorrow"
    dash = _find(doc, "―")
    assert _text(doc, dash.source_spans) == "Sonya Herridge"
    assert _text(doc, dash.content_spans) == "“He represents our greatest shame.”"
    poll = [c for c in doc._.claims if _text(doc, c.source_spans) == "Poll"]
    assert poll and _text(doc, poll[0].content_spans) == "Wealthy Voters Abandon the Party"


def test_english_participle_shares_subject_and_governed_preposition(en: Language) -> None:
    doc = en(
        "The senator criticized the bill on Monday, saying it would raise taxes. "
        "The mayor accused him of lying about the budget."
    )
    saying = _find(doc, "saying")
    assert _text(doc, saying.source_spans) == "The senator"
    assert _text(doc, saying.content_spans) == "it would raise taxes"
    accused = _find(doc, "accused him of")
    assert _text(doc, accused.source_spans) == "The mayor"


def test_english_evidence_verb_and_title_abbreviation(en: Language) -> None:
    doc = en("A new poll shows that the race is tied. Retired Lt. Gen. Michael Flynn said the plan was weak.")
    shows = _find(doc, "shows")
    assert _text(doc, shows.source_spans) == "A new poll"
    assert _text(doc, shows.content_spans) == "that the race is tied"
    assert "Lt. Gen. Michael Flynn" in _text(doc, _find(doc, "said").source_spans)


def test_english_possessives_compounds_and_bylines_are_no_cues(en: Language) -> None:
    doc = en(
        "Trump's comments came after the so-called deal. Editor's note: the piece was updated. "
        "Additional reporting by Jane Roe. He did not respond to requests for comment."
    )
    cues = {_text(doc, c.cue_spans) for c in doc._.claims}
    assert not any(cue.endswith(("comments", "called", "note:", "reporting", "requests for")) for cue in cues)


def test_english_stance_adjectives_headlines_and_bare_according_to(en: Language) -> None:
    doc = en(
        "Protesters were frustrated that the city released only some of the footage. "
        "He made clear that he would run.\n\n"
        "Trump Could Address Clean Energy, Lindsey Graham Says.\n\n"
        "According to exit polls, Romney had a lead among the group."
    )
    frustrated = _find(doc, "were frustrated")
    assert _text(doc, frustrated.source_spans) == "Protesters"
    assert _text(doc, _find(doc, "made clear").source_spans) == "He"
    says = _find(doc, "Says")
    assert _text(doc, says.source_spans) == "Lindsey Graham"
    assert _text(doc, says.content_spans) == "Trump Could Address Clean Energy"
    assert _text(doc, _find(doc, "According to").source_spans) == "exit polls"


def test_english_subjects_of_coordinated_and_catenative_cues(en: Language) -> None:
    doc = en(
        "The Republican nominee outlined his plan and vowed to punish leakers. "
        "But many Democrats say the lead is fragile. "
        "Hillary Clinton plans to call on young people to serve. "
        "The state’s campaign chairman, Phil Lovas, said he had not seen it. "
        "King told a reporter that he liked it."
    )
    assert _text(doc, _find(doc, "vowed").source_spans) == "The Republican nominee"
    assert _text(doc, _find(doc, "say").source_spans) == "many Democrats"
    assert _text(doc, _find(doc, "plans to call on").source_spans) == "Hillary Clinton"
    assert _text(doc, _find(doc, "said").source_spans) == "The state’s campaign chairman, Phil Lovas,"
    told = _find(doc, "told")
    assert _text(doc, told.content_spans) == "that he liked it"


def test_english_split_quote_is_one_claim_and_titles_are_no_quotes(en: Language) -> None:
    doc = en("“My hope,” he said, “is that they will come.” Pence spoke on “Face the Nation,” a show.")
    said = _find(doc, "said")
    assert _text(doc, said.content_spans) == "“My hope,” ... “is that they will come.”"
    assert len(doc._.claims) == 1


def test_english_passive_without_agent_names_no_speaker(en: Language) -> None:
    doc = en("Mr. Quiros was accused of using the money for himself. The plan was praised by the mayor.")
    assert _find(doc, "was accused of").source_spans == []
    assert _text(doc, _find(doc, "was praised by").source_spans) == "the mayor"
    doc = en("Wells Fargo just this month announced it would end the incentives.")
    assert _text(doc, _find(doc, "announced").source_spans) == "Wells Fargo"


def test_english_coordinated_cue_shares_the_sentence_subject(en: Language) -> None:
    doc = en("A reporter for USA Today spotted Stein and her aide and reported her presence on Twitter.")
    assert _text(doc, _find(doc, "reported").source_spans) == "A reporter for USA Today"
    doc = en("On Thursday, Trump spoke to a gathering of industry leaders, promising to cut regulations.")
    assert _text(doc, _find(doc, "promising").source_spans) == "Trump"


def test_english_noun_cue_after_a_possessive_speaker(en: Language) -> None:
    doc = en("Politifact checked Donald Trump’s claim that there were thousands of shootings.")
    claim = _find(doc, "claim")
    assert _text(doc, claim.source_spans) == "Donald Trump’s"
    assert _text(doc, claim.content_spans) == "that there were thousands of shootings"
