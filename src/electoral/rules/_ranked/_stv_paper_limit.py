"""The most ballot papers the counts that hold every paper one by one (``"irish"``, ``"ers97"``, ``"cambridge"``) take.

These counts move individual papers (the Irish Act's last sub-parcel, the
ERS97 rules' values in hundredths, Cambridge's Cincinnati draw), so they
hold one entry per paper. An election of more papers than
:data:`MAX_PAPERS` is refused with a :class:`~electoral.errors.CountError`
before anything is allocated, rather than running out of memory. The bound
is well above any electorate these statutes count (a Dáil constituency or a
European Parliament constituency in Ireland has under a million papers; a
Cambridge election a few tens of thousands). It also keeps ERS97's sums of
hundredths, taken through numpy, far below 2**53, where they are exact.
"""

from __future__ import annotations

from electoral.errors import CountError

__all__ = ["MAX_PAPERS", "check_papers"]

MAX_PAPERS = 100_000_000


def check_papers(papers: int, transfer: str) -> None:
    """Refuse a count of more than :data:`MAX_PAPERS` papers under ``transfer``."""
    if papers > MAX_PAPERS:
        raise CountError(
            f"transfer={transfer!r} holds every ballot paper one by one; this election has {papers:,} papers,"
            f" more than it counts ({MAX_PAPERS:,})"
        )
