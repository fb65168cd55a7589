"""Freshdesk: tickets with their conversations, as ``GET /api/v2/tickets/{id}?include=conversations`` gives them.

The ticket's own ``description_text`` (or HTML ``description``) is the customer's first
message, unless the ticket is an outbound e-mail (``source`` 10), when the agent wrote it.
Each entry of ``conversations`` has ``id``, ``user_id``, ``incoming`` (it came from
outside), ``private`` (a note), ``source`` (0 reply, 1 note, 5 forwarded e-mail...),
``body_text``/``body``, ``created_at`` and ``attachments``. Incoming entries and those by
the requester are the customer's; private ones (notes) and outgoing forwards are left
out; the rest, public notes included (the requester sees them), are the agent's replies.
A page is a plain list of tickets (or ``{"tickets": [...]}``), and may carry ``agents``
(``{"id", "contact": {"name"}}``) and ``groups`` (``{"id", "name"}``).
"""

from __future__ import annotations

from typing import Any

from .threads import Conversation, ConversationError, Message, MessageKind, identifier, parse_time
from .base import Directory, body_text, count, entries, field_of, named, required_id

_OUTBOUND_EMAIL = 10
_FORWARD_SOURCE = 5
# Ticket sources as the API numbers them.
_CHANNELS = {
    1: "email",
    2: "portal",
    3: "phone",
    4: "forum",
    5: "twitter",
    6: "facebook",
    7: "chat",
    8: "mobihelp",
    9: "feedback widget",
    10: "outbound email",
    11: "ecommerce",
    12: "bot",
    13: "whatsapp",
}


class Freshdesk:
    name = "freshdesk"
    list_path = ("tickets",)
    side_lists = ("agents", "groups")

    def looks_like(self, conversation: dict[str, Any]) -> bool:
        entries_ = conversation.get("conversations")
        if not isinstance(entries_, list):
            return False
        first = entries_[0] if entries_ else None
        if isinstance(first, dict):
            return "incoming" in first or "private" in first
        return "requester_id" in conversation or "description_text" in conversation

    def remember(self, key: str, item: Any, directory: Directory) -> None:
        if not isinstance(item, dict) or identifier(item.get("id")) is None:
            return
        ident = str(item["id"])
        if key == "groups":
            directory.teams[ident] = named("group", item.get("name"), ident)
        else:
            directory.agents[ident] = named("agent", field_of(item, "contact", "name"), ident)

    def conversation(self, data: dict[str, Any], directory: Directory) -> Conversation:
        ticket_id = required_id(data, "id", "a ticket")
        replies = entries(data, "conversations")
        requester = identifier(data.get("requester_id"))
        responder = identifier(data.get("responder_id"))
        source = data.get("source")
        messages = []
        description = body_text(data.get("description_text"), html=data.get("description"))
        if description or count(data.get("attachments")):
            outbound = source == _OUTBOUND_EMAIL
            messages.append(
                Message(
                    id=None,
                    kind="reply" if outbound else "customer",
                    text=description,
                    at=parse_time(data.get("created_at")),
                    author=_agent(responder, directory) if outbound else None,
                    attachments=count(data.get("attachments")),
                )
            )
        messages.extend(_message(entry, requester, directory) for entry in replies)
        group = identifier(data.get("group_id"))
        return Conversation(
            id=ticket_id,
            team=directory.teams.get(group, f"group {group}") if group else "(no group)",
            channel=_CHANNELS.get(source, f"source {source}") if type(source) is int else "(unknown)",
            messages=messages,
        )


def _agent(user: str | None, directory: Directory) -> str:
    return directory.agents.get(user or "") or named("agent", None, user)


def _message(entry: dict[str, Any], requester: str | None, directory: Directory) -> Message:
    for flag in ("private", "incoming"):
        if not isinstance(entry.get(flag, False), bool):
            raise ConversationError(f"a conversation's {flag!r} is neither true nor false")
    user = identifier(entry.get("user_id"))
    return Message(
        id=identifier(entry.get("id")),
        kind=_kind(entry, user, requester),
        text=body_text(entry.get("body_text"), html=entry.get("body")),
        at=parse_time(entry.get("created_at")),
        author=_agent(user, directory),
        attachments=count(entry.get("attachments")),
    )


def _kind(entry: dict[str, Any], user: str | None, requester: str | None) -> MessageKind:
    if entry.get("private"):
        return "note"
    if entry.get("incoming") or (user is not None and user == requester):
        return "customer"
    if entry.get("source") == _FORWARD_SOURCE:
        return "note"
    return "reply"
