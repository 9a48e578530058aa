"""The linguistic resource files parse as intended (YAML 1.1 reads a bare on/off/yes/no as a boolean)
and each matches its spec: a misspelt key in any resource kind fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.resources import load_resource
from kit.resources.kinds import AWAITING, SPECS, spec_of
from kit.resources.spec import ResourceError, check, load_checked
from kit.settings import RESOURCES_DIR


def _bools_in_lists(data: Any, where: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _bools_in_lists(value, f"{where}/{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, bool):
                yield f"{where}[{index}]"
            yield from _bools_in_lists(item, f"{where}[{index}]")


@pytest.mark.parametrize(
    "path", sorted(RESOURCES_DIR.rglob("*.yaml")), ids=lambda p: str(Path(p).relative_to(RESOURCES_DIR))
)
def test_word_lists_hold_no_booleans(path: Path) -> None:
    """A word such as "on" must be quoted in a list, or it silently becomes True."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(_bools_in_lists(data)) == []


# --- every resource file against its spec (kit.resources.kinds) -----------------------------


_YAML = sorted(RESOURCES_DIR.rglob("*.yaml"))


def _kind_and_lang(path: Path) -> tuple[str, str | None]:
    relative = path.relative_to(RESOURCES_DIR)
    return path.stem, (relative.parts[0] if len(relative.parts) > 1 else None)


@pytest.mark.parametrize("path", _YAML, ids=lambda p: str(Path(p).relative_to(RESOURCES_DIR)))
def test_every_shipped_resource_matches_its_spec(path: Path) -> None:
    kind, lang = _kind_and_lang(path)
    if kind in AWAITING:
        pytest.skip(f"{kind}: no spec yet ({AWAITING[kind]})")
    assert kind in SPECS, f"{path.name}: resource kind {kind!r} has no spec in kit.resources.kinds.SPECS"
    assert load_checked(kind, lang, spec_of(kind)) is not None


def test_spec_registry_covers_exactly_the_shipped_kinds() -> None:
    shipped = {_kind_and_lang(p)[0] for p in _YAML}
    assert set(SPECS) | set(AWAITING) == shipped
    assert not set(SPECS) & set(AWAITING)


def _misspell_first_key(text: str, key: str) -> str:
    """``key:`` at the start of a line becomes ``key_typo:`` (a misspelling the YAML still parses)."""
    import re

    changed, n = re.subn(rf"(?m)^({re.escape(key)}):", r"\1_typo:", text, count=1)
    assert n == 1, key
    return changed


@pytest.mark.parametrize("lang", ["de", "en"])
def test_misspelt_key_in_entities_fails_through_load_resource(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kit.resources.spec as spec_module

    (tmp_path / lang).mkdir()
    source = (RESOURCES_DIR / lang / "entities.yaml").read_text(encoding="utf-8")
    (tmp_path / lang / "entities.yaml").write_text(
        _misspell_first_key(source, "role_stems"), encoding="utf-8"
    )
    monkeypatch.setattr(spec_module, "RESOURCES_DIR", tmp_path)
    load_resource.cache_clear()
    try:
        with pytest.raises(ResourceError, match=r"entities\.yaml.*unknown key 'role_stems_typo'"):
            load_resource("entities", lang)
    finally:
        load_resource.cache_clear()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_misspelt_key_in_dates_fails_on_load(lang: str, tmp_path: Path) -> None:
    from kit.nlp.dates import load_grammar

    (tmp_path / lang).mkdir()
    source = (RESOURCES_DIR / lang / "dates.yaml").read_text(encoding="utf-8")
    (tmp_path / lang / "dates.yaml").write_text(_misspell_first_key(source, "stop_phrases"), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"dates\.yaml.*unknown key 'stop_phrases_typo'"):
        load_grammar(lang, tmp_path)
    # inside a rule too: "news_onyl: true" would otherwise run a news convention on narratives
    rule_typo = source.replace("kind: date,", "knid: date,", 1)
    (tmp_path / lang / "dates.yaml").write_text(rule_typo, encoding="utf-8")
    with pytest.raises(ResourceError, match=r"rules'\[0\].*unknown key 'knid'"):
        load_grammar(lang, tmp_path)


@pytest.mark.parametrize(
    ("kind", "before", "after"),
    [
        # open mappings: any key is an entry, so the misspelling that fails is in a value
        ("labels", "PERSON: PER", "PERSON: PERS"),
        ("countries", "russland: RU", "russland: [RU]"),
    ],
)
def test_wrong_value_in_a_mapping_resource_fails(kind: str, before: str, after: str, tmp_path: Path) -> None:
    import yaml as _yaml

    text = (RESOURCES_DIR / f"{kind}.yaml").read_text(encoding="utf-8")
    assert before in text
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text.replace(before, after), encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{kind}\.yaml"):
        check(_yaml.safe_load(path.read_text(encoding="utf-8")), spec_of(kind), source=str(path))


def test_language_without_resources_gets_no_rules() -> None:
    """One policy (kit.resources.spec): no English fallback for a language without files."""
    assert load_resource("entities", "fr") == {}
    assert load_checked("entities", "fr", spec_of("entities")) is None
