"""The single transferable vote: quotas, surplus transfers (WIGM, Gregory, Meek) and RCTab's modes.

``transfer`` picks the count:

- ``"wigm"`` (default): inclusive Gregory with ballot values kept to
  ``decimal_places`` decimals, truncated (weighted inclusive Gregory); with
  5 places and the Droop quota this is the Scottish count (preset
  ``scotland``), see :mod:`electoral.rules._stv_gregory`;
- ``"gregory"``: the same count in exact Fractions;
- ``"meek"``: Meek's method in exact Fractions, see :mod:`electoral.rules._stv_meek`;
- ``"meek-nz"``: New Zealand's Meek count (Local Electoral Regulations 2001,
  Schedule 1A) in its 9-place fixed-point arithmetic (preset
  ``new-zealand-meek``), see :mod:`electoral.rules._ranked._stv_nz_meek`;
- ``"cambridge"``: Cambridge, Massachusetts's whole-ballot count (preset
  ``cambridge-ma``), in the order the ballots were counted (``tabulate``'s
  ``order``), see :mod:`electoral.rules._ranked._stv_cambridge`;
- ``"rctab"``: RCTab's multi-seat tabulation, in the mode ``rctab_mode``,
  see :mod:`electoral.rules._stv_rctab`;
- ``"senate"`` and ``"hare-clark"``: ballot papers in parcels, the
  Australian Senate's surplus of every paper and Hare-Clark's last parcel,
  votes cut to ``decimal_places`` (presets ``australia-senate``,
  ``hare-clark``, ``hare-clark-act``), see :mod:`electoral.rules._stv_parcels`;
- ``"irish"``: the Irish Electoral Act 1992, Part XIX: whole papers,
  surpluses sampled from the last sub-parcel, deferred surpluses and
  exclusions together (preset ``ireland-dail``), see
  :mod:`electoral.rules._ranked._stv_irish`;
- ``"ers97"``: the Electoral Reform Society's 1997 rules: hundredths of a
  vote, surpluses from the last batch received, deferred surpluses,
  exclusions together and in batches by value (preset ``ers97``), see
  :mod:`electoral.rules._ranked._stv_ers97`.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from electoral._model import Ballot, Election
from electoral._profile._build import exact_total
from electoral._profile._ranked import ranked_ballots
from electoral._registry import RuleInfo, register
from electoral._result import Result
from electoral._text import excerpt
from electoral._ties._engine import OpenTie
from electoral.errors import OptionError, SeatsError
from electoral.rules._base import SEATS_HINT, Count
from electoral.rules._options import choice, to_bool, to_int, to_optional_fraction, to_optional_int
from electoral.rules._presets import PresetRule, Presets, preset_field
from electoral.rules._ranked._common import RankedRule, excluded_words
from electoral.rules._ranked._stv_arith import Arithmetic
from electoral.rules._ranked._stv_presets_au import add_australian_presets

__all__ = ["PRESETS", "Stv"]

QUOTAS = ("droop", "hare", "hagenbach-bischoff")
TRANSFERS = ("wigm", "gregory", "meek", "meek-nz", "cambridge", "rctab", "senate", "hare-clark", "irish", "ers97")
RCTAB_MODES = (
    "multiple-winners-per-round",
    "one-winner-per-round",
    "bottoms-up",
    "bottoms-up-percentage",
    "multi-pass-irv",
)


def _not_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise OptionError(f"{attribute.name} must be zero or more, not {value}")


def _share_or_none(instance: object, attribute: attrs.Attribute[Fraction | None], value: Fraction | None) -> None:
    if value is not None and not 0 <= value <= 1:
        raise OptionError(f"{attribute.name} must be a share between 0 and 1, not {value}")


#: the STV presets; see :mod:`electoral.rules._presets` for how they combine with options
PRESETS = Presets()


@PRESETS.add("scotland", citation="Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1")
def _scotland() -> dict[str, Any]:
    """Scotland, council elections: the Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1.

    Droop quota, whole (rule 46: valid papers divided by seats plus one, plus
    one, fraction disregarded); weighted inclusive Gregory transfers with
    transfer values to five decimal places, remainder ignored (rule 48);
    largest surplus first (rule 49); exclusion of the lowest (rule 50);
    remaining candidates elected when they no more than fill the seats
    (rules 51-52). Equal votes: the counts at earlier stages, most recent
    first, then lots (a tie with no seed given is left open).

    Rule numbers are those of the 2007 Order. Elections from 3 May 2012 are
    held under the Scottish Local Government Elections Order 2011 (SSI
    2011/399), which renumbers the counting rules (exclusion is rule 51
    there): preset ``scotland-2011``.
    """
    return {
        "quota": "droop",
        "whole_quota": True,
        "transfer": "wigm",
        "decimal_places": 5,
        "tie_break": "previous-rounds+lot",
    }


@PRESETS.add(
    "new-zealand-meek",
    citation="Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A, Part 1 (clauses 3-19, 40)",
)
def _new_zealand_meek() -> dict[str, Any]:
    """New Zealand, local elections by STV: the Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A.

    Meek's method in the Schedule's decimal arithmetic (``transfer="meek-nz"``):
    every figure to 9 decimal places; the quota ``(v - vnt) / (n + 1) +
    0.000000001`` truncated, recomputed every iteration (clauses 5 and 11);
    candidates at or above it successful (clauses 6 and 12); keep values
    ``q * kc / vc`` rounded up (clauses 7 and 17); each preference's share of
    a vote rounded up, multiplication by multiplication (clause 10); the
    lowest hopeful candidate excluded when they cannot overtake another with
    the total surplus, or when the total surplus is under 0.0001 (clause 13);
    ties for exclusion by the Ahead At First Difference method, then lots
    (clauses 19 and 40; the seeded lot stands in for the Schedule's
    pseudo-random numbers). The ``quota``, ``whole_quota``,
    ``decimal_places`` and ``meek_tolerance`` options do not apply to this
    count. See :mod:`electoral.rules._ranked._stv_nz_meek` for the clauses
    and what the Schedule leaves unsaid.
    """
    return {"transfer": "meek-nz", "tie_break": "lot"}


@PRESETS.add(
    "cambridge-ma", citation="Massachusetts General Laws c. 54A, §§ 9 and 16(b) (Cambridge's Cincinnati method)"
)
def _cambridge_ma() -> dict[str, Any]:
    """Cambridge, Massachusetts, City Council and School Committee: Massachusetts General Laws c. 54A, § 9, § 16(b).

    Whole ballots, counted in the order the ballots were counted
    (``Stv.tabulate(election, order=ballots)``; ``transfer="cambridge"``).
    Quota: valid ballots divided by seats plus one, plus one, fractions
    disregarded (§ 9(c)); an elected candidate is credited with no more
    ballots. Surpluses by the Cincinnati method, every n-th ballot in the
    order credited (§ 16(b), as the Cambridge Election Commission describes
    it). Candidates with fewer than 50 ballots, the signatures a nomination
    needs, defeated at once (§ 9(g)); then the lowest, one at a time (§ 9(i),
    (j)), their ballots transferred in the order credited; ties by the
    standing before each earlier transfer, latest first, then lot (§ 9(k));
    the end as § 9(l). See :mod:`electoral.rules._ranked._stv_cambridge`.
    """
    return {
        "transfer": "cambridge",
        "quota": "droop",
        "whole_quota": True,
        "minimum_vote_threshold": 50,
        "tie_break": "previous-rounds+lot",
    }


add_australian_presets(PRESETS)


@PRESETS.add("scotland-2011", citation="Scottish Local Government Elections Order 2011 (SSI 2011/399), Schedule 1")
def _scotland_2011() -> dict[str, Any]:
    """Scotland, council elections from 3 May 2012: the Scottish Local Government Elections Order 2011 (SSI 2011/399).

    The same count as ``scotland`` (SSI 2007/42): Droop quota, whole;
    weighted inclusive Gregory transfers at five decimal places, remainder
    ignored; largest surplus first; exclusion of the lowest; the last
    continuing candidates elected when they no more than fill the seats.
    Equal votes: the counts at earlier stages, most recent first, then lots
    (a tie with no seed given is left open).

    The 2011 Order inserts one rule before the counting rules, so each
    counting rule of 2007 is found one number later: exclusion is rule 51
    (the Order's article 2 defines a continuing candidate as one not
    excluded "under rule 51"; rule 50 in 2007) and the filling of the last
    vacancies rule 53 (cited so by the explanatory note of SSI 2021/437;
    rule 52 in 2007); by the same shift the quota is rule 47, the transfer
    value rule 49 and the order of surpluses rule 50. No difference of
    effect between the two Orders' counting rules is known to this library;
    the full text of the 2011 rules was not compared word for word here
    (only its definitions and the amending instruments' notes were read).
    Two later amendments do not change the count: SSI 2012/342 adds to rule
    56 the publication of every preference sequence, and SSI 2021/437
    (article 2(4)) makes rule 53(2) say that no further transfer is
    *required* once the last vacancies are filled, where it said that none
    shall be made.
    """
    return _scotland()


@PRESETS.add("ireland-dail", citation="Electoral Act 1992 (Ireland), Part XIX, ss. 118-124")
def _ireland_dail() -> dict[str, Any]:
    """Ireland, Dáil elections: the Electoral Act 1992, Part XIX (sections 118-124), as amended in 2001.

    Droop quota, whole (s. 120: valid papers divided by one more than the
    vacancies, plus one, fraction disregarded; reached at that); every paper
    keeps the value one. Surpluses (ss. 121-123) from all the papers of a
    candidate elected on first preferences, else from the sub-parcel last
    received, in whole papers proportional to the sub-parcels, the papers
    drawn from each mixed sub-parcel by the seeded lot (or in ballot order
    without a seed), each draw recorded; largest surplus first; a surplus
    deferred while the surpluses not transferred could neither elect the
    highest, save the lowest, nor carry anyone past a quarter of the quota.
    Exclusion (ss. 121-123) of the lowest, or of the two or more lowest together
    when they and the surpluses not transferred have fewer votes than the
    next; all their papers at one count. Last vacancies under s. 124(1),
    (1A) (Electoral (Amendment) Act 2001, s. 31) and (2). Equal votes: the
    earliest count at which the candidates differed (the first count's are
    the original votes), then lot (s. 118, "determine by lot"); a tie with
    no seed given is left open. See :mod:`electoral.rules._ranked._stv_irish`
    for the details and limits.
    """
    return {"quota": "droop", "whole_quota": True, "transfer": "irish", "tie_break": "lot"}


@PRESETS.add(
    "ers97",
    citation="Electoral Reform Society, How to conduct an election by the Single Transferable Vote, 3rd ed. (1997)",
)
def _ers97() -> dict[str, Any]:
    """Electoral Reform Society: "How to conduct an election by the Single Transferable Vote", 3rd ed., 1997.

    The rules' section 5, in hundredths of a vote: the quota (5.1.6) is
    the total valid vote divided by one more than the places, to two
    decimals (exact, or truncated plus 0.01), and reduced while nobody is
    elected as papers become non-transferable (5.4.8); election at the quota
    or at the total active vote divided by one more than the places left
    (5.1.7, 5.3.13, 5.4.9); the largest surplus first (5.2.3), deferred while
    an exclusion is safe (5.2.2); a surplus from all the papers at the first
    stage, else from the last batch received, at the surplus divided by the
    transferable papers, to two decimals, remainder ignored (5.3.7); as many
    of the lowest excluded together as is safe (5.2.5), their papers moved
    in batches in descending order of value, one sub-stage each (5.4). Equal
    votes: the first stage or the earliest point where the candidates
    differed, then lot (5.2.3, 5.2.5); at the cut for election, none of
    those always equal is elected at that stage (5.6.2). The quota options
    are not read: the rules fix the quota. See
    :mod:`electoral.rules._ranked._stv_ers97`.
    """
    return {"transfer": "ers97", "tie_break": "lot"}


def _to_places(value: int | str | None) -> int | None:
    places = to_optional_int(value)
    if places is not None and not 0 <= places <= 12:
        raise OptionError(f"decimal_places must be 0 to 12 (or None for exact Fractions), not {places}")
    return places


@register
@attrs.frozen(kw_only=True)
class Stv(PresetRule, RankedRule):
    """The single transferable vote, for ``election.seats`` seats.

    Options (defaults in brackets):

    - ``quota`` [``"droop"``]: ``"droop"`` (whole: ``floor(V/(S+1)) + 1``,
      reached at that; fractional: more than ``V/(S+1)``), ``"hare"`` (whole:
      ``ceil(V/S)``; fractional ``V/S``), ``"hagenbach-bischoff"`` (whole:
      ``floor(V/(S+1))``; fractional ``V/(S+1)``, reached at that), with
      ``V`` the valid first-round votes and ``S`` the seats;
    - ``whole_quota`` [True];
    - ``transfer`` [``"wigm"``]: ``"wigm"``, ``"gregory"``, ``"meek"``,
      ``"meek-nz"``, ``"cambridge"``, ``"rctab"``, ``"senate"``, ``"hare-clark"``,
      ``"irish"`` or ``"ers97"`` (see the module notes; ``"ers97"`` computes the
      rules' own quota and reads neither ``quota`` nor ``whole_quota``);
    - ``decimal_places`` [5]: the decimals of ballot values for ``"wigm"``
      and ``"rctab"``, and of parcel votes for ``"senate"`` and
      ``"hare-clark"`` (truncated); ``"gregory"`` and ``"meek"`` are exact;
    - ``rctab_mode`` [``"multiple-winners-per-round"``]: one of
      ``"multiple-winners-per-round"``, ``"one-winner-per-round"``,
      ``"bottoms-up"``, ``"bottoms-up-percentage"``, ``"multi-pass-irv"``;
    - ``non_integer_winning_threshold`` [False], ``bottoms_up_threshold``
      [None], ``cutoff_elimination`` [False],
      ``does_first_round_determine_threshold`` [False], and for multi-pass
      IRV ``batch_elimination`` and ``continue_until_two_candidates_remain``
      [False]: RCTab's options of those names;
    - ``meek_tolerance`` [1/10**6]: Meek's convergence tolerance, in votes
      (``"meek"`` only: ``"meek-nz"`` has the Schedule's own test);
    - ``minimum_vote_threshold`` [0]: with ``"cambridge"``, candidates with
      fewer ballots after the first count are defeated at once (Cambridge's
      50, M.G.L. c. 54A, § 9(g));
    - ballot reading and ties as for ``instant-runoff``.

    ``Stv.preset("scotland")`` (or ``preset="scotland"``) configures the
    Scottish council count; ``"new-zealand-meek"`` and ``"cambridge-ma"``
    the New Zealand local and Cambridge, Massachusetts counts. The
    Cambridge count reads the ballots in the order they were counted:
    ``tabulate(election, order=ballots)``.

    The seats are the election's (``Election.seats``; ``--seats N`` on the
    command line), whatever the transfer: there is no ``seats`` option.

    Too few candidates: every transfer but ``"rctab"`` fills exactly the
    election's seats, so a count whose ``excluded`` candidates leave fewer
    candidates than seats is refused (:class:`~electoral.errors.SeatsError`,
    naming the seats and the candidates left) before it starts, rather than
    reported as decided with seats unfilled. The count these rules describe
    assumes at least as many continuing candidates as vacancies (Scotland's
    rules 51-52 elect the last continuing candidates to fill the seats
    left); what happens to a vacancy nobody stands for is decided outside
    the count. With ``"rctab"``, as RCTab does (its ``more winners than
    candidates`` test), the seats may exceed the candidates, or the
    candidates left, and every continuing candidate is then elected; only a
    count with no candidate left at all is refused.

    >>> from electoral import Election
    >>> e = Election.from_rankings({"A>B": 5, "A>C": 3, "B": 2, "C": 2}, seats=2)
    >>> [c.name for c in Stv.preset("scotland").tabulate(e).winners]
    ['A', 'B']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="stv",
        family="ranked",
        marks={"ranking"},
        winners="multiple",
        summary="Single transferable vote: WIGM (Scotland), Gregory, Meek and RCTab's multi-seat modes.",
        # the Scottish order (SSI 2007/42, rule 50) and the other STV statutes exclude candidates
        eliminated_as="excluded",
    )
    _extra_options: ClassVar[tuple[str, ...]] = ("preset",)
    _presets: ClassVar[Presets] = PRESETS

    quota: str = attrs.field(default="droop", validator=choice(*QUOTAS))
    whole_quota: bool = attrs.field(default=True, converter=to_bool)
    transfer: str = attrs.field(default="wigm", validator=choice(*TRANSFERS))
    decimal_places: int | None = attrs.field(default=5, converter=_to_places)
    rctab_mode: str = attrs.field(default="multiple-winners-per-round", validator=choice(*RCTAB_MODES))
    non_integer_winning_threshold: bool = attrs.field(default=False, converter=to_bool)
    bottoms_up_threshold: Fraction | None = attrs.field(
        default=None, converter=to_optional_fraction, validator=_share_or_none
    )
    cutoff_elimination: bool = attrs.field(default=False, converter=to_bool)
    does_first_round_determine_threshold: bool = attrs.field(default=False, converter=to_bool)
    batch_elimination: bool = attrs.field(default=False, converter=to_bool)
    continue_until_two_candidates_remain: bool = attrs.field(default=False, converter=to_bool)
    minimum_vote_threshold: int = attrs.field(default=0, converter=to_int, validator=_not_negative)
    meek_tolerance: Fraction | None = attrs.field(default=Fraction(1, 10**6), converter=to_optional_fraction)
    preset_name: str | None = preset_field()

    def __new__(cls, *args: Any, **options: Any) -> Stv:
        # ``seats`` was an option of this rule (RCTab's numberOfWinners): say where the seats are now
        if "seats" in options:
            raise OptionError(f"rule 'stv' has no option 'seats'{SEATS_HINT}")
        return super().__new__(cls)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if (
            self.rctab_mode == "bottoms-up-percentage"
            and self.transfer == "rctab"
            and self.bottoms_up_threshold is None
        ):
            raise OptionError("rctab_mode='bottoms-up-percentage' needs bottoms_up_threshold, e.g. 15%")
        if self.meek_tolerance is not None and self.meek_tolerance <= 0:
            raise OptionError(f"meek_tolerance must be positive, not {self.meek_tolerance}")

    # -- quotas ---------------------------------------------------------------------

    def quota_of(self, valid: int | Fraction, seats: int) -> tuple[int | Fraction, bool]:
        """The quota for ``valid`` votes and ``seats`` seats, and whether it must be exceeded (True) or reached."""
        votes = Fraction(valid)
        if self.quota == "hare":
            share = votes / seats
            if self.whole_quota:
                return -((-share.numerator) // share.denominator), False
            return share, False
        share = votes / (seats + 1)
        if self.quota == "droop":
            if self.whole_quota:
                return share.numerator // share.denominator + 1, False
            return share, True
        if self.whole_quota:
            return share.numerator // share.denominator, False
        return share, False

    # -- counting -------------------------------------------------------------------

    def tabulate(self, election: Election, /, order: Iterable[Ballot] | None = None) -> Result:
        """Count ``election``; ``order`` gives its ballots in the order counted (``transfer="cambridge"`` only).

        ``order`` lists exactly the election's ballots, one by one (a Ballot
        with ``count=k`` is ``k`` in a row), as the count met them; only the
        Cambridge count depends on it.
        """
        if order is None:
            return super().tabulate(election)
        if self.transfer != "cambridge":
            raise OptionError(f"order is read only by transfer='cambridge', not transfer={excerpt(self.transfer)}")
        from electoral.rules._ranked._stv_cambridge import count_cambridge, papers_in_order

        papers, given = papers_in_order(election, order)
        return self._tabulate(election, lambda e, count: count_cambridge(self, e, count, papers, given))

    def _seats_may_exceed_candidates(self) -> bool:
        return self.transfer == "rctab"  # as RCTab: every continuing candidate is then elected

    def _check_left(self, election: Election) -> None:
        if self.transfer == "rctab":
            super()._check_left(election)  # as RCTab: seats beyond the candidates left are not an error
            return
        left = self._left(election)
        if len(left) < election.seats:
            raise SeatsError(
                f"rule 'stv' fills {election.seats} seat(s), but only {len(left)} candidate(s) are left"
                f" once {excluded_words(self.excluded)} excluded; a count that fills every seat needs at least"
                " as many candidates as seats"
            )

    def _count(self, election: Election, count: Count, /) -> None:
        try:
            self._count_by_transfer(election, count)
        except OpenTie:
            # a tie left open ends the count, but whoever a round declared elected before it stays elected
            for record in count.rounds:
                count.elected.extend(c for c in record.elected if c not in count.elected)
            raise

    def _count_by_transfer(self, election: Election, count: Count, /) -> None:
        if self.transfer in ("wigm", "gregory"):
            from electoral.rules._ranked._stv_gregory import count_gregory

            places = self.decimal_places if self.transfer == "wigm" else None
            voters = exact_total(ranked_ballots(election).counts)
            count_gregory(self, election, count, Arithmetic(places, voters))
        elif self.transfer in ("senate", "hare-clark"):
            from electoral.rules._ranked._stv_parcels import count_parcels

            count_parcels(self, election, count)
        elif self.transfer == "meek":
            from electoral.rules._ranked._stv_meek import count_meek

            count_meek(self, election, count)
        elif self.transfer == "cambridge":
            from electoral.rules._ranked._stv_cambridge import count_cambridge, papers_in_order

            count_cambridge(self, election, count, *papers_in_order(election, None))
        elif self.transfer == "meek-nz":
            from electoral.rules._ranked._stv_nz_meek import count_nz_meek

            count_nz_meek(self, election, count)
        elif self.transfer == "ers97":
            from electoral.rules._ranked._stv_ers97 import count_ers97

            count_ers97(self, election, count)
        elif self.transfer == "irish":
            from electoral.rules._ranked._stv_irish import count_irish

            count_irish(self, election, count)
        else:
            from electoral.rules._ranked._stv_rctab import count_rctab

            count_rctab(self, election, count)
