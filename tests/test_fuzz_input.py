"""Arbitrary JSON documents never make the reader raise anything but an ElectoralError."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from electoral import Election, tabulate
from electoral.errors import ElectoralError
from electoral.rules import names

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4) | st.sampled_from(["A", "B", "A>B", "A:1"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12,
)
FIELDS = ["format", "version", "title", "seats", "candidates", "ballots", "votes", "blank", "invalid", "registered"]
documents = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6)


@given(documents)
def test_from_dict_raises_only_electoral_errors(data: dict[str, Any]) -> None:
    """Any JSON object either reads as an election or raises an ElectoralError naming the problem."""
    try:
        election = Election.from_dict(json.loads(json.dumps(data)))
    except ElectoralError as error:
        assert str(error)  # noqa: PT017  (whether it raises depends on the draw)
        return
    for name in names():
        with contextlib.suppress(ElectoralError):
            tabulate(election, name)
