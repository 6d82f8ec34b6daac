"""The Australian STV presets: the Senate (``australia-senate``) and Hare-Clark (``hare-clark``, ``hare-clark-act``).

Each is a set of :class:`~electoral.rules.Stv` options over the parcel
engine of :mod:`electoral.rules._ranked._stv_parcels`; the functions'
docstrings cite the statutes and say where the two Hare-Clark laws differ.
"""

from __future__ import annotations

from typing import Any

from electoral.rules._presets import Presets

__all__ = ["add_australian_presets"]


def _senate() -> dict[str, Any]:
    """Australian Senate: Commonwealth Electoral Act 1918 s 273, as counted since the 2016 amendments.

    The scrutiny of section 273 ("Scrutiny of votes in Senate elections"):

    - Quota, s 273(8): the first preference votes divided by one more than
      the vacancies, the quotient (fraction disregarded) increased by one;
      a candidate with at least the quota is elected (``quota="droop"``,
      ``whole_quota=True``).
    - Surplus, s 273(9) and (10): every ballot paper the elected candidate
      holds is transferred, at the transfer value "surplus divided by the
      number of ballot papers" (not weighted by the values at which the
      papers were received); the votes each continuing candidate receives
      are the papers times the transfer value, any fraction disregarded
      (``transfer="senate"``, ``decimal_places=0``). Surpluses are dealt with
      in the order of election, after any exclusion under way is finished.
    - Exclusion, s 273(13): the candidate with fewest votes; the papers at
      each transfer value, highest first, go at a separate count at the
      value at which they were received. Bulk exclusion (s 273(13A)-(13C))
      is not applied: one candidate is excluded at a time, as dividebatur's
      count of the post-2015 Act does (its ``SenateCountPost2015`` disables
      bulk exclusion), which its author checked against the AEC's published
      2016 distributions of preferences.
    - s 273(17): one vacancy left and two continuing candidates: the one
      with more votes is elected; s 273(18): continuing candidates no more
      than the vacancies left are all elected.
    - Equal votes (order of election, exclusion): the counts at the last
      count at which the candidates had unequal votes, then the Australian
      Electoral Officer's casting vote, here the seeded lot (a tie with no
      seed is left open). The earlier counts are compared as the library's
      ``previous-rounds`` does: latest first, separating what each earlier
      count separates. Candidates elected at one count with equal votes are
      put in order only where the order matters (a surplus still to
      transfer, or more of them than vacancies).

    Subsection numbers are those of the Act as compiled in 2016 (C2016C00222);
    the Act's text was not reachable offline, and the rules were checked
    against dividebatur's count rather than against the text itself.

    Ballots: read the AEC's formal preferences files with
    ``electoral.io.read(path, format="aec-senate")``; above-the-line marks
    are expanded into the group's candidates (s 272). The count uses the
    election's seats: 6 for a half-Senate state election, 12 after a double
    dissolution, 2 for a territory.
    """
    return {
        "quota": "droop",
        "whole_quota": True,
        "transfer": "senate",
        "decimal_places": 0,
        "tie_break": "previous-rounds+lot",
    }


def _tasmania() -> dict[str, Any]:
    """Hare-Clark, Tasmania: the Electoral Act 2004 (Tas), Part 7 (House of Assembly scrutiny).

    - Quota: the formal ballot papers divided by one more than the
      vacancies, fraction disregarded, plus one.
    - Surplus of a candidate elected at the first count: all the first
      preference papers; of a candidate elected later: only the last bundle,
      the papers received at the count that gave the quota. The transfer
      value is the surplus divided by the papers of that bundle that show a
      next available preference, never more than the value at which the
      bundle was received; votes are papers times transfer value, fractions
      disregarded (``transfer="hare-clark"``, ``decimal_places=0``).
    - Exclusion: the papers of the excluded candidate, grouped by transfer
      value and transferred in descending order of value, one count each.
    - Equal votes: the candidate with fewer votes at the last count at
      which they were unequal; if always equal, by lot.

    Differences from the ACT (``hare-clark-act``): the ACT keeps votes to
    six decimal places (Schedule 4 cl 1A(2)) where Tasmania disregards
    fractions. The section numbers of Part 7 have not been checked here
    against the Act's text, which was not reachable offline.
    """
    return {
        "quota": "droop",
        "whole_quota": True,
        "transfer": "hare-clark",
        "decimal_places": 0,
        "tie_break": "previous-rounds+lot",
    }


def _act() -> dict[str, Any]:
    """Hare-Clark, Australian Capital Territory: the Electoral Act 1992 (ACT), Schedule 4.

    Schedule 4 ("Ascertaining result of poll", under section 185):

    - "Count votes" (cl 1A): ballot papers times their transfer value, any
      fraction rounded down to six decimal places (``decimal_places=6``).
    - Quota (cl 1B): the formal papers divided by one more than the
      vacancies, fraction disregarded, plus one.
    - Transfer value (cl 1C) and surplus: only the last parcel received by
      the elected candidate is distributed, at the surplus divided by the
      number of papers in that parcel that show a next available preference
      for a continuing candidate, never more than the value at which the
      parcel was received (``transfer="hare-clark"``).
    - Exclusion (cl 8-9): all the excluded candidate's parcels are combined
      by transfer value and distributed in decreasing order of value.
    - Equal votes: the candidate with the lowest total the last time the
      candidates were unequal; if always equal, by lot.

    Differences from Tasmania (``hare-clark``): the six decimal places of
    count votes; otherwise the same last-parcel count. Casual vacancies
    (Part 4.3, a countback) are outside this count.
    """
    return {
        "quota": "droop",
        "whole_quota": True,
        "transfer": "hare-clark",
        "decimal_places": 6,
        "tie_break": "previous-rounds+lot",
    }


def add_australian_presets(presets: Presets) -> None:
    """Add ``australia-senate``, ``hare-clark`` and ``hare-clark-act`` to the STV presets."""
    presets.add("australia-senate", citation="Commonwealth Electoral Act 1918 (Cth), s 273")(_senate)
    presets.add("hare-clark", citation="Electoral Act 2004 (Tas), Part 7")(_tasmania)
    presets.add("hare-clark-act", citation="Electoral Act 1992 (ACT), Schedule 4")(_act)
