"""The kit's exceptions, in one place, with messages written for the person running it."""

from __future__ import annotations

__all__ = [
    "BuildLockedError",
    "EvaluationDataError",
    "InputError",
    "KitError",
    "OutputError",
    "PartialRecordsError",
    "PipelineError",
    "UsageError",
]


class KitError(Exception):
    """Base class of every error the kit raises on purpose."""


class InputError(KitError):
    """An input file cannot be read as articles; the message says why (the caller adds the file)."""


class PartialRecordsError(InputError):
    """Some records of a file were unusable: the others are kept, with a warning per bad record."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} record(s) skipped: " + "; ".join(problems[:5]))
        self.problems = problems


class PipelineError(KitError):
    """A spaCy pipeline cannot be found or loaded."""


class BuildLockedError(KitError):
    """Another build is writing into the same output folder."""


class EvaluationDataError(KitError):
    """Gold data an evaluation command cannot score as given (e.g. a folder holding two
    annotation sets of the same documents)."""


class UsageError(KitError):
    """The command was given something it cannot work with (a missing input path, an unknown
    option value); nothing was written."""


class OutputError(KitError):
    """The output cannot be written (disk full, read-only, no permission); nothing was published."""
