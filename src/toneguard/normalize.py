"""Hides what is not the agent's own prose, keeping every character offset.

Quoted history, signatures, HTML markup, code and log lines, URLs, e-mail
addresses, handles, file paths and ticket numbers are replaced by spaces (line
breaks are kept), so the masked text has the same length as the original and a
span found in one points at the same characters in the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_START = re.compile(r"^", re.MULTILINE)

# Everything from one of these lines to the end of the text is earlier correspondence.
_HISTORY_START = re.compile(
    r"^[ \t]*(?:"
    r"On [^\n]{1,200}wrote:[ \t]*$"
    r"|-{2,}[ \t]*(?:Original|Forwarded) Message[ \t]*-{2,}"
    r"|From:[ \t]+[^\n]+\n[ \t]*(?:Sent|Date):"
    r"|_{8,}[ \t]*$"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
# A conventional signature delimiter ("-- ") or a mobile footer ends the prose.
_SIGNATURE_START = re.compile(
    r"^(?:--[ \t]?$|Sent from my [^\n]{1,40}$|Get Outlook for [^\n]{1,40}$)", re.MULTILINE
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
_FENCED_CODE = re.compile(r"^[ \t]*```[^\n]*\n.*?(?:^[ \t]*```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]{1,500}`")
_LOG_LINE = re.compile(
    r"^[ \t]*(?:"
    r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}[^\n]*"  # timestamped log line
    r"|\[?(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL)\]?[ :][^\n]*"  # level-prefixed line
    r"|Traceback \(most recent call last\):[^\n]*"
    r"|at [\w$.<>]+\([^\n]*\)[ \t]*"  # Java/.NET stack frame
    r"|File \"[^\n]+\", line \d+[^\n]*"  # Python stack frame
    r"|[A-Za-z_][\w.]*(?:Error|Exception): [^\n]*"
    r")$",
    re.MULTILINE,
)
_HTML_DROP_BLOCK = re.compile(r"<(style|script|head)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BREAK_TAG = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote)\b[^>]{0,500}>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]{0,2000}>|<!--.*?-->", re.DOTALL)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,10});")
_ENTITY_CHARS = {"&amp;": "&", "&#39;": "'", "&apos;": "'", "&rsquo;": "'", "&quot;": '"'}
_NOT_PROSE_INLINE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"  # URLs
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"  # e-mail addresses
    r"|(?<![\w@])@\w{1,30}"  # handles
    r"|\b[A-Za-z]:\\[^\s]*"  # Windows paths
    r"|(?<![\w/])(?:~|\.{1,2})?/(?:[\w.-]+/)+[\w.-]*"  # POSIX paths with two or more parts
    r"|\b(?:INC|REQ|RITM|CHG|PRB|TKT|CASE)[-#]?\d{3,}\b"  # ticket numbers
    r"|(?<!\w)#\d{3,}\b"
    r"|(?:^|(?<=\s))(?:[\^*~]\s?|[-\u2013\u2014])[A-Za-z][A-Za-z.]{0,24}(?=\s|$)"  # agent sign-offs: ^JK, *AFC, -Tara
    r"|(?<=\s)[-=~\u2013\u2014]\s?[A-Z]{1,4}\s*\Z"  # a closing "- NS" or "= JJ"
    r"|(?<![\w&])#[A-Za-z]\w{0,60}"  # hashtags
)
_SILENCE_MARKER = re.compile(r"<!--\s*toneguard\s+(off|on)\b\s*(?::\s*([\w\s,]+?))?\s*-->", re.IGNORECASE)


@dataclass(frozen=True)
class Silenced:
    """A span where findings are dropped: all of them, or only the named rule ids/categories."""

    start: int
    end: int
    only: frozenset[str] | None

    def covers(self, start: int, end: int, rule_id: str, category: str) -> bool:
        if end <= self.start or start >= self.end:
            return False
        return self.only is None or rule_id in self.only or category in self.only


@dataclass(frozen=True)
class NormalizedText:
    original: str
    masked: str
    silenced: tuple[Silenced, ...]

    def is_silenced(self, start: int, end: int, rule_id: str, category: str) -> bool:
        return any(region.covers(start, end, rule_id, category) for region in self.silenced)


def normalize(text: str) -> NormalizedText:
    chars = list(text)
    silenced = _silenced_regions(text)
    for marker in _SILENCE_MARKER.finditer(text):
        _blank(chars, marker.start(), marker.end())
    _mask_html(text, chars)
    for pattern in (_FENCED_CODE, _INLINE_CODE, _LOG_LINE, _QUOTED_LINE, _NOT_PROSE_INLINE):
        for match in pattern.finditer(text):
            _blank(chars, match.start(), match.end())
    cut = _prose_end(text)
    _blank(chars, cut, len(text))
    return NormalizedText(text, "".join(chars), silenced)


def _prose_end(text: str) -> int:
    ends = [len(text)]
    for pattern in (_HISTORY_START, _SIGNATURE_START):
        match = pattern.search(text)
        if match:
            ends.append(match.start())
    return min(ends)


def _mask_html(text: str, chars: list[str]) -> None:
    for match in _HTML_DROP_BLOCK.finditer(text):
        _blank(chars, match.start(), match.end())
    for match in _HTML_TAG.finditer(text):
        _blank(chars, match.start(), match.end())
    # Block tags end a sentence in the rendered page, so they end one here too.
    for match in _HTML_BREAK_TAG.finditer(text):
        chars[match.start()] = "\n"
    for match in _HTML_ENTITY.finditer(text):
        _blank(chars, match.start(), match.end())
        # The character goes last so "it&#39;s" reads "it    's" and still tokenizes as it + 's.
        chars[match.end() - 1] = _ENTITY_CHARS.get(match.group(0).lower(), " ")


def _silenced_regions(text: str) -> tuple[Silenced, ...]:
    regions = []
    open_at: int | None = None
    open_only: frozenset[str] | None = None
    for marker in _SILENCE_MARKER.finditer(text):
        if marker.group(1).lower() == "off" and open_at is None:
            open_at = marker.end()
            names = marker.group(2)
            open_only = frozenset(n.strip() for n in names.split(",") if n.strip()) if names else None
        elif marker.group(1).lower() == "on" and open_at is not None:
            regions.append(Silenced(open_at, marker.start(), open_only))
            open_at = None
    if open_at is not None:
        regions.append(Silenced(open_at, len(text), open_only))
    return tuple(regions)


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "
