"""Text shaped like code: commands, paths, flags, identifiers and codes, recognised by their form.

A customer can act on words; they cannot act on ``sudo dpkg -i kde.deb`` or
``/etc/default/grub`` unless someone tells them where to type it and what it
does. These shapes are found on the agent's own text with code left visible
(quoted history, signatures, links and handles are still hidden), each with
its exact span. The recognisers are fixed here; what they look for (command
names, folder names, file extensions...) is data from the rules, handed in as
a :class:`ShapeLexicon`.

Every pattern runs in linear time: no nested repetition, and each repeated
part is separated from the next by a character it cannot contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from enum import Enum
from typing import Callable, Iterable, Iterator



class Shape(str, Enum):
    command = "command"
    flag = "flag"
    shell_operator = "shell_operator"
    placeholder = "placeholder"
    inline_code = "inline_code"
    permission_mode = "permission_mode"
    posix_path = "posix_path"
    windows_path = "windows_path"
    environment_variable = "environment_variable"
    registry_key = "registry_key"
    dotfile = "dotfile"
    technical_file = "technical_file"
    identifier = "identifier"
    hex_code = "hex_code"
    error_code = "error_code"
    network_address = "network_address"
    port = "port"
    package_name = "package_name"
    device_name = "device_name"
    version = "version"


@dataclass(frozen=True)
class ShapeLexicon:
    """The word lists the recognisers consult, from the rules data."""

    commands: frozenset[str] = frozenset()
    ambiguous_commands: frozenset[str] = frozenset()
    command_verbs: frozenset[str] = frozenset()
    package_nouns: frozenset[str] = frozenset()
    package_prefixes: tuple[str, ...] = ()
    top_folders: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    dotfiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShapeSpan:
    shape: Shape
    start: int
    end: int


_NEXT_TOKEN = re.compile(r"[ \t]+([^\s,;!?()\[\]{}]+)")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9]*")
# Flags, paths, variables, things with digits or symbols, hyphenated and dotted names (apt-get, google.com).
_ARGUMENT_SHAPE = re.compile(
    r"--?[\w=.-]+|[/~.$<%\\][^\s]*|[\w.+-]*[\d_/=+<>*][\w.+=/<>*-]*|[a-z][a-z0-9.+-]*[-.][a-z0-9.+-]+"
)
# A command's plain-word arguments ("install htop"): a few at most, so a command never swallows a sentence.
_MAX_PLAIN_ARGUMENTS = 3
_WORD = re.compile(r"(?<![\w/.$%-])[a-z][a-z0-9+_.-]*[a-z0-9+]|(?<![\w/.$%-])[a-z]\b")
# _WORD without its look-behinds: four times faster, for the first test of whether a text names a program.
_WORD_QUICK = re.compile(r"[a-z][a-z0-9+_.-]*[a-z0-9+]|[a-z]")
_FIRST_ALNUM = re.compile(r"[^\W_]")
_AFTER_SUDO_OR_PIPE = re.compile(r"(?:\bsudo|\||&&)[ \t]+$")
_CODE_ARGUMENT = re.compile(r"[ \t]+(?:--?[A-Za-z]|/[a-z]|~/|\./|\$[A-Za-z{(]|<[a-z]|[\w.-]+\.[a-z]{2,4}\b|[ugoa]*[+=][rwx])")


class ShapeFinder:
    """Finds the shapes it was built for in a text, as spans.

    Each shape's pattern runs only when the text holds a character or string
    that every match of it needs (a "/" for a path, a digit for a version):
    most replies hold few of them, and a substring test costs far less than a
    regex scan. Commands and package names come from one scan of the words.
    """

    def __init__(self, lexicon: ShapeLexicon, shapes: Iterable[Shape], is_rare: Callable[[str], bool]):
        self._lexicon = lexicon
        self._is_rare = is_rare
        wanted = frozenset(shapes)
        self._patterns = [
            (shape, re.compile(pattern), _NEEDS.get(shape, frozenset()))
            for shape, pattern in _patterns(lexicon).items()
            if shape in wanted
        ]
        # Each needed character -> the positions of the patterns that need it, so a text's characters
        # pick its patterns in one set operation rather than a test per pattern.
        self._needed_by: dict[str, list[int]] = {}
        for position, (_, _, needs) in enumerate(self._patterns):
            for character in needs:
                self._needed_by.setdefault(character, []).append(position)
        needed = "".join(map(re.escape, sorted(self._needed_by)))
        self._needed = re.compile(f"[{needed}]" if needed else "(?!)")
        self._also_needed = [
            (position, _ALSO_NEEDED_BY[shape]) for position, (shape, _, _) in enumerate(self._patterns) if shape in _ALSO_NEEDED_BY
        ]
        self._commands = lexicon.commands | lexicon.ambiguous_commands if Shape.command in wanted else frozenset()
        self._packages = Shape.package_name in wanted
        # The words that can start a command or name a package; most texts hold none.
        self._triggers = self._commands | (lexicon.command_verbs | lexicon.package_nouns if self._packages else frozenset())

    def find(self, text: str) -> list[ShapeSpan]:
        spans = []
        words = _WORD_QUICK.findall(text)
        needed_by = self._needed_by
        chosen = {position for character in set(self._needed.findall(text)) for position in needed_by[character]}
        chosen.update(position for position, also in self._also_needed if position not in chosen and also(text, words))
        for position in sorted(chosen):
            shape, pattern, _ = self._patterns[position]
            gate = _GATES.get(shape)
            if gate is None or gate(text):
                spans += [ShapeSpan(shape, m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
        spans = [_with_file_name(text, span) if span.shape is Shape.technical_file else span for span in spans]
        if self._triggers and self._may_name_a_program(text, words):
            spans += self._command_spans(text, [(m.start(), m.group(0)) for m in _WORD.finditer(text)])
        return sorted(spans, key=lambda s: (s.start, -s.end))

    def opens_with_a_command(self, text: str) -> bool:
        """Whether the text's first letter or digit begins a word this finder may take for a command.

        A text that is nothing but command lines must: a cheap test before a whole search.
        """
        first = _FIRST_ALNUM.search(text)
        word = _WORD.match(text, first.start()) if first is not None else None
        return word is not None and word.group() in self._commands

    def _may_name_a_program(self, text: str, words: list[str]) -> bool:
        """Whether a word scan can find a command or package here; most texts are ruled out by set tests.

        An ambiguous name ("at", "open", "top") only counts in a command line,
        which its own small pattern looks for before the whole scan is made.
        """
        present = self._triggers.intersection(words)
        lexicon = self._lexicon
        if present and not present.isdisjoint(lexicon.commands):
            return True
        if self._packages and not present.isdisjoint(lexicon.command_verbs | lexicon.package_nouns):
            return True
        prefixes = lexicon.package_prefixes
        if self._packages and any(prefix in text for prefix in prefixes) and any(word.startswith(prefixes) for word in words):
            return True
        piped = "sudo" in text or "|" in text or "&&" in text
        return any(
            at_word.search(text) or (piped and after_sudo_or_pipe.search(text))
            for at_word, after_sudo_or_pipe in map(_command_position, present & lexicon.ambiguous_commands)
        )

    def _command_spans(self, text: str, words: list[tuple[int, str]]) -> Iterator[ShapeSpan]:
        lexicon = self._lexicon
        for index, (start, word) in enumerate(words):
            end = start + len(word)
            if word in self._commands:
                if word in lexicon.commands or _in_command_position(text, start, end):
                    yield ShapeSpan(Shape.command, start, _command_end(text, end))
            elif self._packages and word not in lexicon.ambiguous_commands and word not in lexicon.commands:
                before = words[index - 1][1] if index else ""
                after = words[index + 1][1] if index + 1 < len(words) else ""
                named = before in lexicon.command_verbs or after in lexicon.package_nouns or word.startswith(lexicon.package_prefixes)
                if named and self._is_rare(word):
                    yield ShapeSpan(Shape.package_name, start, end)


def _with_file_name(text: str, span: ShapeSpan) -> ShapeSpan:
    """An extension's span stretched back over the file name before it ("xorg" + ".conf")."""
    start = span.start
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    return ShapeSpan(span.shape, start, span.end)


@lru_cache(maxsize=1024)
def _command_position(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``word`` in a command line: (before a code-like argument, or quoted on its own; after sudo or a pipe).

    The first pattern starts with the word and looks behind it after, so re jumps
    between the word's occurrences; the second must start before the word, so it
    is only worth trying where a sudo or a pipe is.
    """
    name = re.escape(word)
    return (
        re.compile(rf"{name}(?:(?<![\w/.$%-]{name})(?={_CODE_ARGUMENT.pattern})|(?<=(['\"`]){name})\1)"),
        re.compile(rf"(?:\bsudo|\||&&)[ \t]+{name}\b"),
    )


def _in_command_position(text: str, start: int, end: int) -> bool:
    """An ambiguous name ("cat", "mount") is a command when code follows it, or it is quoted alone, or piped or sudo'd into."""
    if _CODE_ARGUMENT.match(text, end):
        return True
    before = text[max(0, start - 6) : start]
    if _AFTER_SUDO_OR_PIPE.search(before):
        return True
    quote = text[start - 1 : start]
    return bool(quote) and quote in "'\"`" and text[end : end + 1] == quote


def _command_end(text: str, end: int) -> int:
    """Where a command line that starts before ``end`` ends: after its arguments.

    Arguments are code-like tokens, and up to a few plain words (a subcommand,
    a package name); an English function word or sentence punctuation ends it.
    """
    from spacy.lang.en.stop_words import STOP_WORDS  # here, so reading the rules schema does not load spaCy

    plain_words = 0
    while True:
        token = _NEXT_TOKEN.match(text, end)
        if token is None:
            return end
        core = token.group(1).rstrip(".,;:!?)\"'")
        if not core:
            return end
        if not _looks_like_argument(core):
            if not _PLAIN_WORD.fullmatch(core) or core in STOP_WORDS or plain_words >= _MAX_PLAIN_ARGUMENTS:
                return end
            plain_words += 1
        end = token.start(1) + len(core)
        if len(core) < len(token.group(1)):
            return end  # punctuation closed the sentence or the quote


def _looks_like_argument(token: str) -> bool:
    return bool(_ARGUMENT_SHAPE.fullmatch(token))


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


_DIGIT = re.compile(r"\d")
# What every match of a shape must contain; a shape whose needs are absent is not searched for.
_DIGITS = "0123456789"
# Characters every match of a shape holds one of: a shape none of whose characters is in a text is not
# searched for, and one set test per shape costs far less than a scan.
_NEEDS: dict[Shape, frozenset[str]] = {
    shape: frozenset(characters)
    for shape, characters in {
        Shape.inline_code: "`",
        Shape.posix_path: "/",
        Shape.windows_path: "\\%",
        Shape.registry_key: "K",
        Shape.environment_variable: "$",
        Shape.network_address: _DIGITS,
        Shape.port: _DIGITS,
        Shape.error_code: _DIGITS,
        Shape.hex_code: "x",
        Shape.flag: "-",
        Shape.permission_mode: "+=-",
        Shape.shell_operator: "&|>$",
        Shape.placeholder: "<",
        Shape.dotfile: ".",
        Shape.package_name: _DIGITS,
        Shape.technical_file: ".",
        Shape.device_name: _DIGITS,
        Shape.version: _DIGITS,
    }.items()
}


# A capital right after a small letter; the capital first, so re jumps between the few capitals.
_CAMEL = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_SNAKE = re.compile(r"_(?<=[A-Za-z0-9]_)[A-Za-z0-9]")
# For shapes whose pattern cannot start with a literal, and so is tried at every position of a text
# holding one of its needed characters: a test of something every match also holds, far faster.
_GATES: dict[Shape, Callable[[str], object]] = {
    Shape.network_address: re.compile(r"\d\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]").search,  # 10.0.0.1, 00:1a:...
    Shape.port: re.compile(r":\d\d|(?i:ports?[ \t]+\d)").search,  # localhost:8080, port 587
    Shape.error_code: re.compile(r"(?i:err|code)").search,
    Shape.package_name: re.compile(r"-[a-z]|[a-z]-\d").search,  # python3-dev, gcc-9-base
    Shape.version: re.compile(r"\d\.\d").search,
    Shape.permission_mode: re.compile(r"[+=-][rwxXst]").search,  # u+x, -rw
}

# Disk names without a number: a closed set, so the reply's own words are checked for them.
_BARE_DISKS = frozenset(f"{kind}{letter}" for kind in ("sd", "hd", "vd", "xvd") for letter in "abcdefghijklmnopqrstuvwxyz")
# Shapes that can be present without any needed character (or have none), and how to tell.
_ALSO_NEEDED_BY = {
    # snake_case or UPPER_SNAKE, a call(), or camelCase
    Shape.identifier: lambda text, words: "()" in text or _SNAKE.search(text) or _CAMEL.search(text),
    Shape.device_name: lambda text, words: not _BARE_DISKS.isdisjoint(words),  # sda, hdb
}


def _patterns(words: ShapeLexicon) -> dict[Shape, str]:
    """Each shape's pattern, in the order they are tried where two start at the same character."""
    folders = "|".join(map(re.escape, words.top_folders)) or "(?!)"
    extensions = "|".join(map(re.escape, words.extensions)) or "(?!)"
    dotfiles = "|".join(map(re.escape, words.dotfiles)) or "(?!)"
    return {
        Shape.inline_code: r"`[^`\n]{1,200}`",
        Shape.posix_path: (
            r"(?<![\w/.:~-])(?:~|\.{1,2})?/(?:[\w.+-]+/)+[\w.+-]*"  # two or more parts: /etc/apt/sources.list
            rf"|(?<![\w/.:~-])/(?:{folders})\b/?"  # a top-level folder alone: /opt, /var/
            r"|(?<![\w/])~/[\w.-]*"  # the home folder: ~/.config
        ),
        Shape.windows_path: r"\b[A-Za-z]:\\[^\s]*|\\\\[\w.$-]+\\[^\s]*|%[A-Za-z_]\w*%(?:\\[^\s]*)?",
        Shape.registry_key: r"\b(?:HKEY_[A-Z_]+|HKLM|HKCU|HKCR)\b(?:\\[^\s\\]+)*",
        Shape.environment_variable: r"\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*",
        Shape.network_address: (
            rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?:/\d{{1,2}})?(?!\d|\.\d)"  # IPv4, with a prefix length
            r"|\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\b"  # MAC address
        ),
        Shape.port: r"(?i:\bports?[ \t]+\d{2,5}\b)|\b(?:localhost|[a-z][\w-]*(?:\.[\w-]+)+):\d{2,5}\b",
        Shape.error_code: r"(?i:\b(?:error|err|stop code|exit code|status code)[ \t]*(?:code[ \t]*)?[:#]?[ \t]*\d{2,}\b)",
        Shape.hex_code: r"\b0x[0-9A-Fa-f]{2,}\b",
        # The dash first and the look-behind after it, so the search can jump from dash to dash.
        Shape.flag: r"-(?<!\S.)-?[A-Za-z][\w-]*(?:=[^\s]*)?(?=[\s\"',.?)]|$)",
        Shape.permission_mode: r"(?<!\S)[ugoa]{0,3}[+=-][rwxXst]{1,4}\b",
        Shape.shell_operator: r"&&|\|\||2>&1|>>|\$\(",
        Shape.placeholder: r"<[a-z][\w-]*>",
        # The literal comes first and the look-behind after it, so the search can jump from dot to dot.
        Shape.dotfile: rf"\.(?<![\w.]\.)(?:{dotfiles}|[a-z]+rc)\b",
        Shape.package_name: r"\b[a-z][a-z0-9+]*\d[a-z0-9+.]*-[a-z][a-z0-9+.-]*\b|\b[a-z]+-\d+(?:\.\d+)*-[a-z]+\b",
        # The extension alone: ShapeFinder extends it over the file's name, since a pattern that
        # began at every word to look for a name would be slow.
        Shape.technical_file: rf"\.(?<!\.\.)(?:{extensions})\b(?![.-]\w)",
        Shape.identifier: (
            r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"  # snake_case
            r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"  # UPPER_SNAKE: ERR_NAME_NOT_RESOLVED
            r"|\b[a-z]{2,}(?:[A-Z][a-z0-9]+)+\b"  # camelCase (not iPhone or eBay)
            r"|\b\w+\(\)"  # a function call
        ),
        Shape.device_name: (
            r"\b(?:(?:sd|hd|vd|xvd)[a-z]\d{0,2}|nvme\d+n\d+(?:p\d+)?|(?:eth|wlan|enp|eno|ens|wlp)\d\w*|tty\d+|i386|amd64|x86_64)\b"
        ),
        Shape.version: r"\bv?\d+\.\d+\.\d+(?:[-~+][\w.~+]+)?\b|\b\d+(?:\.\d+)+[-~+][\w.~+-]*[a-z][\w.~+-]*",
    }
