"""A strict well-formedness check for the HTML the library writes (the report, notebook HTML), on html.parser."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source"})
#: every element the report may write (SVG's are lower-cased by the parser)
ALLOWED = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "footer",
        "section",
        "h1",
        "h2",
        "p",
        "strong",
        "dl",
        "dt",
        "dd",
        "div",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "span",
        "ol",
        "li",
        "pre",
        "code",
        "figure",
        "svg",
        "desc",
        "g",
        "rect",
        "path",
        "text",
        "tspan",
        "line",
    ]
)


class Page(HTMLParser):
    """Parses a page and records its problems: unbalanced or unknown tags, event handlers, external links."""

    def __init__(self, text: str, *, allowed: frozenset[str] | None = ALLOWED) -> None:
        """Parse ``text``; ``allowed`` is the elements it may use (None: any)."""
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.doctype = False
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self.allowed is not None and tag not in self.allowed:
            self.problems.append(f"unexpected element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("src", "href") or (value and "://" in value and name != "xmlns"):
                self.problems.append(f"a reference out of the page: {name}={value!r}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack[-1:] != ["style"]:  # the text a reader sees, not the stylesheet
            self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]
