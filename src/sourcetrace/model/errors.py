"""The sourcetrace error tree.

    SourcetraceError
     ├── BadInputError      an input could not become an Article (names the file and why)
     └── ConfigError        a settings or alias file is unusable
"""

from __future__ import annotations


class SourcetraceError(Exception):
    """Base class of every error sourcetrace raises on purpose."""


class BadInputError(SourcetraceError):
    """An input could not become an Article; str() names the file and why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


class ConfigError(SourcetraceError):
    """A settings or alias file could not be read; str() names the file and why."""
