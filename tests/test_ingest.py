"""Every input format, metadata parsing, ids, and bad input per file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kit.ingest import CsvOptions, discover, read_file
from kit.ingest.language import detect_language
from kit.ingest.metadata import parse_published
from kit.ingest.records import derive_article_id

GERMAN = "Elon Musk hat offenbar seit Ende 2022 Kontakt mit dem russischen Präsidenten Wladimir Putin gehabt."
ENGLISH = "Elon Musk has reportedly been in regular contact with Russian President Vladimir Putin since late 2022."


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_sample_layout(sample_dir: Path) -> None:
    path = next(sample_dir.glob("*.txt"))
    articles, status = read_file(path)
    assert status.status == "ok" and status.n_articles == 1
    article = articles[0]
    assert article.published == dt.datetime(2024, 10, 25, tzinfo=dt.UTC)
    assert article.section == "Wirtschaft"
    assert article.title == "Elon Musk: Ein Netz aus Kontakten bis ins höchste diplomatische Parkett"
    assert article.text == path.read_text(encoding="utf-8")
    assert article.article_id == derive_article_id(article.text)


def test_english_date_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"October 25, 2024\n\nBusiness\n\nMusk and Putin\n\n{ENGLISH}\n")
    [article], _status = read_file(path)
    assert article.published == dt.datetime(2024, 10, 25, tzinfo=dt.UTC)
    assert (article.section, article.title) == ("Business", "Musk and Putin")


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: Kontakte\npublished: 2024-10-25\nsource: WSJ\nid: m1\n---\n{GERMAN}\n")
    [article], _status = read_file(path)
    assert (article.article_id, article.title, article.source) == ("m1", "Kontakte", "WSJ")
    assert article.text == GERMAN + "\n"
    assert article.published == dt.datetime(2024, 10, 25, tzinfo=dt.UTC)


def test_json_and_jsonl(tmp_path: Path) -> None:
    record = {"id": "j1", "title": "T", "text": GERMAN, "published": "2024-10-25T10:00:00+02:00", "language": "de",
              "source": "S", "url": "https://example.org/a"}
    [article], _ = read_file(write(tmp_path / "a.json", json.dumps(record)))
    assert article.published == dt.datetime(2024, 10, 25, 8, tzinfo=dt.UTC)
    assert (article.url, article.language) == ("https://example.org/a", "de")
    lines = "\n".join(json.dumps({"text": t}) for t in (GERMAN, ENGLISH))
    articles, status = read_file(write(tmp_path / "b.jsonl", lines))
    assert [a.text for a in articles] == [GERMAN, ENGLISH] and status.n_articles == 2
    listed, _ = read_file(write(tmp_path / "c.json", json.dumps([{"text": GERMAN}, {"text": ENGLISH}])))
    assert len(listed) == 2


def test_csv_with_mapping_and_without_header(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", f"headline;body;when\nT1;{GERMAN};2024-10-25\n")
    options = CsvOptions(columns={"title": "headline", "text": "body", "published": "when"})
    [article], _status = read_file(path, csv_options=options)
    assert (article.title, article.text) == ("T1", GERMAN)
    raw = write(tmp_path / "b.csv", f"Wirtschaft;'{GERMAN}'\nInland;'{ENGLISH}'\n")
    options = CsvOptions(columns={"section": "0", "text": "1"}, delimiter=";", quotechar="'", header=False)
    articles, _ = read_file(raw, csv_options=options)
    assert [a.section for a in articles] == ["Wirtschaft", "Inland"]


def test_html_main_text(tmp_path: Path) -> None:
    body = " ".join([GERMAN] * 6)
    html = (f"<html><head><title>Kontakte | Zeitung</title><meta property='og:title' content='Kontakte'>"
            f"<meta name='date' content='2024-10-25'></head><body><nav>Menü Start Impressum</nav>"
            f"<article><h1>Kontakte</h1><p>{body}</p><p>{GERMAN}</p></article><script>alert(1)</script></body></html>")
    [article], _status = read_file(write(tmp_path / "a.html", html))
    assert "Wladimir Putin" in article.text and "alert" not in article.text and "Impressum" not in article.text
    assert article.published is not None and article.published.date() == dt.date(2024, 10, 25)


@pytest.mark.parametrize(
    ("name", "content", "status", "reason"),
    [
        ("empty.txt", b"", "skipped", "empty"),
        ("blank.txt", b"   \n\n", "skipped", "no text"),
        ("binary.txt", bytes(range(256)) * 4, "failed", "binary"),
        ("bad.json", b'{"text": "abc"', "failed", "malformed JSON"),
        ("notext.json", b'{"title": "x"}', "failed", "no text"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nText", "failed", "front matter"),
        ("open.md", b"---\ntitle: x\nText without end", "failed", "never closed"),
        ("cols.csv", b"a,b\n1,2\n", "failed", "no text column"),
        ("archive.zip", b"PK\x03\x04", "skipped", "unsupported"),
    ],
)
def test_bad_input_gets_a_status(tmp_path: Path, name: str, content: bytes, status: str, reason: str) -> None:
    articles, result = read_file(write(tmp_path / name, content))
    assert articles == []
    assert result.status == status and reason in (result.reason or "")
    assert result.path.endswith(name)


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("Größe über Straße".encode("cp1252"), "cp1252"),
        ("\ufeffGröße über Straße".encode(), "utf-8"),
        ("Größe über Straße".encode("utf-16"), "utf-16"),
    ],
)
def test_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    [article], _status = read_file(write(tmp_path / "a.txt", encoded))
    assert article.text.lstrip("\ufeff") == "Größe über Straße"
    assert not article.text.startswith("\ufeff")


def test_partial_jsonl_keeps_good_records(tmp_path: Path) -> None:
    text = json.dumps({"text": GERMAN}) + "\n{broken\n" + json.dumps({"title": "no text"}) + "\n"
    articles, status = read_file(write(tmp_path / "a.jsonl", text))
    assert len(articles) == 1 and status.status == "ok"
    assert len(status.errors) == 2 and any("malformed JSON" in e for e in status.errors)


def test_impossible_date_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    [article], status = read_file(write(tmp_path / "a.json", json.dumps({"text": GERMAN, "published": "31. Februar 2024"})))
    assert article.published is None and any("not a valid date" in w for w in status.warnings)


def test_parse_published_variants() -> None:
    assert parse_published("2024-10-25") == dt.datetime(2024, 10, 25, tzinfo=dt.UTC)
    assert parse_published("25. Oktober, 2024") == dt.datetime(2024, 10, 25, tzinfo=dt.UTC)
    assert parse_published("3 March 2021") == dt.datetime(2021, 3, 3, tzinfo=dt.UTC)
    assert parse_published(None) is None


def test_discover_folders_globs_and_missing(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GERMAN)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.json", json.dumps({"text": ENGLISH}))
    write(tmp_path / ".hidden.txt", GERMAN)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = [p for p in discover([tmp_path]) if isinstance(p, Path)]
    assert sorted(p.name for p in found) == ["a.txt", "b.json"]
    globbed = [p for p in discover([str(tmp_path / "**" / "*.json")]) if isinstance(p, Path)]
    assert [p.name for p in globbed] == ["b.json"]
    [missing] = list(discover([tmp_path / "nope.txt"]))
    assert not isinstance(missing, Path) and missing.status == "failed"


def test_language_detection() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"


def test_ids_are_stable() -> None:
    assert derive_article_id(GERMAN) == derive_article_id(GERMAN) != derive_article_id(ENGLISH)


def test_a_stray_byte_leaves_the_file_utf8(tmp_path: Path) -> None:
    data = "Größe über Straße, sagte Müller.".encode() + b" \xff " + "Übel.".encode()
    [article], status = read_file(write(tmp_path / "a.txt", data))
    assert article.text == "Größe über Straße, sagte Müller. \ufffd Übel."
    assert any("1 invalid byte" in w for w in status.warnings)


def test_front_matter_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    import time

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    started = time.monotonic()
    articles, status = read_file(write(tmp_path / "bomb.md", f"---\n{bomb}---\n{GERMAN}\n"))
    assert time.monotonic() - started < 2
    assert articles == [] and status.status == "failed" and "aliases" in (status.reason or "")


def test_a_symlink_out_of_the_input_folder_is_refused_unless_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "secret.txt", GERMAN)
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.txt", GERMAN)
    (folder / "link.txt").symlink_to(outside)
    (folder / "inner.txt").symlink_to(folder / "a.txt")  # inside the folder: fine (read once)
    found = list(discover([folder]))
    [refused] = [f for f in found if not isinstance(f, Path)]
    assert refused.status == "skipped" and "outside" in (refused.reason or "") and "--follow-symlinks" in (refused.reason or "")
    assert [p.name for p in found if isinstance(p, Path)] == ["a.txt"]
    followed = [p for p in discover([folder], follow_symlinks=True) if isinstance(p, Path)]
    assert sorted(p.name for p in followed) == ["a.txt", "link.txt"]


def test_a_file_rewritten_while_read_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kit.ingest

    path = write(tmp_path / "a.txt", GERMAN * 100)
    real = kit.ingest.looks_binary

    def writer_meanwhile(data: bytes) -> bool:  # another process appends while the kit reads
        with path.open("ab") as handle:
            handle.write(b" und noch mehr")
        return real(data)

    monkeypatch.setattr(kit.ingest, "looks_binary", writer_meanwhile)
    articles, status = read_file(path)
    assert articles == [] and status.status == "failed" and "changed while" in (status.reason or "")


def test_a_sparse_2gb_file_is_found_binary_without_reading_it(tmp_path: Path) -> None:
    import resource
    import time

    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    articles, status = read_file(path, max_bytes=3 * 1024**3)
    assert time.monotonic() - started < 2
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 50
    assert articles == [] and status.status == "failed" and "binary" in (status.reason or "")


SHORT_GERMAN = [
    "25. Oktober 2024\nPolitik\nDer Rat tagt morgen.",
    "Kurz notiert\nSport\nHertha gewinnt knapp.",
    "Meldung\nDie Bahn streikt am Montag.",
    "Wetter\nMorgen wird es kalt und windig.",
    "Termin\nSitzung des Stadtrats um 18 Uhr.",
    "Nachruf\nEr wurde 87 Jahre alt.",
]


def test_short_texts_are_not_guessed() -> None:
    from kit.ingest.language import LanguageChooser
    from kit.ingest.records import Article

    chooser = LanguageChooser(default="de")
    assert [chooser.choose(Article(text=t, source_file="x")) for t in SHORT_GERMAN] == ["de"] * len(SHORT_GERMAN)
    english = LanguageChooser(default="de")
    for _ in range(3):
        english.choose(Article(text=(ENGLISH + " ") * 3, source_file="x"))
    assert english.choose(Article(text="Brief\nCouncil meets on Monday.", source_file="x")) == "en"
    declared = Article(text="Kurz.", source_file="x", language="fr")
    assert LanguageChooser().choose(declared) == "fr" and not declared.language_detected


def test_short_snippets_of_german_corpora_stay_german() -> None:
    import csv

    from conftest import shared_data

    from kit.ingest.language import LanguageChooser
    from kit.ingest.records import Article

    data = shared_data()
    csv.field_size_limit(1 << 28)
    with (data / "corpus" / "10kgnad_test.csv").open(encoding="utf-8") as handle:
        texts = [row[1] for row in csv.reader(handle, delimiter=";", quotechar="'")][:300]
    texts += [json.loads(line)["text"] for line in (data / "corpus" / "wikinews_de.jsonl").open(encoding="utf-8")]
    for words in (3, 8, 19, 40):
        chooser = LanguageChooser()
        got = [chooser.choose(Article(text=" ".join(t.split()[:words]), source_file="x")) for t in texts]
        assert got.count("de") == len(texts), (words, [g for g in got if g != "de"])


@pytest.mark.parametrize(("value", "code"), [("de", "de"), ("DE", "de"), ("de-AT", "de"), ("en_US", "en"),
                                             ("German", "de"), ("deu", "de"), ("ger", "de"), ("english", "en"),
                                             ("../x", None), ("xx", None), ("Klingonisch", None)])
def test_record_languages_are_normalised(value: str, code: str | None) -> None:
    from kit.ingest.language import normalise_language

    assert normalise_language(value) == code


def test_csv_sniffing_reads_10kgnad() -> None:
    from conftest import shared_data

    path = shared_data() / "corpus" / "10kgnad_test.csv"
    options = CsvOptions(columns={"section": "0", "text": "1"}, header=False)
    articles, status = read_file(path, csv_options=options)
    assert status.status == "ok" and status.errors == [] and len(articles) == 1028
    assert {a.section for a in articles} >= {"Wirtschaft", "Sport", "Web", "Inland"}
    assert not any(a.text.startswith("'") for a in articles)


def test_unknown_csv_fields_and_bad_positions_are_refused() -> None:
    from kit.errors import UsageError

    with pytest.raises(UsageError, match="unknown CSV field"):
        CsvOptions(columns={"txt": "body"})
    with pytest.raises(UsageError, match="0-based"):
        CsvOptions(columns={"text": "body"}, header=False)
