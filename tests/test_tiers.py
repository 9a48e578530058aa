"""Licence tiers: one switch (CLI, API, KIT_TIER) that decides the models and names every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kit import settings
from kit.cli import app
from kit.errors import PipelineError
from kit.nlp.registry import PipelineSpec, load_pipeline, resolve_spec, spec_identity


def test_tier_comes_from_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIT_TIER", raising=False)
    assert settings.resolve_tier() == "default"
    monkeypatch.setenv("KIT_TIER", "Research")
    assert settings.resolve_tier() == "research"
    assert settings.resolve_tier("default") == "default"
    monkeypatch.setenv("KIT_TIER", "commercial")
    with pytest.raises(PipelineError, match="KIT_TIER 'commercial'"):
        settings.resolve_tier()
    with pytest.raises(PipelineError, match="tier 'x'"):
        settings.resolve_tier("x")


def test_default_tier_runs_no_non_commercial_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIT_CLAIMS_MODEL_DE", raising=False)
    assert settings.tier_claims_model("de", "default") is None
    assert settings.tier_claims_model("de", "research") == settings.claims_model_path("de")
    for lang in settings.DEFAULT_PIPELINES:
        meta = settings.MODELS_DIR / settings.DEFAULT_PIPELINES[lang] / "meta.json"
        if meta.exists():
            assert "NC" not in json.loads(meta.read_text(encoding="utf-8"))["license"]
    # an explicit model choice is the user's, in either tier
    monkeypatch.setenv("KIT_CLAIMS_MODEL_DE", "/some/model")
    assert settings.tier_claims_model("de", "default") == Path("/some/model")


def test_research_rows_are_named_and_versioned_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIT_CLAIMS_MODEL_DE", raising=False)
    spec_identity.cache_clear()
    default = spec_identity(PipelineSpec("de", "blank"))
    research = spec_identity(PipelineSpec("de", "blank", "research"))
    assert default[0] == "de_blank" and research[0] == "de_blank-research"
    assert "-research+" in research[1] and default[1] != research[1]
    spec = resolve_spec("de", {"de": "blank"}, "research")
    assert spec.tier == "research" and spec.name == "blank"
    assert resolve_spec("en", None, "research").name == str(
        settings.pipeline_dir("en", "research") or "blank"
    )


def test_claims_component_follows_the_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIT_CLAIMS_MODEL_DE", raising=False)
    default = load_pipeline(PipelineSpec("de", "blank"))
    assert default.get_pipe("kit_claims").model is None  # type: ignore[attr-defined]
    if settings.claims_model_path("de") is not None:
        research = load_pipeline(PipelineSpec("de", "blank", "research"))
        assert research.get_pipe("kit_claims").model is not None  # type: ignore[attr-defined]


def test_cli_names_the_tier_and_rejects_an_unknown_one(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["models", "--tier", "research"])
    assert shown.exit_code == 0, shown.output
    assert "tier: research" in shown.output and "-research" in shown.output
    shown = runner.invoke(app, ["models"], env={"KIT_TIER": ""})
    assert shown.exit_code == 0 and "tier: default" in shown.output and "claims rules alone" in shown.output
    bad = runner.invoke(app, ["models", "--tier", "nc"])
    assert bad.exit_code == 2 and "unknown tier 'nc'" in bad.output
    article = tmp_path / "a.txt"
    article.write_text("Berlin ist groß.", encoding="utf-8")
    bad = runner.invoke(app, ["build", str(article), "--out", str(tmp_path / "t"), "--tier", "nc", "-q"])
    assert bad.exit_code == 2 and "unknown tier 'nc'" in bad.output


def test_build_writes_the_tier_into_the_manifest_and_every_row(tmp_path: Path) -> None:
    import kit

    article = tmp_path / "a.json"
    article.write_text(
        json.dumps(
            {"id": "a1", "language": "de", "text": "Angela Merkel sagte in Berlin, die Lage sei ernst."}
        ),
        encoding="utf-8",
    )
    result = kit.build(
        [article], out=tmp_path / "t", pipelines={"de": "blank"}, tier="research", progress=False
    )
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["pipelines"]["de"]["tier"] == "research"
    assert manifest["pipelines"]["de"]["name"] == "de_blank-research"
    rows = kit.load(tmp_path / "t")["sentences"]
    assert set(rows["pipeline"]) == {"de_blank-research"}
    assert all("-research+" in version for version in rows["pipeline_version"])
