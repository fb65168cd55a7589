"""What every help-desk reader provides, and the lookups they share.

A reader knows its help desk's documented export shapes: where a page or a
whole-file export lists its conversations (``list_path``), which side lists it
may carry (users, agents, teams...), how to recognise one of its conversations,
and how to turn one into a :class:`~toneguard._apps.helpdesks.threads.Conversation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .threads import Conversation, ConversationError, identifier
from .html_text import html_to_text


@dataclass
class Directory:
    """Names and roles from an export's side lists, kept across its pages.

    Only agents and teams are kept (a help desk has few), never the customers,
    so memory does not grow with the export.
    """

    agents: dict[str, str] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)
    users_listed: bool = False
    """Whether any list of users has been seen: then a user missing from ``agents`` is not an agent."""


class HelpDesk(Protocol):
    name: str
    list_path: tuple[str, ...]
    """Keys under which a page, or a whole-file export, lists conversations (e.g. ``("tickets",)``)."""
    side_lists: tuple[str, ...]
    """Top-level keys of a page or a conversation that list people or teams (e.g. ``users``)."""

    def looks_like(self, conversation: dict[str, Any]) -> bool:
        """Whether this object is one of this help desk's conversations."""

    def remember(self, key: str, item: Any, directory: Directory) -> None:
        """Takes what matters from one item of a side list."""

    def conversation(self, data: dict[str, Any], directory: Directory) -> Conversation:
        """The conversation, or :class:`ConversationError` saying why it cannot be read."""


def listed(desk: HelpDesk, document: dict[str, Any]) -> list[Any] | None:
    """The conversations a page lists, or None when the document is not a page of this help desk."""
    value: Any = document
    for key in desk.list_path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, list) else None


def conversations_in(desk: HelpDesk, document: dict[str, Any], directory: Directory) -> list[Any]:
    """The conversation objects a document holds, its side lists remembered first.

    A page gives its list; a document of side lists alone (a line of users) gives none;
    anything else is taken for one conversation.
    """
    had_side_lists = remember_side_lists(desk, document, directory)
    page = listed(desk, document)
    if page is not None:
        return page
    return [] if had_side_lists and not desk.looks_like(document) else [document]


def remember_side_lists(desk: HelpDesk, document: dict[str, Any], directory: Directory) -> bool:
    """Remembers the document's side lists; whether it had any."""
    found = False
    for key in desk.side_lists:
        items = document.get(key)
        if isinstance(items, list):
            found = True
            for item in items:
                desk.remember(key, item, directory)
    return found


def field_of(data: dict[str, Any], *path: str) -> Any:
    """``data[a][b]...``, or None where a step is missing or not an object."""
    value: Any = data
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def word(value: Any) -> str | None:
    """A field that names a kind (a type, a role, a channel) when it is text; None for anything else."""
    return value if isinstance(value, str) else None


def body_text(*plain: Any, html: Any = None) -> str:
    """The first non-empty text among ``plain`` (kept as it is), else ``html`` as plain text."""
    for candidate in plain:
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return html_to_text(html).strip() if isinstance(html, str) else ""


def count(items: Any) -> int:
    return len(items) if isinstance(items, list) else 0


def required_id(data: dict[str, Any], key: str, what: str) -> str:
    value = identifier(data.get(key))
    if value is None:
        raise ConversationError(f"{what} has no {key!r}")
    return value


def entries(data: Any, key: str) -> list[dict[str, Any]]:
    """The list of message objects under ``key``; :class:`ConversationError` when it is missing or holds non-objects.

    Reasons name no ticket (the scan row's id does), so a broken export's skip reasons stay few.
    """
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        found = "missing" if value is None else f"a {type(value).__name__}, not a list"
        raise ConversationError(f"{key!r} is {found} (export the {key.replace('_', ' ')} with each ticket)")
    for item in value:
        if not isinstance(item, dict):
            raise ConversationError(f"{key!r} holds a {type(item).__name__}, not an object")
    return value


def named(prefix: str, name: Any, fallback_id: Any) -> str:
    """A person's or team's display name, else ``prefix id`` (deleted users keep an id and lose their name)."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    ident = identifier(fallback_id)
    return f"{prefix} {ident}" if ident else f"(unknown {prefix})"
