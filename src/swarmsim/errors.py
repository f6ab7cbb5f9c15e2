"""Error types. Every user-facing message names the file, the field and what was expected.

The classes also inherit the matching built-in (``ValueError``, ``TypeError``,
``OSError``) so callers that catch built-ins keep working. The CLI turns any
:class:`SwarmsimError` into one line on standard error and exit code 2.
"""

from __future__ import annotations

DISTRIBUTION = "swarmsim-consumers"
"""The name to ``pip install``; the import package is ``swarmsim`` (PyPI's ``swarmsim`` is
an unrelated project)."""


class SwarmsimError(Exception):
    """Base class of the errors a user can cause with bad input (exit code 2)."""


class ScenarioError(SwarmsimError, ValueError):
    """A scenario or sweep file is malformed, has an unknown key, a wrong type or a bad value.

    Parameters
    ----------
    source : str
        File path (or ``"<dict>"`` / ``"--set"``) the bad input came from.
    field : str
        Dotted path of the offending field, e.g. ``firms.0.quality``; empty for the file.
    expected : str
        What was expected, including the offending value where useful.
    """

    def __init__(self, source: str, field: str, expected: str):
        self.source, self.field, self.expected = source, field, expected
        where = f"{source}: {field}: " if field else f"{source}: "
        super().__init__(where + expected)


class GraphError(SwarmsimError, ValueError):
    """A graph file is missing or unreadable, or graph arrays are inconsistent."""


class OutputError(SwarmsimError, OSError):
    """An output folder cannot be written, or holds results and ``--overwrite`` was not given."""


class MissingExtraError(SwarmsimError, ImportError):
    """A command or module needs an optional extra that is not installed (exit code 2).

    Parameters
    ----------
    what : str
        What needs it, e.g. ``"swarmsim sweep"``.
    extra : str
        The extra to install, e.g. ``"sweeps"``.
    missing : sequence of str
        The modules that could not be found.
    """

    def __init__(self, what: str, extra: str, missing: tuple[str, ...] | list[str]):
        self.what, self.extra, self.missing = what, extra, tuple(missing)
        super().__init__(
            f"{what} needs the {extra} extra ({', '.join(self.missing)} not installed): "
            f"pip install '{DISTRIBUTION}[{extra}]'"
        )


def require_extra(what: str, extra: str, *modules: str) -> None:
    """Raise :class:`MissingExtraError` unless every one of ``modules`` can be imported.

    Only looks the modules up (``importlib.util.find_spec``); nothing is imported.
    """
    import importlib.util

    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError(what, extra, missing)


class RunError(Exception):
    """The simulation itself failed (exit code 1): a bug or a resource limit, not bad input."""
