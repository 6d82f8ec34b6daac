"""The self-contained HTML report (electoral.report): content, escaping, accessibility, provenance, CLI."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests._html_check import Page
from tests.rctab_contest import write_contest

import electoral
import electoral.io
from electoral._registry import names
from electoral._report._text import exact, shown
from electoral.cli import main
from electoral.errors import ElectoralError, FormatError
from electoral.report import Source, html_report, rctab_sources

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOSTILE = (
    '</table></svg><script>alert("x")</script>',
    "\"><img src=x onerror='alert(1)'>",
    "A & B <!-- ]]> &amp;",
)


def burlington() -> electoral.Result:
    return electoral.tabulate(electoral.io.read(EXAMPLES / "burlington-2009.json"), "instant-runoff")


def shetland() -> electoral.Result:
    election = electoral.io.read(EXAMPLES / "shetland-2012-north-isles.blt")
    return electoral.tabulate(election, "stv", preset="scotland")


def new_zealand() -> electoral.Result:
    return electoral.tabulate(electoral.io.read(EXAMPLES / "new-zealand-2020.json"), "sainte-lague")


class Cells(HTMLParser):
    """The text of each cell of the table with a given class, row by row."""

    def __init__(self, text: str, table: str) -> None:
        super().__init__()
        self.table, self.inside, self.rows, self.cell = table, False, [], None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", self.table) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.mark.parametrize("make", [burlington, shetland, new_zealand])
def test_the_three_reports_are_well_formed_and_self_contained(make: object) -> None:
    result = make()  # type: ignore[operator]
    page = html_report(result, source=Source.of_bytes(b"x", name="in.json"))
    parsed = Page(page)
    assert parsed.problems == []
    assert parsed.doctype
    assert "<script" not in page
    assert "url(" not in page
    assert "@import" not in page
    policy = parsed.find("meta")[1]
    assert policy["http-equiv"] == "Content-Security-Policy"
    assert "default-src 'none'" in (policy["content"] or "")
    assert "@media print" in page
    assert "prefers-color-scheme:dark" in page


def _elections() -> list[electoral.Election]:
    ballots = [["A", "B", "C"]] * 4 + [["B", "C"]] * 3 + [["C", "A"]] * 2 + [["D", "C"]] * 2
    ranked = electoral.Election.from_rankings(ballots, seats=2)
    a, b, c = (electoral.Candidate(x) for x in "ABC")
    scored = electoral.Election(
        [a, b, c],
        [electoral.Ballot(scores={a: 5, b: 3, c: 0}, count=3), electoral.Ballot(scores={a: 0, b: 4}, count=2)],
    )
    approved = electoral.Election.from_rankings([["A=B"], ["B"], ["C=A"], ["A"]])
    return [ranked, ranked.with_seats(1), scored, approved]


@pytest.mark.parametrize("rule", names())
def test_every_rule_gives_a_well_formed_report(rule: str) -> None:
    for election in _elections():
        try:
            result = electoral.tabulate(election, rule)
        except ElectoralError:
            continue
        page = html_report(result)
        assert Page(page).problems == []
        assert all(f"{c.name}</th>" in page for c in result.winners)
        return
    pytest.fail(f"{rule} counted none of the test elections")


def test_every_table_has_a_caption_and_scoped_headers() -> None:
    page = html_report(burlington(), source=Source.of_bytes(b"x", name="in.json"))
    tables = page.count("<table")
    assert tables >= 4
    assert page.count("<caption>") == tables
    headers = re.findall(r"<th\b[^>]*>", page)
    assert headers
    assert all("scope=" in h for h in headers)


def test_the_chart_is_labelled_for_assistive_technology() -> None:
    page = html_report(shetland())
    parsed = Page(page)
    (svg,) = parsed.find("svg")
    assert svg["role"] == "img"
    ids = {a.get("id") for _, a in parsed.tags}
    labels = (svg["aria-labelledby"] or "").split()
    assert len(labels) == 2
    assert all(label in ids for label in labels)
    assert parsed.find("desc")
    assert parsed.find("title")


def test_the_round_table_shows_every_tally_of_the_result() -> None:
    result = burlington()
    rows = Cells(html_report(result), "rounds").rows
    header, body = rows[0], {row[0]: row[1:] for row in rows[1:]}
    assert header[1:] == [f"Round {r.number}" for r in result.rounds]
    for candidate in result.election.candidates:
        for r, cell in zip(result.rounds, body[candidate.name], strict=True):
            if candidate in r.tally:
                assert cell.split("elected")[0].split("eliminated")[0] == f"{r.tally[candidate]:,}"
            else:
                assert cell == "–"
    # the published final round (Burlington Telecom/Vermont results): Kiss 4,313 elected
    assert body["Bob Kiss"][-1] == "4,313elected"


def test_a_long_count_is_cut_into_tables_that_fit_a_page() -> None:
    names = [f"C{i:02}" for i in range(12)]
    ballots = [[name, *names[:i]] for i, name in enumerate(names) for _ in range(i + 1)]
    result = electoral.tabulate(electoral.Election.from_rankings(ballots, candidates=names), "instant-runoff")
    assert len(result.rounds) == 11
    page = html_report(result)
    captions = re.findall(r'<table class="rounds"><caption>([^<]*)</caption>', page)
    assert captions == ["Votes of each candidate, rounds 1–6", "Votes of each candidate, rounds 7–11"]
    headings = re.findall(r'<th scope="col" class="n">Round (\d+)</th>', page)
    assert headings == [str(n) for n in range(1, 12)]


def test_every_transfer_is_a_band_with_its_exact_figure() -> None:
    result = shetland()
    page = html_report(result)
    bands = re.findall(r'<path class="band [^"]*" d="[^"]*"><title>([^<]*)</title>', page)
    for r in result.rounds[:-1]:
        for t in r.transfers:
            votes = Fraction(t.votes)
            digits = format(Decimal(votes.numerator) / Decimal(votes.denominator), "f")
            if t.target is not None:
                title = f"{t.source.name} → {t.target.name}, round {r.number} to {r.number + 1}: {digits} votes"
                assert title in bands


def test_party_lists_get_a_votes_and_seats_chart() -> None:
    result = new_zealand()
    page = html_report(result)
    titles = re.findall(r'<path class="band [^"]*" d="[^"]*"><title>([^<]*)</title>', page)
    assert result.seats is not None
    assert len(titles) == sum(1 for n in result.seats.values() if n)
    assert "Labour: 1,443,545 votes, 60 seats" in titles
    assert '<td class="n">120</td></tr></tfoot>' in page  # the seats table's total


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_cannot_break_the_page(name: str) -> None:
    election = electoral.Election.from_rankings(
        [[name, "Bo"], [name], ["Bo", "Cy"], ["Cy", name]], candidates=[name, "Bo", "Cy"], title=name
    )
    page = html_report(electoral.tabulate(election, "instant-runoff"), source=Source.of_bytes(b"", name=name))
    parsed = Page(page)
    assert parsed.problems == []
    assert name in parsed.all_text()


def test_control_characters_and_lone_surrogates_become_replacement_characters() -> None:
    election = electoral.Election.from_counts({"Ada": 3, "Bo": 2})
    page = html_report(electoral.tabulate(election, "plurality"), title="x\x00y\x1b\ud800z")
    assert "x\ufffdy\ufffd\ufffdz" in page
    page.encode("utf-8")


def test_ties_are_listed_with_how_each_was_broken() -> None:
    election = electoral.Election.from_counts({"Ada": 2, "Bo": 2, "Cy": 1})
    result = electoral.tabulate(election, "plurality", tie_break="lot", seed=7)
    assert result.ties
    rows = Cells(html_report(result), "ties").rows
    tie = result.ties[0]
    assert rows[1][:6] == [
        str(tie.round),
        tie.decision,
        ", ".join(c.name for c in tie.candidates),
        str(tie.places),
        tie.policy,
        ", ".join(c.name for c in tie.chosen),
    ]
    assert "No tie had to be broken" in html_report(burlington())


def test_the_rule_configuration_lists_every_option_and_the_preset() -> None:
    result = shetland()
    rows = Cells(html_report(result), "options").rows[1:]
    options = result.rule.to_dict()["options"]
    assert rows[0] == ["preset", "scotland"]
    assert {row[0] for row in rows} == {"preset" if k == "preset_name" else k for k in options}


def test_a_source_is_hashed_from_the_file_bytes(tmp_path: Path) -> None:
    path = EXAMPLES / "burlington-2009.json"
    source = Source.of_file(path, role="election", name="burlington-2009.json")
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.size == path.stat().st_size
    page = html_report(burlington(), source=source)
    assert source.sha256 in page
    assert "burlington-2009.json" in page
    assert electoral.__version__ in page


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils' sha256sum as the oracle")
def test_a_folder_digest_is_what_sha256sum_gives_for_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "cvr"
    (folder / "b").mkdir(parents=True)
    (folder / "a.xml").write_bytes(b"<a/>")
    (folder / "b" / "c.xml").write_bytes(b"<c/>\n")
    (folder / "B.xml").write_bytes(b"upper")
    script = "find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum"
    expected = subprocess.run(["sh", "-c", script], cwd=folder, capture_output=True, text=True, check=True)
    source = Source.of_file(folder)
    assert source.sha256 == expected.stdout.split()[0]
    assert (source.files, source.size) == (3, 4 + 5 + 5)


def test_bad_sources_raise_electoral_errors(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot hash"):
        Source.of_file(tmp_path / "missing.json")
    with pytest.raises(FormatError, match="file path or a Source"):
        Source.of_file(3)  # type: ignore[arg-type]
    with pytest.raises(ElectoralError, match="needs a Result"):
        html_report("not a result")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Fraction(1, 3), Fraction(-2, 3), Fraction(751146, 100000), Fraction(10**7 + 1, 8)])
def test_figures_are_rounded_half_even_for_show_and_exact_in_tooltips(value: Fraction) -> None:
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    assert shown(value) == f"{decimal.quantize(Decimal('0.00001')):,}"
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest == 1:  # a terminating decimal is exact in full
        assert exact(value) == f"{decimal:,f}"
    else:
        assert exact(value) == ("-" if value < 0 else "") + f"{abs(value.numerator)}/{value.denominator}"


def _parse_exact(text: str) -> Fraction:
    whole, _, part = text.replace(",", "").partition(" ")
    if "/" in whole:
        whole, part = "0", whole
    if not part:
        return Fraction(Decimal(whole))
    numerator, _, denominator = part.partition("/")
    sign = -1 if whole.startswith("-") else 1
    return Fraction(int(whole)) + sign * Fraction(int(numerator), int(denominator))


@pytest.mark.parametrize("transfer", ["gregory", "meek"])
def test_a_rounded_figure_carries_its_exact_value(transfer: str) -> None:
    election = electoral.Election.from_rankings(
        [["A", "B"]] * 5 + [["B", "C"]] * 2 + [["C", "A"]] * 3 + [["A", "C"]] * 2, seats=2
    )
    result = electoral.tabulate(election, "stv", transfer=transfer, decimal_places=None)
    tips = re.findall(r'<td class="n[^"]*" title="([^"]*)"[^>]*>([^<]*)<', html_report(result))
    assert tips, "the count has figures with more than five decimals"
    figures = {Fraction(t.votes) for r in result.rounds for t in r.transfers}
    for r in result.rounds:
        figures.update(Fraction(v) for v in (*r.tally.values(), *r.set_aside.values(), r.continuing))
    for tip, text in tips:
        value = _parse_exact(tip)
        assert value in figures
        assert text == shown(value)


def test_cli_tabulate_writes_the_html_report(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "burlington-2009.json"
    assert main(["tabulate", str(path), "--rule", "instant-runoff", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert Page(out).problems == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() in out
    assert "Bob Kiss" in out
    assert "instant-runoff" in out


def test_cli_tabulate_names_the_runoff_file_too(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = EXAMPLES / "france-2022-round1.json", EXAMPLES / "france-2022-round2.json"
    status = main(["tabulate", str(first), "--rule", "two-round", "--runoff", str(second), "--format", "html"])
    out = capsys.readouterr().out
    assert status == 0
    for path in (first, second):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in out
    assert "<td>runoff</td>" in out


def test_cli_tabulate_html_of_bundled_examples_hashes_their_files(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = EXAMPLES / "france-2022-round1.json", EXAMPLES / "france-2022-round2.json"
    argv = ["tabulate", "example:france-2022-round1", "--runoff", "example:france-2022-round2"]
    assert main([*argv, "--rule", "two-round", "--format", "html"]) == 0
    out = capsys.readouterr().out
    for path, name in ((first, "example:france-2022-round1"), (second, "example:france-2022-round2")):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in out
        assert name in out


def test_cli_tabulate_html_error_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "burlington-2009.json"
    assert main(["tabulate", str(path), "--rule", "no-such-rule", "--format", "html"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1


def test_cli_rctab_writes_html_with_the_config_and_cvr_hashes(tmp_path: Path) -> None:
    config = write_contest(tmp_path / "contest")
    out = tmp_path / "report.html"
    assert main(["rctab", str(config), "--html", str(out), "--json", str(tmp_path / "r.json")]) == 0
    page = out.read_text(encoding="utf-8")
    assert Page(page).problems == []
    for path in (config, tmp_path / "contest" / "cvr.csv"):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in page
    assert "<td>CVR (genericCsv)</td>" in page
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    winner = report["results"][-1]["tallyResults"][0].get("elected") if report.get("results") else None
    assert winner is None or winner in page


def test_cli_rctab_html_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_contest(tmp_path / "contest")
    out = tmp_path / "report.html"
    status = main(["rctab", str(config), "--html", str(out), "--csv", str(tmp_path / "missing" / "r.csv")])
    assert status == 2
    assert not out.exists()
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["rctab", str(config), "--html", " "]) == 2


def test_rctab_sources_follow_the_config(tmp_path: Path) -> None:
    config = write_contest(tmp_path / "c", file_path="cvr.csv")
    sources = rctab_sources(config, json.loads(config.read_text(encoding="utf-8")))
    assert [(s.role, s.name) for s in sources] == [("RCTab config", str(config)), ("CVR (genericCsv)", "cvr.csv")]
