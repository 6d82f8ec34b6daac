"""RCTab's CVR conversions: its CSV cast vote records and the NIST SP 1500-103 CDF CVR JSON.

RCTab (BrightSpots/rcv) writes two conversions of the cast vote records it
reads; both list every record one by one, in the order the sources are read:

- **The CSV CVR** (``rctab_cvr.csv``), which RCTab writes before every
  tabulation ("convert to CSV"). One row per record: ``Source Filepath``
  (the config's ``filePath``, as written there), ``CVR Provider``,
  ``Contest Id`` (a Dominion contest id; empty for the others), ``RCTab CVR
  Id``, ``Tabulator Id``, ``Batch Id``, ``Vendor Id``, ``Precinct``,
  ``Precinct Portion``, then ``Rank 1`` .. ``Rank n`` with ``n`` the config's
  ``maxRankingsAllowed`` (the declared candidates for ``max``). A rank holds
  the candidates' names (aliases resolved), several joined by a line break;
  an undeclared write-in is written as the source's own
  ``undeclaredWriteInLabel``, an overvote label as ``overvote``, and a rank
  with no mark as ``undervote``.
- **The CDF CVR JSON** (``cdf_cvr.json``): with ``generateCdfJson`` a
  tabulation writes it with one ``original`` snapshot per CVR and one
  ``interpreted`` snapshot per round (``ballot-ID-round-N``), whose
  ``IsAllocable`` says which selection the ballot counts for in that round;
  RCTab's "convert to CDF" writes the ``original`` snapshot alone
  (:func:`cdf_conversion_artifacts`).

The ids, as RCTab's expected files show them (``conversions_from_*``,
``test_set_*`` and ``precinct_example`` in its test suite): a record's
RCTab id is ``FILE-N`` for ES&S (the file name and the ballot's 1-based
position among the file's data rows), ``FILE(ID)`` for CDF (the file name
and the CVR's ``BallotPrePrintedId``) and ``TABULATOR-BATCH-RECORD`` for
Dominion; in the JSON it is sanitised (every character but ``A-Za-z0-9_-.``
becomes ``_``). The vendor id is the ES&S id column, the CDF
``BallotPrePrintedId`` or the Dominion ``RecordId``. The contest is
``contest-001``, the election ``election-001``, the election-scope
``GpUnit`` ``gpu-election`` (named by ``contestJurisdiction``), each
precinct a ``GpUnit`` ``gpu-N`` numbered in the iteration order of a Java
``HashSet`` of precinct names (``java_hash_set_order``), and a candidate
``c-NAME`` with selection ``cs-NAME`` (the sanitised name in lower case),
sorted by name; ``overvote`` is added as a candidate when a source has an
``overvoteLabel``. A CVR's selections keep the codes its source wrote (a
Dominion ``cs-9``, a CDF alias: RCTab resolves aliases for the CSV and the
``Election`` only), sorted by their best rank, then by code;
``BallotStyleUnitId`` (the precinct's ``gpu-N``) is written only
with ``tabulateByPrecinct``. These are what RCTab's ``ResultsWriter``
(``generateCdfJson``, ``writeRcTabCvrCsv``) does.

Per-round snapshots (:mod:`electoral.io._rctab_trace`): a selection is
allocable when the ballot's value, or part of it, is with that candidate in
that round; under RCTab's STV the parts winners kept are listed beside the
part still moving (``NumberVotes`` the whole part, ``FractionalVotes`` the
rest, as ``".9063"``). Multi-pass counts are not traced.

Limits: the records are read again from the sources (the election keeps
only unique ballots with counts), one row at a time; the artifacts' text
holds every record. ES&S (one file per source), CDF and Dominion sources
are converted; for the other providers :func:`cvr_rows` raises a
FormatError and :func:`conversion_artifacts` leaves the files out, saying
why. Because the RCTab-faithful JSON names selections by raw codes that its
``Election`` may not declare, it does not always read back;
:func:`write_cdf_cvr` writes one that does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import attrs

from electoral._model import Election
from electoral._result import Result
from electoral._text import excerpt
from electoral._ties._lots import java_hash_set_order, java_order
from electoral.errors import FormatError
from electoral.io._cdf import cdf_rows
from electoral.io._cvr import OVERVOTE, UNDECLARED_WRITE_INS, WRITE_IN, MarkSpec, Record, RecordMapper
from electoral.io._dominion import dominion_rows
from electoral.io._ess import ess_rows
from electoral.io._formats import BY_PROVIDER
from electoral.io._rctab_config import RctabContest, _Fields, _source_path, artifact_prefix
from electoral.io._rctab_trace import Trace, trace_count

__all__ = [
    "CvrRow",
    "cdf_conversion_artifacts",
    "cdf_cvr_json",
    "conversion_artifacts",
    "cvr_rows",
    "election_cdf_cvr",
    "rctab_cvr_csv",
    "write_cdf_cvr",
]

#: the providers whose records are converted
CONVERTED_PROVIDERS: Final = frozenset({"ess", "cdf", "dominion"})
#: the most rank columns a CSV CVR is written with, when maxRankingsAllowed exceeds the declared candidates
#: (RCTab accepts up to 2**31 - 1, which would be billions of cells a record)
RANK_COLUMNS_LIMIT: Final = 1000
#: RCTab's name for a rank the CSV shows as an overvote (``Tabulator.EXPLICIT_OVERVOTE_LABEL``)
EXPLICIT_OVERVOTE: Final = "overvote"
_CONTEST_ID: Final = "contest-001"
_ELECTION_ID: Final = "election-001"
_SCOPE_ID: Final = "gpu-election"
_DEVICE_ID: Final = "rd-001"
_UNSAFE: Final = re.compile(r"[^a-zA-Z0-9_\-.]")
_HEADER: Final = (
    "Source Filepath",
    "CVR Provider",
    "Contest Id",
    "RCTab CVR Id",
    "Tabulator Id",
    "Batch Id",
    "Vendor Id",
    "Precinct",
    "Precinct Portion",
)


@attrs.frozen
class CvrRow:
    """One cast vote record as RCTab lists it: where it came from, its ids, and its raw marks."""

    source: int  #: the index of its ``cvrFileSources`` entry
    file_path: str  #: that entry's ``filePath``, as the config writes it
    provider: str
    contest_id: str
    rctab_id: str
    tabulator: str
    batch: str
    vendor_id: str
    precinct: str
    portion: str
    record: Record


def sanitized(text: str) -> str:
    """RCTab's ``sanitizeStringForOutput``: every character but ``A-Za-z0-9_-.`` becomes ``_``.

    Java counts in UTF-16 units, so a character beyond the BMP (two units) becomes ``__``.

    >>> sanitized("L.A. Nik"), sanitized("José 🗳")
    ('L.A._Nik', 'Jos____')
    """
    return _UNSAFE.sub(lambda match: "_" * (2 if ord(match.group()) > 0xFFFF else 1), text)


def cvr_rows(contest: RctabContest) -> Iterator[CvrRow]:
    """Every record of the contest's sources, source by source, in each file's order (read again from the files)."""
    fields = _Fields(str(contest.path))
    sources = contest.config.get("cvrFileSources", [])
    max_rankings = _max_rankings(contest)
    for index, item in enumerate(sources):
        where = f"cvrFileSources[{index}]"
        provider = fields.text(item, "provider", f"{where}.provider")
        file_path = fields.text(item, "filePath", f"{where}.filePath")
        path = _source_path(contest.path.parent, file_path, BY_PROVIDER[provider], fields, f"{where}.filePath")
        contest_id = fields.text(item, "contestId", f"{where}.contestId")

        def row(
            rctab_id: str,
            record: Record,
            ids: Mapping[str, str],
            *,
            at: tuple[int, str, str] = (index, file_path, provider),
        ) -> CvrRow:
            return _row(*at, rctab_id, record, ids)

        if provider == "ess":
            if path.is_dir():
                raise FormatError(f"{where}: converting a folder of ES&S files is not supported", source=fields.source)
            first_row = fields.integer(item, "firstVoteRowIndex", f"{where}.firstVoteRowIndex", minimum=1)
            first_column = fields.integer(item, "firstVoteColumnIndex", f"{where}.firstVoteColumnIndex", minimum=1)
            columns: dict[str, int] = {}
            for name, key in (
                ("vendor", "idColumnIndex"),
                ("precinct", "precinctColumnIndex"),
                ("batch", "batchColumnIndex"),
            ):
                column = fields.integer(item, key, f"{where}.{key}", minimum=1)
                if column is not None:
                    columns[name] = column
            assert first_row is not None  # the config was read with them
            assert first_column is not None
            rows = ess_rows(path, first_row=first_row, first_column=first_column, ranks=max_rankings, columns=columns)
            for position, (_, record, texts) in enumerate(rows, start=1):
                yield row(f"{path.name}-{position}", record, texts)
        elif provider == "cdf":
            for position, (ballot_id, record) in enumerate(cdf_rows(path, contest=contest_id or None), start=1):
                vendor = ballot_id if ballot_id is not None else str(position)
                yield row(f"{path.name}({vendor})", record, {"vendor": vendor})
        elif provider == "dominion":
            for ids, record in dominion_rows(path, contest=contest_id):
                rctab_id = f"{ids['tabulator']}-{ids['batch']}-{ids['record']}"
                yield row(rctab_id, record, {**ids, "contest": contest_id, "vendor": ids["record"]})
        else:
            raise FormatError(
                f"{where}.provider: converting {provider} records is not supported (ess, cdf and dominion are)",
                source=fields.source,
            )


def _row(source: int, file_path: str, provider: str, rctab_id: str, record: Record, ids: Mapping[str, str]) -> CvrRow:
    return CvrRow(
        source=source,
        file_path=file_path,
        provider=provider,
        contest_id=ids.get("contest", ""),
        rctab_id=rctab_id,
        tabulator=ids.get("tabulator", ""),
        batch=ids.get("batch", ""),
        vendor_id=ids.get("vendor", ""),
        precinct=ids.get("precinct", ""),
        portion=ids.get("portion", ""),
        record=record,
    )


def _max_rankings(contest: RctabContest) -> int:
    value = contest.options.get("max_rankings")
    if isinstance(value, int):
        return value
    return len([c for c in contest.election.names if c != UNDECLARED_WRITE_INS])


def _spec(contest: RctabContest) -> MarkSpec:
    if contest.spec is None:
        raise FormatError("the contest was not read by read_rctab_config", source=str(contest.path))
    return contest.spec


def _source_labels(contest: RctabContest, source: int) -> tuple[str, str]:
    """The ``undeclaredWriteInLabel`` and ``overvoteLabel`` of one source ("" if none)."""
    item = contest.config["cvrFileSources"][source]
    return str(item.get("undeclaredWriteInLabel") or "").strip(), str(item.get("overvoteLabel") or "").strip()


def _names(raw: str, spec: MarkSpec, lookup: Mapping[str, str] | None, write_in: str) -> list[str]:
    """What one raw cell marks: names (codes, without ``lookup``), ``write_in`` or :data:`EXPLICIT_OVERVOTE`."""
    if raw == OVERVOTE:
        return [EXPLICIT_OVERVOTE]
    if raw == WRITE_IN:
        return [write_in]
    codes = raw.split(spec.overvote_delimiter) if spec.overvote_delimiter else [raw]
    names: list[str] = []
    for code in (c.strip() for c in codes):
        if spec.overvote_label is not None and code == spec.overvote_label:
            names.append(EXPLICIT_OVERVOTE)
        elif code == "" or (spec.skipped_label is not None and code == spec.skipped_label):
            if code == "" and spec.treat_blank_as_undeclared_write_in:
                names.append(write_in)
        elif spec.undeclared_write_in is not None and code == spec.undeclared_write_in:
            names.append(write_in)
        else:
            names.append(code if lookup is None else lookup.get(code, code))
    return names


def _lookup(spec: MarkSpec, election: Election) -> dict[str, str]:
    lookup = {c.name: c.name for c in election.candidates}
    lookup.update({code.strip(): name for code, name in spec.aliases.items()})
    return lookup


def _ranks(row: CvrRow, spec: MarkSpec, lookup: Mapping[str, str] | None, write_in: str, limit: int) -> list[list[str]]:
    ranks: list[list[str]] = []
    for rank in row.record[:limit]:
        ranks.append([name for raw in rank for name in _names(raw, spec, lookup, write_in)])
    return ranks


def rctab_cvr_csv(contest: RctabContest, rows: Iterable[CvrRow]) -> str:
    """RCTab's CSV CVR of the contest (``writeRcTabCvrCsv``): a header, then one line per record."""
    spec = _spec(contest)
    lookup = _lookup(spec, contest.election)
    limit = _max_rankings(contest)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*_HEADER, *(f"Rank {r}" for r in range(1, limit + 1))])
    for row in rows:
        write_in, _ = _source_labels(contest, row.source)
        ranks = _ranks(row, spec, lookup, write_in or UNDECLARED_WRITE_INS, limit)
        cells = ["\n".join(ranks[r]) if r < len(ranks) and ranks[r] else "undervote" for r in range(limit)]
        writer.writerow(
            [
                row.file_path,
                row.provider,
                row.contest_id,
                row.rctab_id,
                row.tabulator,
                row.batch,
                row.vendor_id,
                row.precinct,
                row.portion,
                *cells,
            ]
        )
    return out.getvalue()


# -- the CDF CVR JSON ----------------------------------------------------------------------


def _selection_id(name: str) -> str:
    return f"cs-{sanitized(name).lower()}"


def _candidate_id(name: str) -> str:
    return f"c-{sanitized(name).lower()}"


def _with_ranks(ranks: Sequence[Sequence[str]]) -> list[tuple[str, list[int]]]:
    """Each candidate with the ranks it was given, by its best rank, then by name (``getCandidatesWithRanksList``)."""
    given: dict[str, list[int]] = {}
    for number, names in enumerate(ranks, start=1):
        for name in names:
            given.setdefault(name, []).append(number)
    return sorted(given.items(), key=lambda item: (item[1][0], java_order(item[0])))


def _snapshot(
    cvr_id: str,
    ranks: Sequence[Sequence[str]],
    round_: int | None,
    allocated: Sequence[tuple[str, int]] = (),
    one: int = 1,
) -> dict[str, Any]:
    """One snapshot: ``original`` (``round_`` None), or round ``round_``'s, with the ballot's ``allocated`` value.

    ``allocated`` pairs a candidate with the part of the ballot it holds, in
    units of ``one``. A selection is allocable when its code *is* an
    allocated candidate's name: RCTab compares the two as they stand, so a
    selection written by an alias is never allocable (``aliases_cdf_json``:
    every selection of its second file, written by aliases, is ``no`` in
    every round). A part that is not a whole vote is written as RCTab writes
    a ``BigDecimal``: ``NumberVotes`` its whole part, ``FractionalVotes`` the
    rest (``".9063"``).
    """
    held = dict(allocated)
    places = len(str(one)) - 1
    selections = []
    for name, numbers in _with_ranks(ranks):
        value = held.get(name)
        allocable = "unknown" if round_ is None else ("no" if value is None else "yes")
        whole_votes, part = divmod(value, one) if value is not None else (1, 0)
        positions = []
        for number in numbers:
            position: dict[str, Any] = {
                "@type": "CVR.SelectionPosition",
                "HasIndication": "yes",
                "IsAllocable": allocable,
                "NumberVotes": whole_votes,
                "Rank": number,
            }
            if part:
                position["FractionalVotes"] = f".{part:0{places}d}"
            positions.append(position)
            if allocable == "yes":
                allocable = "no"  # of duplicate rankings, only the first is allocable
        selections.append(
            {
                "@type": "CVR.CVRContestSelection",
                "ContestSelectionId": _selection_id(name),
                "SelectionPosition": positions,
            }
        )
    return {
        "@id": f"ballot-{cvr_id}" if round_ is None else f"ballot-{cvr_id}-round-{round_}",
        "@type": "CVR.CVRSnapshot",
        "CVRContest": [{"@type": "CVR.CVRContest", "CVRContestSelection": selections, "ContestId": _CONTEST_ID}],
        "Type": "original" if round_ is None else "interpreted",
    }


def _election_map(contest: RctabContest) -> dict[str, Any]:
    """RCTab's Election: the candidates sorted by name, with ``overvote`` when a source has an overvote label."""
    names = list(contest.election.names)
    if any(_source_labels(contest, i)[1] for i in range(len(contest.config["cvrFileSources"]))):
        names.append(EXPLICIT_OVERVOTE)
    names.sort(key=java_order)
    return _election_of(names, _text(contest.output.get("contestName")))


def _election_of(names: Sequence[str], title: str) -> dict[str, Any]:
    return {
        "@id": _ELECTION_ID,
        "@type": "Election",
        "Candidate": [{"@id": _candidate_id(n), "Name": n} for n in names],
        "Contest": [
            {
                "@id": _CONTEST_ID,
                "@type": "CandidateContest",
                "ContestSelection": [
                    {"@id": _selection_id(n), "@type": "ContestSelection", "CandidateIds": [_candidate_id(n)]}
                    for n in names
                ],
                "Name": title,
            }
        ],
        "ElectionScopeId": _SCOPE_ID,
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def cdf_cvr_json(
    contest: RctabContest,
    rows: Iterable[CvrRow],
    trace: Trace | None = None,
    *,
    generated: datetime | None = None,
) -> dict[str, Any]:
    """The CDF CVR report of the contest's records, as a JSON-ready dict.

    With ``trace`` (the contest's count, traced), each CVR has one
    interpreted snapshot per round; without, the original snapshot only
    (RCTab's "convert to CDF").
    """
    spec = _spec(contest)
    limit = _max_rankings(contest)
    mapper = RecordMapper.of(spec, contest.election)
    ballot_of = {b.ranking: i for i, b in enumerate(contest.election.ballots)} if trace is not None else {}
    rows = list(rows)
    precincts = java_hash_set_order(list(dict.fromkeys(r.precinct for r in rows if r.precinct)))
    units = {name: f"gpu-{number}" for number, name in enumerate(precincts, start=1)}
    by_precinct = bool(contest.output.get("tabulateByPrecinct"))
    cvrs = []
    for row in rows:
        cvr_id = sanitized(row.rctab_id)
        # the CVR's selections keep the codes the source wrote (RCTab resolves aliases only for the Election)
        ranks = _ranks(row, spec, None, UNDECLARED_WRITE_INS, limit)
        snapshots = [_snapshot(cvr_id, ranks, None)]
        if trace is not None:
            chosen = trace.ballots[ballot_of[mapper.ranking(row.record)]]
            snapshots.extend(_snapshot(cvr_id, ranks, n, held, trace.one) for n, held in enumerate(chosen, start=1))
        cvr: dict[str, Any] = {
            "@type": "CVR",
            "BallotPrePrintedId": cvr_id,
            "CVRSnapshot": snapshots,
            "CurrentSnapshotId": snapshots[-1]["@id"],
            "ElectionId": _ELECTION_ID,
        }
        if by_precinct and row.precinct in units:
            cvr["BallotStyleUnitId"] = units[row.precinct]
        cvrs.append(cvr)
    jurisdiction = _text(contest.output.get("contestJurisdiction"))
    return _report(cvrs, _election_map(contest), jurisdiction, precincts, units, generated)


def _report(
    cvrs: list[dict[str, Any]],
    election: dict[str, Any],
    jurisdiction: str,
    precincts: Sequence[str],
    units: Mapping[str, str],
    generated: datetime | None,
) -> dict[str, Any]:
    when = generated if generated is not None else datetime.now(UTC)
    return {
        "@type": "CVR.CastVoteRecordReport",
        "CVR": cvrs,
        "Election": [election],
        "GeneratedDate": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "GpUnit": [
            {
                "@id": _SCOPE_ID,
                "@type": "GpUnit",
                "Name": jurisdiction,
                "OtherType": "Election Scope Jurisdiction",
                "Type": "other",
            },
            *({"@id": units[p], "@type": "GpUnit", "Name": p, "Type": "precinct"} for p in precincts),
        ],
        "ReportGeneratingDeviceIds": [_DEVICE_ID],
        "ReportingDevice": [
            {"@id": _DEVICE_ID, "@type": "CVR.ReportingDevice", "Application": "RCTab", "Manufacturer": "Bright Spots"}
        ],
        "Version": "1.0.0",
    }


def _json_text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def conversion_artifacts(
    contest: RctabContest, result: Result | None = None, *, skipped: list[str] | None = None, count: bool = True
) -> dict[str, str]:
    """The CVR conversions a tabulation of ``contest`` writes: relative path -> text.

    ``PREFIX_rctab_cvr.csv`` (RCTab converts the records to its CSV before
    every tabulation), and with ``outputSettings.generateCdfJson``
    ``PREFIX_cdf_cvr.json`` with a snapshot per round (``result``: the
    instant-runoff count, if already made). ``PREFIX`` is the config's file
    name without ``_config.json``. An artifact that cannot be made (a source
    of a provider not converted, a multi-pass count's snapshots, a CSV CVR
    with more than :data:`RANK_COLUMNS_LIMIT` rank columns and more than
    the declared candidates) is left out, and its name and the reason are
    added to ``skipped``.

    With ``count=False``, RCTab's conversion without a tabulation: the CSV
    CVR and the CDF CVR JSON with only the records' own snapshot (RCTab's
    "convert to CDF"), whatever ``generateCdfJson`` says.

    The sources are read again, a row at a time, for each artifact; only
    the artifacts' text grows with the number of records.
    """
    prefix = artifact_prefix(contest)
    files: dict[str, str] = {}
    notes: list[str] = []
    providers = {str(item.get("provider", "")).strip() for item in contest.config.get("cvrFileSources", [])}
    unsupported = sorted(providers - CONVERTED_PROVIDERS)
    csv_name, json_name = f"{prefix}_rctab_cvr.csv", f"{prefix}_cdf_cvr.json"
    columns = _max_rankings(contest)
    if unsupported:
        notes.append(f"{csv_name}: {', '.join(unsupported)} records are not converted")
    elif columns > max(RANK_COLUMNS_LIMIT, len(contest.election.candidates)):
        notes.append(
            f"{csv_name}: {columns} rank columns (maxRankingsAllowed) are more than a CSV file can usefully hold"
            f" (at most {RANK_COLUMNS_LIMIT}, or one per declared candidate)"
        )
    else:
        files[csv_name] = rctab_cvr_csv(contest, cvr_rows(contest))
    if not count:
        if not unsupported:
            files[json_name] = _json_text(cdf_cvr_json(contest, cvr_rows(contest)))
    elif contest.output.get("generateCdfJson") is True:
        if unsupported:
            notes.append(f"{json_name}: {', '.join(unsupported)} records are not converted")
        elif contest.mode == "multiPassIrv":
            notes.append(f"{json_name}: the round snapshots of a multi-pass count are not traced")
        else:
            trace = trace_count(contest.rule(), contest.election, result)
            files[json_name] = _json_text(cdf_cvr_json(contest, cvr_rows(contest), trace))
    if skipped is not None:
        skipped.extend(notes)
    return files


def cdf_conversion_artifacts(contest: RctabContest) -> dict[str, str]:
    """RCTab's "convert to CDF" of the contest's records (no tabulation): ``{"PREFIX_cdf_cvr.json": text}``."""
    return {f"{artifact_prefix(contest)}_cdf_cvr.json": _json_text(cdf_cvr_json(contest, cvr_rows(contest)))}


def election_cdf_cvr(
    election: Election, *, jurisdiction: str = "", generated: datetime | None = None
) -> dict[str, Any]:
    """A CDF CVR report of ``election``'s ballots, one CVR per voter, as a JSON-ready dict.

    Unlike RCTab's conversion, every selection is named by its candidate
    (``cs-NAME``) and the candidates keep the election's order, so that the
    report reads back (``electoral.io.read(path, contest=election.title or
    "contest")``) to the same candidates' names and the same ballots. The
    candidates' parties and the title are not read back. A name with white
    space a CDF reader collapses (a line break, a tab, two spaces, a space
    at an end), or two names with one CDF id, raise a FormatError. Ballots are numbered from 1 in the
    election's order; several candidates at one rank (an overvote) are one
    selection each at that rank, and a skipped rank leaves a gap.
    """
    ids: dict[str, str] = {}
    for candidate in election.candidates:
        name = candidate.name
        if " ".join(name.split()) != name:  # the CDF reader collapses white space: the name would come back changed
            raise FormatError(f"the candidate name {excerpt(name)} has white space that a CDF reader collapses")
        other = ids.setdefault(_selection_id(name), name)
        if other != name:
            raise FormatError(
                f"candidates {excerpt(other)} and {excerpt(name)} share the CDF id {excerpt(_selection_id(name))}"
            )
    names = list(election.names)
    cvrs = []
    number = 0
    for ballot in election.ballots:
        if ballot.scores is not None:
            raise FormatError(f"a CDF CVR holds rankings, not the scores of {str(ballot)!r}")
        ranks = [sorted((c.name for c in rank), key=java_order) for rank in ballot.ranking]
        for _ in range(ballot.count):
            number += 1
            snapshot = _snapshot(str(number), ranks, None)
            cvrs.append(
                {
                    "@type": "CVR",
                    "BallotPrePrintedId": str(number),
                    "CVRSnapshot": [snapshot],
                    "CurrentSnapshotId": snapshot["@id"],
                    "ElectionId": _ELECTION_ID,
                }
            )
    return _report(cvrs, _election_of(names, election.title or "contest"), jurisdiction, [], {}, generated)


def write_cdf_cvr(source: Election | RctabContest, path: str | Path) -> Path:
    """Write an election's ballots (or an RCTab contest's) as a CDF CVR JSON file; return the path written.

    The file reads back to an equal election (:func:`election_cdf_cvr`).
    It is written all or nothing, through a temporary file beside ``path``.
    """
    from electoral.io._files import write_files

    if isinstance(source, RctabContest):
        election = source.election
        jurisdiction = _text(source.output.get("contestJurisdiction"))
    elif isinstance(source, Election):
        election, jurisdiction = source, ""
    else:
        raise FormatError(f"write_cdf_cvr takes an Election or an RctabContest, not {type(source).__name__}")
    (written,) = write_files([(Path(path), _json_text(election_cdf_cvr(election, jurisdiction=jurisdiction)))])
    return written
