"""XML is read safely: no document type in any encoding, bounded depth, values and elements; regular files only.

Real documents (a CDF XML report, a Hart CVR, the parts of an ES&S
workbook) are given a document type declaration (an internal entity,
billion laughs, an external entity, a parameter entity, an external DTD) and
re-encoded: UTF-8 with and without a byte-order mark, UTF-16 little- and
big-endian with and without one, UTF-32, and single-byte code pages named
by an ``encoding=`` declaration. Each must be refused with a FormatError
that says the XML declares a document type and names the file (and, for an
xlsx, the part), showing none of the entity's text; UTF-32, which expat
cannot read, must still be a clean FormatError. Without the declaration,
each re-encoded document must read as its UTF-8 original does.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import electoral.io._xml as _xml
from conftest import SHARED
from electoral.errors import FormatError
from electoral.io._cdf import read_cdf_table
from electoral.io._ess import read_ess_table
from electoral.io._hart import read_hart_table
from electoral.io._xml import MAX_DEPTH, MAX_TEXT, iter_xml

RCTAB = SHARED / "conformance" / "rctab"
CDF = RCTAB / "nist_xml_cdf_2" / "nist_xml_cdf_2.xml"
CDF_CONTEST = "For Governor and Lieutenant Governor"
HART = RCTAB / "_shared" / "hart_cvr_archive" / "1_0e4cb797-392c-4e64-9034-94694bf97419.xml"
HART_CONTEST = "b651b997-417a-46d9-a676-a43d4df94ddc"
XLSX = RCTAB / "aliases_ess_xlsx" / "aliases_ess_xlsx_cvr.xlsx"

pytestmark = pytest.mark.skipif(
    not (CDF.is_file() and HART.is_file() and XLSX.is_file()),
    reason=f"RCTab's conformance suite not found under {RCTAB}; set ELECTORAL_SHARED to the shared folder",
)

INJECTED = "Injected Name"
DOCTYPES = {
    "internal": f'<!DOCTYPE r [<!ENTITY e "{INJECTED}">]>',
    "laughs": '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>",
    "xxe": '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "parameter": '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>',
    "external": '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">',
    "bare": "<!DOCTYPE r>",
}
# (declared encoding, codec, byte-order mark): every way expat reads a document, and UTF-32, which it cannot
ENCODINGS = {
    "utf-8": ("UTF-8", "utf-8", b""),
    "utf-8-bom": ("UTF-8", "utf-8", b"\xef\xbb\xbf"),
    "utf-16le-bom": ("UTF-16", "utf-16-le", b"\xff\xfe"),
    "utf-16be-bom": ("UTF-16", "utf-16-be", b"\xfe\xff"),
    "utf-16le": ("UTF-16LE", "utf-16-le", b""),
    "utf-16be": ("UTF-16BE", "utf-16-be", b""),
    "windows-1252": ("windows-1252", "cp1252", b""),
    "latin-1": ("ISO-8859-1", "latin-1", b""),
    "utf-32": ("UTF-32", "utf-32-le", b"\xff\xfe\x00\x00"),
    "utf-32be": ("UTF-32BE", "utf-32-be", b""),
}
_DECLARATION = re.compile(r"^\ufeff?<\?xml[^>]*\?>")


def encode(text: str, encoding: str, doctype: str | None = None) -> bytes:
    """``text`` (an XML document) declared in ``encoding``, encoded so, with ``doctype`` after the declaration."""
    declared, codec, bom = ENCODINGS[encoding]
    body = _DECLARATION.sub("", text)
    head = f'<?xml version="1.0" encoding="{declared}"?>' + (doctype or "")
    return bom + (head + body).encode(codec)


def _with_entity(text: str, doctype: str) -> str:
    """Reference the declared entity where a name is (so that an expanded entity would show)."""
    if "ENTITY e " in doctype:
        return re.sub(r"<((?:\w+:)?Name)>[^<]*</", r"<\1>&e;</", text, count=1)
    if "ENTITY i " in doctype:
        return re.sub(r"<((?:\w+:)?Name)>[^<]*</", r"<\1>&i;</", text, count=1)
    return text


def assert_refused(read: Callable[[], object], *names: str, encoding: str) -> None:
    with pytest.raises(FormatError) as caught:
        read()
    message = str(caught.value)
    for name in names:
        assert name in message
    assert INJECTED not in message
    assert "root:" not in message
    assert "\n" not in message
    if not encoding.startswith("utf-32"):
        assert "document type" in message


# -- CDF XML and Hart ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("doctype", sorted(DOCTYPES))
def test_cdf_xml_with_a_document_type_is_refused(tmp_path: Path, encoding: str, doctype: str) -> None:
    text = _with_entity(CDF.read_text(encoding="utf-8"), DOCTYPES[doctype])
    path = tmp_path / "report.xml"
    path.write_bytes(encode(text, encoding, DOCTYPES[doctype]))
    assert_refused(lambda: read_cdf_table(path, contest=CDF_CONTEST), "report.xml", encoding=encoding)


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("doctype", sorted(DOCTYPES))
def test_hart_xml_with_a_document_type_is_refused(tmp_path: Path, encoding: str, doctype: str) -> None:
    text = _with_entity(HART.read_text(encoding="utf-8-sig"), DOCTYPES[doctype])
    folder = tmp_path / "cvrs"
    folder.mkdir()
    (folder / "a.xml").write_bytes(encode(text, encoding, DOCTYPES[doctype]))
    assert_refused(lambda: read_hart_table(folder, contest=HART_CONTEST), "a.xml", encoding=encoding)


@pytest.mark.parametrize("encoding", [e for e in sorted(ENCODINGS) if not e.startswith("utf-32")])
def test_re_encoded_documents_without_a_document_type_read_as_the_original(tmp_path: Path, encoding: str) -> None:
    report = tmp_path / "report.xml"
    report.write_bytes(encode(CDF.read_text(encoding="utf-8"), encoding))
    assert read_cdf_table(report, contest=CDF_CONTEST).records == read_cdf_table(CDF, contest=CDF_CONTEST).records
    folder = tmp_path / "cvrs"
    folder.mkdir()
    (folder / "a.xml").write_bytes(encode(HART.read_text(encoding="utf-8-sig"), encoding))
    expected = read_hart_table(HART, contest=HART_CONTEST)
    assert read_hart_table(folder, contest=HART_CONTEST).records == expected.records


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32be"])
def test_utf32_which_expat_cannot_read_is_a_clean_format_error(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "report.xml"
    path.write_bytes(encode(CDF.read_text(encoding="utf-8"), encoding))
    with pytest.raises(FormatError, match=r"report\.xml"):
        read_cdf_table(path, contest=CDF_CONTEST)


def test_declared_encodings_python_cannot_map_are_format_errors(both_ways: str) -> None:
    for name in ("base64", "rot13", "utf-7", "shift_jis", "no-such-codec", "undefined"):
        document = f'<?xml version="1.0" encoding="{name}"?><a/>'.encode()
        with pytest.raises(FormatError, match=r"x\.xml"):
            list(iter_xml(io.BytesIO(document), "x.xml"))


def test_the_refusal_stops_the_parser_at_the_declaration() -> None:
    # a billion laughs referenced a million times: refused at once, nothing expanded
    laughs = DOCTYPES["laughs"]
    document = encode("<r>" + "&i;" * 1_000_000 + "</r>", "utf-16le-bom", laughs)
    with pytest.raises(FormatError, match="document type"):
        list(iter_xml(io.BytesIO(document), "x.xml"))


# -- the parts of an xlsx -------------------------------------------------------------------


def _xlsx_with(tmp_path: Path, part: str, data: bytes) -> Path:
    target = tmp_path / "cvr.xlsx"
    with zipfile.ZipFile(XLSX) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, data if info.filename == part else source.read(info))
    return target


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("doctype", ["internal", "laughs", "xxe", "parameter"])
def test_xlsx_parts_with_a_document_type_are_refused(tmp_path: Path, part: str, encoding: str, doctype: str) -> None:
    with zipfile.ZipFile(XLSX) as archive:
        text = archive.read(part).decode("utf-8")
    text = text.replace("<t>", "<t>&e;", 1) if "ENTITY e " in DOCTYPES[doctype] else text
    path = _xlsx_with(tmp_path, part, encode(text, encoding, DOCTYPES[doctype]))
    assert_refused(lambda: read_ess_table(path, first_column=2, ranks=3), "cvr.xlsx", part, encoding=encoding)
    assert_refused(lambda: read_ess_table(path, first_column=2), "cvr.xlsx", part, encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-16le-bom", "utf-16be", "windows-1252", "utf-8-bom"])
def test_re_encoded_xlsx_parts_read_as_the_original(tmp_path: Path, encoding: str) -> None:
    expected = read_ess_table(XLSX, first_column=2, ranks=3).records
    for part in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"):
        with zipfile.ZipFile(XLSX) as archive:
            text = archive.read(part).decode("utf-8")
        path = _xlsx_with(tmp_path, part, encode(text, encoding))
        assert read_ess_table(path, first_column=2, ranks=3).records == expected
        assert read_ess_table(path, first_column=2, ranks=3, force_parser=True).records == expected


# -- bounds ---------------------------------------------------------------------------------


def _elements(document: bytes, tags: tuple[str, ...] = ()) -> list[str]:
    return [element.tag for element in iter_xml(io.BytesIO(document), "x.xml", tags=tags)]


@pytest.fixture(params=["streamed", "small"])
def both_ways(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Documents read both ways: streamed by the handlers, and (when small) built whole by ElementTree."""
    if request.param == "streamed":
        monkeypatch.setattr(_xml, "SMALL", -1)
    return str(request.param)


def test_nesting_deeper_than_the_bound_is_refused(both_ways: str) -> None:
    deep = b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH
    assert len(_elements(deep)) == MAX_DEPTH
    deeper = b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1)
    with pytest.raises(FormatError, match=f"deeper than {MAX_DEPTH}"):
        _elements(deeper, tags=("nothing",))


def test_the_audits_deeply_nested_cdf_report_is_a_format_error() -> None:
    path = SHARED / "reliability" / "cdf_xml_deep_nesting.xml"
    if not path.is_file():
        pytest.skip(f"reliability reproducers not found at {path.parent}")
    with pytest.raises(FormatError, match=r"cdf_xml_deep_nesting\.xml.*deeper"):
        read_cdf_table(path, contest=CDF_CONTEST)


def test_a_text_longer_than_the_bound_is_refused_even_in_pieces() -> None:
    assert _elements(b"<a>" + b"x" * MAX_TEXT + b"</a>") == ["a"]
    with pytest.raises(FormatError, match="text of more than"):
        _elements(b"<a>" + b"x" * (MAX_TEXT + 1) + b"</a>")
    # comments and CDATA sections do not end a text; nor does not keeping it
    half = b"x" * (MAX_TEXT // 2)
    with pytest.raises(FormatError, match="text of more than"):
        _elements(b"<a>" + half + b"<!--c-->" + half + b"<![CDATA[xy]]></a>", tags=("b",))
    # whitespace counts too, and UTF-16 is counted in characters
    with pytest.raises(FormatError, match="text of more than"):
        _elements(("<a>" + " " * (MAX_TEXT + 1) + "<b/></a>").encode("utf-16"))


def test_overlong_markup_is_refused_and_long_markup_is_read() -> None:
    value = b"v" * (_xml.MAX_MARKUP // 2)
    assert _elements(b'<a x="' + value + b'"/>') == ["a"]
    with pytest.raises(FormatError, match="runs over more than"):
        _elements(b'<a x="' + b"v" * (3 * _xml.MAX_MARKUP) + b'"/>')
    with pytest.raises(FormatError, match="runs over more than"):
        _elements(b"<a><!--" + b"c" * (3 * _xml.MAX_MARKUP) + b"--></a>")


def test_kept_elements_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "SMALL", -1)  # a small document could not reach the real bounds
    monkeypatch.setattr(_xml, "MAX_KEPT_ELEMENTS", 100)
    assert len(_elements(b"<r><row>" + b"<c/>" * 99 + b"</row></r>", tags=("row",))) == 1
    with pytest.raises(FormatError, match="holds more than 100 elements"):
        _elements(b"<r><row>" + b"<c/>" * 100 + b"</row></r>", tags=("row",))
    # elements not kept are not counted
    assert _elements(b"<r>" + b"<c/>" * 1000 + b"<row/></r>", tags=("row",)) == ["row"]
    monkeypatch.setattr(_xml, "MAX_KEPT_BYTES", 1000)
    monkeypatch.setattr(_xml, "_CHUNK", 256)
    with pytest.raises(FormatError, match="spans more than 1,000 bytes"):
        _elements(b"<r><row>" + b"<v>1</v>" * 50 + b"<v>" + b"2" * 2000 + b"</v></row></r>", tags=("row",))


def test_whitespace_between_elements_is_not_kept(both_ways: str) -> None:
    document = b"<r>\n  <row>\n    <c>1</c>\n    <c> 2 </c>\n  </row>\n  <row/>\n</r>"
    rows = list(iter_xml(io.BytesIO(document), "x.xml", tags=("row",)))
    assert [len(row) for row in rows] == [2, 0]
    assert [c.text for c in rows[0]] == ["1", " 2 "]
    if both_ways == "streamed":
        assert all(c.tail is None for c in rows[0])
        assert all(row.tail is None for row in rows)


def test_names_are_given_in_elementtree_form(both_ways: str) -> None:
    document = b'<r xmlns="urn:a" xmlns:b="urn:b"><b:s b:id="1" id="2">t</b:s></r>'
    (element,) = iter_xml(io.BytesIO(document), "x.xml", tags=("s",))
    assert element.tag == "{urn:b}s"
    assert element.attrib == {"{urn:b}id": "1", "id": "2"}
    assert element.text == "t"


def test_malformed_xml_names_the_line_and_column(both_ways: str) -> None:
    with pytest.raises(FormatError, match=r"x\.xml, line 2: malformed XML: mismatched tag \(column \d+\)"):
        _elements(b"<a>\n<b></a>")


# -- folders of Hart CVRs: regular files only ------------------------------------------------


def _hart_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cvrs"
    folder.mkdir()
    shutil.copy(HART, folder / "a.xml")
    return folder


def test_a_link_to_another_file_shows_nothing_of_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = _hart_folder(tmp_path)
    os.symlink(secret, folder / "zz.xml")
    with pytest.raises(FormatError, match=r"zz\.xml") as caught:
        read_hart_table(folder, contest=HART_CONTEST)
    assert "root:" not in str(caught.value)
    assert "/bin/bash" not in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_the_folder_is_refused_by_name_without_waiting(tmp_path: Path) -> None:
    folder = _hart_folder(tmp_path)
    os.mkfifo(folder / "zz.xml")
    with pytest.raises(FormatError, match=r"zz\.xml.*FIFO"):
        read_hart_table(folder, contest=HART_CONTEST)


def test_a_folder_named_like_a_cvr_is_refused_by_name(tmp_path: Path) -> None:
    folder = _hart_folder(tmp_path)
    (folder / "b.xml").mkdir()
    with pytest.raises(FormatError, match=r"b\.xml.*folder"):
        read_hart_table(folder, contest=HART_CONTEST)


def test_cdf_xml_given_a_fifo_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(tmp_path / "report.xml")
    with pytest.raises(FormatError, match=r"report\.xml.*FIFO"):
        read_cdf_table(tmp_path / "report.xml", contest=CDF_CONTEST)
