"""Hides what is not the agent's own prose, keeping every character offset.

Quoted history, signatures and legal footers, HTML markup, code and log lines,
URLs, e-mail addresses, handles, file paths and ticket numbers are replaced by
spaces (line breaks are kept), so the masked text has the same length as the
original and a span found in one points at the same characters in the other.

Every pattern here runs in linear time on any input: repeated parts are
separated by characters they cannot share, each search that could scan far is
bounded or anchored to a line start, and HTML blocks that need a matching
closing tag are paired by a single forward scan instead of a lazy ``.*?``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..models import LONE_SURROGATE

# Everything from one of these lines to the end of the text is earlier correspondence.
_HISTORY_START = re.compile(
    r"^[ \t]*(?:"
    # Gmail and Apple Mail attributions, in the languages help desks see most; Gmail wraps long ones once.
    r"(?:On|El|Am|Le|Il|Op)[ \t][^\n]{1,300}(?:\n[^\n]{0,300})?"
    r"(?:wrote|escribió|schrieb|a écrit|ha scritto|schreef)[ \t]?:[ \t]*$"
    r"|-{2,}[ \t]*(?:Original|Forwarded) Message[ \t]*-{2,}"
    r"|Begin forwarded message:"
    # Outlook's header block: a sender line directly followed by a date line.
    r"|(?:From|De|Von|Da|Van)[ \t]?:[ \t]+[^\n]+\n[ \t]*"
    r"(?:Sent|Date|Envoyé|Gesendet|Enviado(?: el)?|Inviato|Datum|Fecha|Verzonden)[ \t]?:"
    r"|_{8,}[ \t]*$"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
# The containers mail clients wrap quoted history and signatures in; they run to the end of the body.
_HTML_HISTORY_START = re.compile(
    r"<div\b[^>]{0,300}?(?:gmail_quote|gmail_signature|divRplyFwdMsg|moz-cite-prefix|yahoo_quoted)",
    re.IGNORECASE,
)
# A conventional signature delimiter ("-- ") or a mobile footer ends the prose.
_SIGNATURE_START = re.compile(
    r"^[ \t]*(?:--[ \t]?$|Sent from my [^\n]{1,40}$|Get Outlook for [^\n]{1,40}$)", re.MULTILINE
)
# Confidentiality and legal footers, from their first line to the end of the text.
_FOOTER_START = re.compile(
    r"^[ \t]*(?:"
    r"(?:Confidentiality|Legal|Privacy|E-?mail)[ \t]+(?:Notice|Disclaimer)\b"
    r"|Disclaimer[ \t]*:"
    r"|This (?:e-?mail|message|communication|transmission)\b[^\n]{0,120}?"
    r"\b(?:confidential|privileged|intended (?:only|solely))"
    r"|The (?:information|contents?) (?:contained )?in this (?:e-?mail|message)"
    r"|If you (?:are not the intended recipient|have received this (?:e-?mail|message|communication) in error)"
    r"|Please consider the environment before printing"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
_FENCED_CODE = re.compile(r"^[ \t]*```[^\n]*\n.*?(?:^[ \t]*```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]{1,500}`")
_LOG_LINE = re.compile(
    r"^[ \t]*(?:"
    r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}[^\n]*"  # ISO-timestamped log line
    r"|\d{1,2}/\d{1,2}/\d{2,4},?[ T]\d{1,2}:\d{2}:\d{2}[^\n]*"  # US-dated log line, with seconds
    r"|\[?(?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL)\]?[ :][^\n]*"  # level-prefixed line
    r"|(?:Error|Warning|Information|Critical|Verbose)\t[^\n]*"  # Event Viewer export row
    r"|Log Name:[^\n]*(?:\n[ \t]*\S[^\n]*)*"  # Event Viewer details, up to the next blank line
    r"|Event ID:?[ \t]*\d+[^\n]*"
    r"|Traceback \(most recent call last\):[^\n]*"
    r"|File \"[^\n]+\", line \d+[^\n]*(?:\n[ \t]{4,}[^\n]*)?"  # Python frame and its source line
    r"|at [\w$.<>]+\([^\n]*\)[ \t]*"  # Java/.NET stack frame
    r"|Caused by: [^\n]*|\.\.\. \d+ more"
    r"|[A-Za-z_][\w.]*(?:Error|Exception): [^\n]*"
    r"|[A-Za-z_]\w*(?:\.\w+)+:(?:[ \t][^\n]*)?"  # a dotted exception name: requests.exceptions.ConnectTimeout: ...
    r")$",
    re.MULTILINE,
)
# A line typed at a prompt: not prose, but exactly what makes a reply technical (kept in the code view).
_PROMPT_LINE = re.compile(
    r"^[ \t]*(?:"
    r"(?:PS )?[A-Za-z]:\\[^\n>]{0,200}>[^\n]*"  # Windows command prompt
    r"|\$ [^\n]*"  # shell prompt
    r")$",
    re.MULTILINE,
)
_HTML_OPAQUE_OPEN = re.compile(r"<(style|script|head|title|pre|code)\b[^<>]{0,2000}>", re.IGNORECASE)
_HTML_BLOCKQUOTE = re.compile(r"<(/?)blockquote\b[^<>]{0,2000}>", re.IGNORECASE)
_HTML_BREAK_TAG = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote|hr)\b[^<>]{0,500}>", re.IGNORECASE)
# The elements of HTML (and the Office/Outlook namespaces mail clients add): a made-up name in angle
# brackets ("ping <hostname>") is a placeholder the agent typed, not markup.
_HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo big blink blockquote body br button canvas caption "
    "center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset "
    "figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img "
    "input ins kbd label legend li link main map mark marquee menu meta meter nav nobr noscript object ol optgroup "
    "option output p param picture pre progress q rp rt ruby s samp script section select small source span "
    "strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track "
    "tt u ul var video wbr"
).split()
_HTML_TAG = re.compile(
    rf"</?(?:{'|'.join(_HTML_ELEMENTS)}|[a-zA-Z][a-zA-Z0-9]*:[a-zA-Z0-9]+)\b[^<>]{{0,2000}}>|<![a-zA-Z][^<>]{{0,2000}}>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,30});")
# Typographic quotes become ASCII ones so "it&rsquo;s" tokenizes like "it's".
_ASCII_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


@dataclass(frozen=True)
class _Mask:
    """A pattern of non-prose, tried only when the text holds one of the strings any match must contain.

    Most replies hold none of them, and a substring test costs a fraction of a regex scan.
    ``needs`` is None for a pattern with too many shapes to pre-test: it is always tried.
    ``gate`` is a cheap pattern that every match also holds, for a pattern that
    cannot start with a literal and so scans every position of the text.
    """

    pattern: re.Pattern[str]
    needs: tuple[str, ...] | None
    gate: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        # A plain loop and no generator: every text asks each of the masks, and most masks have nothing to find.
        if self.needs is not None:
            for needed in self.needs:
                if needed in text:
                    break
            else:
                return ()
        if self.gate is not None and self.gate.search(text) is None:
            return ()
        return self.pattern.finditer(text)


_SIGN_OFF_MARKS = ("^", "*", "~", "-", "=", "\u2013", "\u2014")
# Everything of these stops at whitespace, so masking each in its own pass hides the same characters as one alternation.
_LINKS_AND_NAMES = (
    _Mask(re.compile(r"(?:https?://|ftp://|www\.)\S+"), ("://", "www.")),  # URLs
    # An address starts where a run of address characters starts, so a long run is scanned once, not per
    # position; it is looked for only where an "@" follows an address character (a handle's "@" follows a space).
    _Mask(re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), ("@",), re.compile(r"@(?<=[\w.+-]@)")),  # e-mail addresses
    # Patterns start with their literal character and look behind it after, so re can jump between occurrences.
    _Mask(re.compile(r"@(?<![\w@]@)\w{1,30}"), ("@",)),  # handles
    _Mask(
        re.compile(r"\b(?:INC|REQ|RITM|CHG|PRB|TKT|CASE)[-#]?\d{3,}\b"), ("INC", "REQ", "RITM", "CHG", "PRB", "TKT", "CASE")
    ),  # ticket numbers
    # ticket numbers, hashtags and chat channels (#ubuntu-server)
    _Mask(re.compile(r"#(?<!\w#)\d{3,}\b|#(?<![\w&]#)[A-Za-z][\w-]{0,60}"), ("#",)),
)
_PATHS = (
    _Mask(re.compile(r"\b[A-Za-z]:\\[^\s]*"), (":\\",)),  # Windows paths
    _Mask(re.compile(r"\\\\[\w.$-]+\\[^\s]*"), ("\\\\",)),  # UNC paths
    _Mask(re.compile(r"(?<![\w/])(?:~|\.{1,2})?/(?:[\w.-]+/)+[\w.-]*"), ("/",)),  # POSIX paths with two or more parts
)
_SIGN_OFF = _Mask(
    re.compile(
        # agent sign-offs (^JK, *AFC, -Tara) at the start of the text or after whitespace
        r"[\^*~\-\u2013\u2014](?<!\S.)(?:(?<=[\^*~])\s?)?[A-Za-z][A-Za-z.]{0,24}(?=\s|$)"
        r"|[-=~\u2013\u2014](?<=\s.)\s?[A-Z]{1,4}\s*\Z"  # a closing "- NS" or "= JJ"
    ),
    _SIGN_OFF_MARKS,
)
# In the code view a dash-mark sign-off is a name, or initials where a sign-off stands, so "-d", "-S"
# and "-HUP" stay visible as command flags.
_SIGN_OFF_NOT_FLAG = _Mask(
    re.compile(
        r"[\^*~](?<!\S.)\s?[A-Za-z][A-Za-z.]{0,24}(?=\s|$)"
        r"|[-\u2013\u2014](?<!\S.)[A-Z][a-z][A-Za-z.]{0,23}(?=\s|$)"  # a name: -Tara
        # initials only where a sign-off stands, at the end or before a link: "-HUP" mid-line is a flag
        r"|[-\u2013\u2014](?<!\S.)[A-Z]{2,4}(?=\s*(?:\Z|\n|https?://))"
        r"|[=~\u2013\u2014](?<=\s.)\s?[A-Z]{1,4}\s*\Z|-(?<=\s.)\s[A-Z]{1,4}\s*\Z"
    ),
    _SIGN_OFF_MARKS,
)
_CODE = (
    _Mask(_FENCED_CODE, ("```",)),
    _Mask(_INLINE_CODE, ("`",)),
    _Mask(_PROMPT_LINE, ("$ ", ">")),
)
_QUOTES_AND_LOGS = (
    _Mask(_QUOTED_LINE, (">",)),
    _Mask(_LOG_LINE, None),
)

_SILENCE_MARKER = re.compile(r"<!--\s*toneguard\s+(off|on)\b\s*(?::([\w\s,]{0,500}))?-->", re.IGNORECASE)


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
    """The agent's prose: everything else blanked, every offset kept (what tone rules read)."""
    silenced: tuple[Silenced, ...]
    rendered: str
    """The original with HTML markup blanked, as it reads on screen (same length)."""
    code: tuple[tuple[int, int], ...]
    """Spans of the agent's own code, commands, paths and flags, which the prose view hides."""
    hidden: tuple[tuple[int, int], ...]
    """Spans hidden from every view: quoted lines, logs, links, names."""
    prose_end: int
    """Where quoted history, a signature or a legal footer begins (the text's length if none does)."""

    def is_silenced(self, start: int, end: int, rule_id: str, category: str) -> bool:
        return any(region.covers(start, end, rule_id, category) for region in self.silenced)

    def code_view(self) -> str:
        """The agent's own text with code, commands and paths left visible (same length as the original).

        The prose view hides them so tone rules read sentences; the technical
        rules need them, since an unexplained command or path is what makes a
        reply technical. Quoted history, logs, links and names stay hidden.
        """
        if not self.code:
            return self.masked
        chars = list(self.masked)
        for start, end in self.code:
            chars[start:end] = self.rendered[start:end]
        for start, end in self.hidden:
            _blank(chars, start, end)
        _blank(chars, self.prose_end, len(chars))
        return "".join(chars)


def normalize(text: str) -> NormalizedText:
    chars = list(text)
    changed = False
    if not text.isascii():
        changed = _mask_lone_surrogates(text, chars)
    if "<" in text or "&" in text:
        _mask_html(text, chars)
        changed = True
    # Line patterns read the text as it renders, so an HTML body is read like its plain-text version.
    rendered = "".join(chars) if changed else text
    flags, sign_offs = _sign_offs_and_flags(rendered)
    code = [(m.start(), m.end()) for mask in (*_CODE, *_PATHS) for m in mask.finditer(rendered)] + flags
    hidden = [(m.start(), m.end()) for mask in (*_QUOTES_AND_LOGS, *_LINKS_AND_NAMES) for m in mask.finditer(rendered)]
    hidden += sign_offs
    for start, end in code:
        _blank(chars, start, end)
    for start, end in hidden:
        _blank(chars, start, end)
    prose_end = _prose_end(text, rendered)
    if prose_end < len(text):
        _blank(chars, prose_end, len(text))
    masked = "".join(chars) if changed or code or hidden or prose_end < len(text) else text
    silenced = _silenced_regions(text) if "<!--" in text else ()
    return NormalizedText(text, masked, silenced, rendered, tuple(code), tuple(hidden), prose_end)


def _sign_offs_and_flags(rendered: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """What looks like a sign-off, split into a command's flags ("-d", "-HUP") and real sign-offs ("-Tara", "^JK").

    The prose view hides both; the code view shows the flags, which are code.
    """
    taken = [(m.start(), m.end()) for m in _SIGN_OFF.finditer(rendered)]
    if not taken:
        return [], []
    names = {m.start() for m in _SIGN_OFF_NOT_FLAG.finditer(rendered)}
    return [span for span in taken if span[0] not in names], [span for span in taken if span[0] in names]


def _prose_end(text: str, rendered: str) -> int:
    ends = [len(text)]
    for pattern in (_HISTORY_START, _SIGNATURE_START, _FOOTER_START):
        match = pattern.search(rendered)
        if match:
            ends.append(match.start())
    match = _HTML_HISTORY_START.search(text) if "<" in text else None
    if match:
        ends.append(match.start())
    return min(ends)


def _mask_lone_surrogates(text: str, chars: list[str]) -> bool:
    """A lone surrogate cannot be encoded, and spaCy encodes every token; it is never prose. True if there was one."""
    found = False
    for match in LONE_SURROGATE.finditer(text):
        chars[match.start()] = " "
        found = True
    return found


def _mask_html(text: str, chars: list[str]) -> None:
    for start, end in (*_comments(text), *_opaque_blocks(text), *_blockquotes(text)):
        _blank(chars, start, end)
    for match in _HTML_TAG.finditer(text):
        _blank(chars, match.start(), match.end())
    # Block tags end a sentence in the rendered page, so they end one here too.
    for match in _HTML_BREAK_TAG.finditer(text):
        chars[match.start()] = "\n"
    for match in _HTML_ENTITY.finditer(text):
        _blank(chars, match.start(), match.end())
        # The character goes last so "it&#39;s" reads "it    's" and still tokenizes as it + 's.
        chars[match.end() - 1] = _entity_char(match.group(0))


def _entity_char(entity: str) -> str:
    decoded = html.unescape(entity).translate(_ASCII_QUOTES)
    if len(decoded) != 1 or decoded.isspace() or not decoded.isprintable():
        return " "
    return decoded


def _comments(text: str) -> Iterator[tuple[int, int]]:
    """Each ``<!-- ... -->``; an unclosed one hides the rest, as it does in a browser."""
    start = text.find(_COMMENT_OPEN)
    while start != -1:
        close = text.find(_COMMENT_CLOSE, start + len(_COMMENT_OPEN))
        end = len(text) if close == -1 else close + len(_COMMENT_CLOSE)
        yield start, end
        start = text.find(_COMMENT_OPEN, end)


def _opaque_blocks(text: str) -> Iterator[tuple[int, int]]:
    """``<style>``, ``<script>``, ``<pre>``... with their content, up to the matching closing tag.

    An element that is never closed hides only its opening tag; once one is
    known to be unclosed, later ones of the same name are not searched again,
    which keeps the scan linear.
    """
    unclosed: set[str] = set()
    resume = 0
    for opening in _HTML_OPAQUE_OPEN.finditer(text):
        name = opening.group(1).lower()
        if opening.start() < resume or name in unclosed:
            continue
        closing = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, opening.end())
        if closing is None:
            unclosed.add(name)
            continue
        resume = closing.end()
        yield opening.start(), closing.end()


def _blockquotes(text: str) -> Iterator[tuple[int, int]]:
    """Each outermost ``<blockquote>`` (quoted history), nested ones included; unclosed runs to the end."""
    depth = 0
    start = 0
    for tag in _HTML_BLOCKQUOTE.finditer(text):
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                yield start, tag.end()
    if depth > 0:
        yield start, len(text)


def _silenced_regions(text: str) -> tuple[Silenced, ...]:
    regions = []
    open_at: int | None = None
    open_only: frozenset[str] | None = None
    for marker in _SILENCE_MARKER.finditer(text):
        if marker.group(1).lower() == "off" and open_at is None:
            open_at = marker.end()
            names = marker.group(2)
            open_only = frozenset(n.strip() for n in (names or "").split(",") if n.strip()) or None
        elif marker.group(1).lower() == "on" and open_at is not None:
            regions.append(Silenced(open_at, marker.start(), open_only))
            open_at = None
    if open_at is not None:
        regions.append(Silenced(open_at, len(text), open_only))
    return tuple(regions)


def _blank(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = ["\n" if char == "\n" else " " for char in chars[start:end]]
