"""Setup files agree: environment.yml pins exactly pyproject.toml's dependencies; CI calls the README's test command."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["test"])
    env = yaml.safe_load((PROJECT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert set(pip) == wanted
    assert all("==" in dep for dep in wanted), "every dependency is pinned"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python.split("=")[1] >= project["requires-python"].lstrip(">=")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci


# --- the lock file --------------------------------------------------------------------------


def _lock() -> dict[str, str]:
    """``name -> version`` of every package in requirements.lock (names normalised as PEP 503)."""
    import re

    pins = {}
    for line in (PROJECT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if m:
            pins[_normal(m.group(1))] = m.group(2)
    return pins


def _normal(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def test_lock_pins_every_pyproject_dependency_at_its_version() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = _lock()
    for dep in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name, _, version = dep.partition("==")
        assert lock.get(_normal(name)) == version, (
            f"{dep}: requirements.lock has {lock.get(_normal(name))} (make lock)"
        )


def test_lock_is_complete_and_hashed() -> None:
    """Every entry carries hashes (pip then refuses anything unlocked), and the entries are the
    transitive closure the resolver wrote: each names what pulls it in."""
    text = (PROJECT / "requirements.lock").read_text(encoding="utf-8")
    entries = [chunk for chunk in text.split("\n") if "==" in chunk and not chunk.startswith(("#", " "))]
    assert len(entries) == len(_lock()) > 100
    assert text.count("--hash=sha256:") >= len(entries)
    assert "make lock" in text.splitlines()[1], "regenerate with `make lock`"
    assert {"lxml", "lxml-html-clean"} <= set(_lock()), "trafilatura needs lxml.html.clean"


def test_makefile_installs_from_the_lock() -> None:
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert "-r $(LOCK)" in makefile and "--no-deps -e ." in makefile
    assert "LOCK := requirements.lock" in makefile


def test_lxml_html_clean_imports() -> None:
    """trafilatura cleans HTML with lxml.html.clean, a separate package since lxml 5.2."""
    import lxml.html.clean  # noqa: F401


# --- spaCy factories as entry points --------------------------------------------------------


def test_every_kit_component_is_an_entry_point() -> None:
    from spacy.language import Language

    from kit.nlp.registry import KIT_COMPONENTS

    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    points = project["entry-points"]["spacy_factories"]
    assert set(points) == set(KIT_COMPONENTS)
    for name, target in points.items():
        module, _, attr = target.partition(":")
        factory = getattr(__import__(module, fromlist=[attr]), attr)
        assert callable(factory) and Language.has_factory(name), name


def test_package_data_names_only_what_exists() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    for pattern in project["tool"]["setuptools"]["package-data"]["kit"]:
        assert list((PROJECT / "kit").glob(pattern)), f"package-data pattern {pattern!r} matches nothing"


# --- a wheel, installed elsewhere -----------------------------------------------------------


def _run(args: list[str], cwd: Path, timeout: int = 1500) -> str:
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("KIT_PIPELINE_")}
    done = subprocess.run(
        args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} -> {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    return done.stdout


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_then_builds_and_renders(tmp_path: Path) -> None:
    """The README's promise outside a checkout: a wheel of the repo, installed into a fresh venv
    (no system site-packages) with the locked dependencies, builds the sample and renders it
    (the notebooks and models must be package data)."""
    import shutil
    import sys

    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info next to the sources
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"
        ),
    )
    wheels = tmp_path / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(source)],
        tmp_path,
    )
    (wheel,) = wheels.glob("kit-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "-r",
            str(PROJECT / "requirements.lock"),
        ],
        tmp_path,
    )
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], tmp_path)

    where = _run([python, "-c", "import kit; print(kit.__file__)"], tmp_path)
    assert where.startswith(str(venv)), where
    # spaCy finds the components through the entry points, without the kit being imported
    _run(
        [
            python,
            "-c",
            "import spacy; nlp = spacy.blank('de'); nlp.add_pipe('kit_dates'); print(nlp.pipe_names)",
        ],
        tmp_path,
    )

    tables, rendered = tmp_path / "tables", tmp_path / "rendered"
    _run(
        [str(venv / "bin" / "kit"), "build", str(PROJECT / "data" / "articles"), "--out", str(tables)],
        tmp_path,
    )
    assert (tables / "articles.parquet").is_file() and (tables / "manifest.json").is_file()
    _run([str(venv / "bin" / "kit"), "render", str(tables), "--out", str(rendered)], tmp_path)
    assert list(rendered.glob("*.html")), "kit render wrote no HTML"
