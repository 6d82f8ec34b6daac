"""The exceptions that :mod:`electoral` raises.

Every exception derives from :class:`ElectoralError`, so one ``except`` clause
catches them all. Each also derives from the matching builtin
(:class:`ValueError` or :class:`LookupError`), so code written against the
builtins keeps working. Messages name the offending value, and for file input
the file and the line.

A message is always one line of at most a few hundred characters: line
breaks and control characters in it are escaped, and an overlong message is
cut in the middle (see :mod:`electoral._text`), so that a hostile name or
path can neither forge lines in a log nor flood it.
"""

from __future__ import annotations

from typing import Any

from electoral._text import one_line, path_text

__all__ = [
    "AuditError",
    "BallotError",
    "BallotErrorGroup",
    "CandidateError",
    "CountError",
    "DuplicateCandidateError",
    "ElectoralError",
    "FormatError",
    "MarkError",
    "MissingDataError",
    "NoCandidatesError",
    "NotationError",
    "OptionError",
    "PluginError",
    "ResultError",
    "RuleClashError",
    "SeatsError",
    "UnconfirmedWinnerError",
    "UnknownCandidateError",
    "UnknownExampleError",
    "UnknownRecordError",
    "UnknownRuleError",
]


class ElectoralError(Exception):
    """The root of every error that :mod:`electoral` raises on purpose.

    >>> str(ElectoralError("two\\nlines"))
    'two\\\\nlines'
    """

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            args = (one_line(args[0]), *args[1:])
        super().__init__(*args)


class CandidateError(ElectoralError, ValueError):
    """A candidate is not valid: an empty name, or a name that is not a string."""


class DuplicateCandidateError(CandidateError):
    """Two candidates of one election share a name."""


class NoCandidatesError(CandidateError):
    """An election was given no candidates."""


class UnknownCandidateError(ElectoralError, LookupError):
    """A name does not belong to any candidate of the election."""


class BallotError(ElectoralError, ValueError):
    """A ballot cannot be recorded as given."""


class CountError(ElectoralError, ValueError):
    """A count (of ballots, votes or voters) is not a whole number, or is out of range."""


class SeatsError(ElectoralError, ValueError):
    """The number of seats is below 1 or above the number of candidates."""


class NotationError(ElectoralError, ValueError):
    """A ballot written in the ``A>B=C`` notation cannot be parsed."""


class OptionError(ElectoralError, ValueError):
    """A rule was given an unknown option, or an option with a bad value."""


class MissingDataError(ElectoralError, ValueError):
    """A rule needs a figure the election does not have, such as ``registered``."""


class MarkError(ElectoralError, ValueError):
    """A rule was given ballots marked in a way it does not read."""


class UnknownRuleError(ElectoralError, LookupError):
    """No rule is registered under the name asked for."""


class UnknownExampleError(ElectoralError, LookupError):
    """No election bundled with the library (:mod:`electoral.examples`) has the name asked for."""


class RuleClashError(ElectoralError, ValueError):
    """A rule is being registered under a name that another rule already has."""


class PluginError(ElectoralError, ImportError):
    """A third-party rule from the ``electoral.rules`` entry-point group failed to load."""


class ResultError(ElectoralError, ValueError):
    """A part of a result was built with values that do not fit together, e.g. a transfer's kind and target."""


class FormatError(ElectoralError, ValueError):
    """An input file or document is malformed.

    ``source`` names the file (or ``"<dict>"`` for in-memory data) and ``line``
    the 1-based line, where known; both are part of the message.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = ""
        if source is not None:
            shown = path_text(source)
            where = shown if line is None else f"{shown}, line {line}"
        elif line is not None:
            where = f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class BallotErrorGroup(ExceptionGroup[ElectoralError], ElectoralError):
    """Several ballots failed validation; each failure is in ``exceptions``.

    Reporting them together lets a user fix a file in one pass instead of one
    error at a time.
    """


class AuditError(ElectoralError, ValueError):
    """An audit was given input that does not fit: a malformed assertion, a ballot drawn twice, a bad risk limit."""


class UnconfirmedWinnerError(AuditError, CountError):
    """No assertion set can confirm the reported winner: the count has none (a tie), or an outcome is not ruled out."""


class UnknownRecordError(AuditError, LookupError):
    """An audit's sample names a ballot that is not among the cast vote records."""
