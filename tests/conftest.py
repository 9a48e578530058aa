"""Shared fixtures: the sample article, the shared corpora (skipped when absent), built tables;
and the ``slow`` marker for tests listed in ``SLOW_TESTS``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import settings

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT / "data" / "articles"


def shared_data() -> Path:
    """``../shared/data``; tests that need it skip cleanly when it is absent."""
    path = settings.shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora not found at {path}")
    return path


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tables built once from the sample article with the shipped pipelines."""
    import kit

    out = tmp_path_factory.mktemp("sample_tables")
    kit.build([SAMPLE_DIR], out=out, progress=False)
    return out


# Tests of several seconds or minutes each, measured with ``pytest --durations`` on the project's
# 2-core machine (seconds, 2026-12-05, under load), in files whose own decorators are their
# owners' to add: marked slow here, so that ``make test-fast`` (``-m "not slow"``) leaves them
# out; CI (``make test``) runs them all. tests/test_code_quality.py checks every entry still exists.
SLOW_TESTS: dict[str, float] = {
    "tests/test_reliability.py::test_builds_killed_at_random_moments_never_corrupt_tables": 350.6,
    "tests/test_reliability.py::test_every_bad_file_gets_a_status_and_the_rest_is_built": 103.9,
    "tests/test_engines.py::test_process_pool_and_dask_match_local": 88.7,
    "tests/test_build.py::test_bad_files_fail_alone_and_exit_code_says_so": 42.5,
    "tests/test_engines.py::test_a_rerun_task_overwrites_its_parts": 17.2,
    "tests/test_training_places.py::test_build_places_writes_a_credited_filtered_list": 9.3,
    "tests/test_reliability.py::test_parsers_never_crash_on_arbitrary_text": 6.8,
    "tests/test_render.py::test_sample_article": 55.6,  # setup + call
    "tests/test_render.py::test_hostile_article_built_by_kit": 40.7,
    "tests/test_render.py::test_synthetic_pages_hold_every_figure_offline": 39.4,
    "tests/test_render.py::test_parameters_change_what_is_shown": 22.1,
    "tests/test_render.py::test_a_failing_notebook_raises_and_writes_nothing": 5.4,
    "tests/test_browser.py::test_synthetic_page_draws_offline_and_stays_inert": 43.3,  # 3 cases
    "tests/test_browser.py::test_sample_article_page_draws_offline": 34.0,  # 3 cases
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
