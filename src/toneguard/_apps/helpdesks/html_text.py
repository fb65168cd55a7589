"""Plain text from the HTML bodies help desks store, so spans and examples read as the customer saw them.

Blocks and ``<br>`` become line breaks, list items get a dash, entities are
decoded, and ``<style>``/``<script>`` vanish. Quoted history (``<blockquote>``,
Gmail's and Outlook's quote containers) is kept as ``> `` lines, which the
analysis already knows to leave out. Text with no markup comes back unchanged.

>>> html_to_text("<p>Hi Sam,</p><p>Fixed &amp; tested.</p>")
'Hi Sam,\\n\\nFixed & tested.'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--")
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"})
_HIDDEN = frozenset({"style", "script", "head", "title", "template"})
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "zd-quote", "freshdesk_quote", "quoted-text")
_QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def looks_like_html(text: str) -> bool:
    return bool(_MARKUP.search(text))


def html_to_text(text: str) -> str:
    """The text a reader sees in ``text``; text without markup is returned as it is."""
    if not looks_like_html(text):
        return text
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[tuple[str, bool]] = []
        self._line: list[str] = []
        self._line_quoted = False
        self._hidden = 0
        self._pre = 0
        # One entry per open element: was it a quote container? Closing tags pop back to their element.
        self._open: list[tuple[str, bool]] = []

    @property
    def _quoted(self) -> bool:
        return any(quote for _, quote in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._break()
            return
        if tag in _HIDDEN:
            self._hidden += 1
        if tag == "pre":
            self._pre += 1
        if tag in _BLOCKS:
            self._break(blank=tag in _PARAGRAPHS)
        self._open.append((tag, tag == "blockquote" or _is_quote_container(attrs)))
        if tag == "li":
            self._write("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(name == tag for name, _ in self._open):
            return
        while self._open:
            name, _ = self._open.pop()
            if name in _HIDDEN:
                self._hidden -= 1
            if name == "pre":
                self._pre -= 1
            if name == tag:
                break
        if tag in _BLOCKS:
            self._break(blank=tag in _PARAGRAPHS)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._pre:
            for index, part in enumerate(data.split("\n")):
                if index:
                    self._break()
                self._write(part)
            return
        self._write(_WHITESPACE.sub(" ", data))

    def _write(self, data: str) -> None:
        if not data:
            return
        if not self._line and not self._pre:
            data = data.lstrip(" ")
            if not data:
                return
        self._line.append(data)
        self._line_quoted = self._line_quoted or self._quoted

    def _break(self, blank: bool = False) -> None:
        line = "".join(self._line).rstrip()
        if line:
            self._lines.append((line, self._line_quoted))
        if blank and self._lines and self._lines[-1][0]:
            self._lines.append(("", self._quoted))
        self._line = []
        self._line_quoted = False

    def text(self) -> str:
        self._break()
        entries = self._lines
        lines = []
        for index, (line, quoted) in enumerate(entries):
            if line:
                lines.append(f"> {line}" if quoted else line)
                continue
            # A blank line stays inside a quote only between two quoted lines; elsewhere it is a plain paragraph break.
            inside = quoted and 0 < index < len(entries) - 1 and entries[index - 1][1] and entries[index + 1][1]
            if inside:
                lines.append(">")
            elif lines and lines[-1]:
                lines.append("")
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


def _is_quote_container(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if not value:
            continue
        lowered = value.lower()
        if name == "class" and any(quote in lowered.split() for quote in _QUOTE_CLASSES):
            return True
        if name == "id" and lowered in _QUOTE_IDS:
            return True
    return False
