"""Intercom: conversations with their parts, as ``GET /conversations/{id}`` gives them.

The conversation's ``source`` is its first message (``author.type`` user, lead or contact:
the customer; admin: an agent, unless ``delivered_as`` is "automated"; bot: a bot).
``conversation_parts.conversation_parts`` lists the rest, each with ``part_type``
(comment, note, assignment, close, open, snoozed...), ``body`` (HTML or null), ``author``
(``type``, ``id``, ``name``; ``from_ai_agent`` / ``is_ai_answer`` for Fin), ``created_at``
(Unix seconds), ``attachments`` and ``redacted``. An admin's part with a body is a public
reply whatever its type (Intercom lets an admin reply while closing or assigning), except
notes; a part with no body and no attachment is an event. A page is
``{"conversations": [...]}`` and may carry ``admins`` and ``teams`` (``{"id", "name"}``).
"""

from __future__ import annotations

from typing import Any

from .threads import Conversation, ConversationError, Message, MessageKind, identifier, parse_time
from .base import Directory, body_text, count, field_of, named, required_id, word

_CUSTOMERS = frozenset({"user", "lead", "contact"})
_CHANNELS = {"conversation": "messenger"}


class Intercom:
    name = "intercom"
    list_path = ("conversations",)
    side_lists = ("admins", "teams")

    def looks_like(self, conversation: dict[str, Any]) -> bool:
        return "conversation_parts" in conversation or (
            conversation.get("type") == "conversation" and isinstance(conversation.get("source"), dict)
        )

    def remember(self, key: str, item: Any, directory: Directory) -> None:
        if not isinstance(item, dict) or identifier(item.get("id")) is None:
            return
        ident = str(item["id"])
        names = directory.teams if key == "teams" else directory.agents
        names[ident] = named("team" if key == "teams" else "admin", item.get("name"), ident)

    def conversation(self, data: dict[str, Any], directory: Directory) -> Conversation:
        conversation_id = required_id(data, "id", "a conversation")
        parts = data.get("conversation_parts")
        if parts is None:
            # The list endpoint gives conversations without their parts; only GET /conversations/{id} has them.
            raise ConversationError("'conversation_parts' is missing (export each conversation with its parts)")
        if isinstance(parts, dict):
            parts = parts.get("conversation_parts", [])
        if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
            raise ConversationError("'conversation_parts' is not a list of parts")
        messages = []
        source = data.get("source")
        if isinstance(source, dict):
            messages.append(_message(source, directory, created=data.get("created_at"), opening=True))
        messages.extend(_message(part, directory) for part in parts)
        team = identifier(data.get("team_assignee_id"))
        channel = word(field_of(data, "source", "type"))
        return Conversation(
            id=conversation_id,
            team=directory.teams.get(team, f"team {team}") if team else "(no team)",
            channel=_CHANNELS.get(channel, channel) if channel else "(unknown)",
            messages=messages,
        )


def _message(part: dict[str, Any], directory: Directory, created: Any = None, opening: bool = False) -> Message:
    author = part.get("author")
    if author is not None and not isinstance(author, dict):
        raise ConversationError("a part's author is not an object")
    author = author or {}
    text = "" if part.get("redacted") else body_text(html=part.get("body"))
    attachments = count(part.get("attachments"))
    author_id = identifier(author.get("id"))
    return Message(
        id=identifier(part.get("id")),
        kind=_kind(part, author, bool(text or attachments), opening),
        text=text,
        at=parse_time(part.get("created_at", created)),
        author=directory.agents.get(author_id or "") or named("admin", author.get("name"), author_id),
        attachments=attachments,
    )


def _kind(part: dict[str, Any], author: dict[str, Any], has_content: bool, opening: bool) -> MessageKind:
    kind = word(author.get("type"))
    if kind == "bot" or author.get("from_ai_agent") or author.get("is_ai_answer"):
        return "bot" if has_content else "event"
    if kind in _CUSTOMERS:
        return "customer"
    if kind != "admin" or not (has_content or part.get("redacted")):
        return "event"
    if "note" in (word(part.get("part_type")) or ""):
        return "note"
    if opening and part.get("delivered_as") == "automated":
        return "bot"
    return "reply"
