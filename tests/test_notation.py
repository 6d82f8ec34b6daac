"""The compact ballot notation: parsing, printing and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import Election
from electoral._model._notation import format_name, parse
from electoral.errors import NotationError
from electoral.testing.strategies import ballots, candidates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("ranking", [])),
        ("A", ("ranking", [["A"]])),
        ("A>B=C>D", ("ranking", [["A"], ["B", "C"], ["D"]])),
        ("A>>C", ("ranking", [["A"], [], ["C"]])),
        (" Le Pen > Macron ", ("ranking", [["Le Pen"], ["Macron"]])),
        ('"A>B">C', ("ranking", [["A>B"], ["C"]])),
        ("A:5,B:0", ("scores", [("A", 5), ("B", 0)])),
        ("A:-2", ("scores", [("A", -2)])),
    ],
)
def test_parse(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["A=", "=A", "A>=B", "A:5,", "A:x", '"unterminated', "A:5>B", "A:5:6"])
def test_parse_errors_name_the_ballot(text: str) -> None:
    with pytest.raises(NotationError):
        parse(text)


def test_quoting_is_only_where_needed() -> None:
    assert format_name("Le Pen") == "Le Pen"
    assert format_name("A>B") == '"A>B"'
    assert format_name(" padded") == '" padded"'


@given(st.data())
def test_str_parses_back_to_the_same_ballot(data: st.DataObject) -> None:
    """str(ballot) is the canonical notation, and parsing it gives the same ballot back."""
    pool = data.draw(candidates(min_size=1, max_size=5))
    kind = data.draw(st.sampled_from(["ranking", "scores", "approval"]))
    ballot = data.draw(ballots(pool, marks=kind, equal_ranks=True, skipped_ranks=True))  # type: ignore[arg-type]
    reparsed = Election.from_rankings({str(ballot): ballot.count}, candidates=pool, allow_repeats=True)
    assert reparsed.ballots == (ballot,)
