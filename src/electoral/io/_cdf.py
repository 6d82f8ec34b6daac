"""NIST SP 1500-103 cast vote records (CDF), in JSON and in XML.

The contest is found by its ``Name`` (RCTab's ``contestId``; conformance
note 7); each CVR's current snapshot (``CurrentSnapshotId``) is read, and
its selections of that contest's ``@id`` (``ObjectId`` in XML) give the
marks, by ``Rank`` (1 when a selection has no rank; in JSON a whole number,
not ``true`` or ``2.7``; in XML ASCII digits; from 1 to 10,000). A CVR that does not
hold the contest is not a ballot of it. A selection of a write-in
(``IsWriteIn``) marks the undeclared write-in. Candidates are named by their
``Name``; the config's aliases map other names.

XML is streamed (one ``CVR`` element at a time) and parsed without a DTD,
within the bounds of :mod:`electoral.io._xml` (its depth bound also bounds
the recursion that turns an element into data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import MAX_RANK, WRITE_IN, CvrTable, Record
from electoral.io._files import open_binary
from electoral.io._json import UNREAD, json_excerpt, load_json
from electoral.io._xml import iter_xml, local

__all__ = ["cdf_rows", "read_cdf_table"]


def read_cdf_table(path: Path, *, contest: str | None = None, data: Any = UNREAD) -> CvrTable:
    """Read a CDF file (``.json`` or ``.xml``) into a :class:`CvrTable` for the contest named ``contest``.

    With ``contest`` None, the file must hold exactly one contest. ``data``,
    if given, is the JSON file's content already parsed.
    """
    source = str(path)
    xml = data is UNREAD and path.suffix.lower() == ".xml"
    if xml:
        cvrs, election = _read_xml(path)
    else:
        if data is UNREAD:
            data = load_json(path)
        if not isinstance(data, Mapping):
            raise FormatError("a CDF report must be a JSON object", source=source)
        cvrs = data.get("CVR", [])
        election = data.get("Election", [])
        if not isinstance(cvrs, list) or not isinstance(election, list):
            raise FormatError("'CVR' and 'Election' must be lists", source=source)
    contest_id, selections = _contest(election, contest, source)
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    for index, cvr in enumerate(cvrs):
        label = f"CVR {index + 1}"
        record = _record(cvr, contest_id, selections, source, label, text_ranks=xml)
        if record is None:
            continue
        records[record] += 1
        where.setdefault(record, label)
    declared = {name: name for name in selections.values() if name != WRITE_IN}
    return CvrTable(source, dict(records), lambda record: where.get(record, "a CVR"), declared)


def cdf_rows(path: Path, *, contest: str | None = None) -> Iterator[tuple[str | None, Record]]:
    """Each CVR of the contest in one CDF file, in file order: its ``BallotPrePrintedId`` (or None) and record."""
    source = str(path)
    if path.suffix.lower() == ".xml":
        cvrs, election = _read_xml(path)
    else:
        data = load_json(path)
        if not isinstance(data, Mapping):
            raise FormatError("a CDF report must be a JSON object", source=source)
        cvrs, election = data.get("CVR", []), data.get("Election", [])
        if not isinstance(cvrs, list) or not isinstance(election, list):
            raise FormatError("'CVR' and 'Election' must be lists", source=source)
    contest_id, selections = _contest(election, contest, source)
    xml = path.suffix.lower() == ".xml"
    for index, cvr in enumerate(cvrs):
        record = _record(cvr, contest_id, selections, source, f"CVR {index + 1}", text_ranks=xml)
        if record is not None:
            yield _text(cvr.get("BallotPrePrintedId")), record


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    return None


def _contest(election: list[Any], name: str | None, source: str) -> tuple[str, dict[str, str]]:
    """The contest's id, and each of its selection ids mapped to a candidate name (or WRITE_IN)."""
    candidates: dict[str, str] = {}
    contests: list[Mapping[str, Any]] = []
    for item in election:
        if not isinstance(item, Mapping):
            raise FormatError("each 'Election' must be an object", source=source)
        for candidate in _list(item.get("Candidate"), "Candidate", source):
            cid, cname = _text(candidate.get("@id")), _text(candidate.get("Name"))
            if cid is None:
                raise FormatError(f"a candidate lacks '@id': {excerpt(dict(candidate))}", source=source)
            if cname is not None:  # a nameless candidate (a write-in slot) is found through IsWriteIn
                candidates[cid] = " ".join(cname.split())
        contests.extend(_list(item.get("Contest"), "Contest", source))
    found = [c for c in contests if name is None or _text(c.get("Name")) == name]
    if len(found) != 1:
        names = ", ".join(excerpt(_text(c.get("Name"))) for c in contests[:20])
        names += f" and {len(contests) - 20} more" if len(contests) > 20 else ""
        what = "no contest" if not found else "several contests"
        raise FormatError(f"{what} named {excerpt(name, given=True)} (contests: {names or 'none'})", source=source)
    contest = found[0]
    contest_id = _text(contest.get("@id"))
    if contest_id is None:
        raise FormatError(f"contest {excerpt(name, given=True)} has no '@id'", source=source)
    selections: dict[str, str] = {}
    for selection in _list(contest.get("ContestSelection"), "ContestSelection", source):
        sid = _text(selection.get("@id"))
        if sid is None:
            raise FormatError(f"a selection of contest {excerpt(name, given=True)} has no '@id'", source=source)
        if str(selection.get("IsWriteIn", "")).lower() == "true":
            selections[sid] = WRITE_IN
            continue
        ids = selection.get("CandidateIds", [])
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or len(ids) != 1 or _text(ids[0]) not in candidates:
            raise FormatError(
                f"selection {excerpt(sid)} does not name one known candidate: {excerpt(ids)}", source=source
            )
        selections[sid] = candidates[str(ids[0])]
    return contest_id, selections


def _list(value: Any, what: str, source: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise FormatError(f"'{what}' must be a list of objects", source=source)
    return value


def _rank(value: Any, text: bool) -> int | None:
    """A selection's rank: a JSON whole number (``text``: ASCII digits, from XML), else None."""
    if text:
        return ascii_int(value) if isinstance(value, str) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _record(
    cvr: Any, contest_id: str, selections: Mapping[str, str], source: str, label: str, *, text_ranks: bool = False
) -> Record | None:
    if not isinstance(cvr, Mapping):
        raise FormatError(f"{label} is not an object", source=source)
    snapshots = _list(cvr.get("CVRSnapshot"), "CVRSnapshot", source)
    current = _text(cvr.get("CurrentSnapshotId"))
    chosen = [s for s in snapshots if current is None or _text(s.get("@id")) == current]
    if not chosen:
        raise FormatError(f"{label}: no snapshot has the current id {excerpt(current)}", source=source)
    ranks: dict[int, list[str]] = {}
    present = False
    for contest in _list(chosen[0].get("CVRContest"), "CVRContest", source):
        if _text(contest.get("ContestId")) != contest_id:
            continue
        present = True
        for selection in _list(contest.get("CVRContestSelection"), "CVRContestSelection", source):
            sid = _text(selection.get("ContestSelectionId"))
            if sid is None:
                continue  # a write-in the scanner could not attribute: no candidate
            code = selections.get(sid)
            if code is None:
                raise FormatError(f"{label}: selection {excerpt(sid)} is not one of the contest's", source=source)
            for position in _list(selection.get("SelectionPosition"), "SelectionPosition", source):
                if str(position.get("HasIndication", "yes")).lower() == "no":
                    continue
                rank = position.get("Rank", "1" if text_ranks else 1)
                number = _rank(rank, text_ranks)
                if number is None or not 1 <= number <= MAX_RANK:
                    raise FormatError(
                        f"{label}: rank {json_excerpt(rank)} is not a whole number from 1 to {MAX_RANK}", source=source
                    )
                ranks.setdefault(number, []).append(code)
    if not present:
        return None
    width = max(ranks, default=0)
    return tuple(tuple(ranks.get(r, ())) for r in range(1, width + 1))


# -- XML: the same structure, built one CVR at a time ---------------------------------

_LISTS = frozenset(
    {
        "CVR",
        "CVRSnapshot",
        "CVRContest",
        "CVRContestSelection",
        "SelectionPosition",
        "Candidate",
        "Contest",
        "ContestSelection",
        "CandidateIds",
        "Election",
    }
)


def _to_data(element: Element) -> Any:
    children = list(element)
    if not children and element.get("ObjectId") is None:
        return (element.text or "").strip()
    data: dict[str, Any] = {}
    object_id = element.get("ObjectId")
    if object_id is not None:
        data["@id"] = object_id
    for child in children:
        name = local(child.tag)
        value = _to_data(child)
        if name in _LISTS:
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def _read_xml(path: Path) -> tuple[list[Any], list[Any]]:
    cvrs: list[Any] = []
    elections: list[Any] = []
    with open_binary(path) as stream:
        for element in _top_level(iter_xml(stream, str(path), tags=("CVR", "Election"))):
            name = local(element.tag)
            (cvrs if name == "CVR" else elections).append(_to_data(element))
            element.clear()
    return cvrs, elections


def _top_level(elements: Iterator[Element]) -> Iterator[Element]:
    # CVR and Election are direct children of the report; a nested element of the
    # same name (Election inside a CVR is an id, not an object) has only text
    for element in elements:
        if len(element):
            yield element
