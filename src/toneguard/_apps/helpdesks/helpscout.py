"""Help Scout: conversations with their threads, as ``GET /v2/conversations/{id}?embed=threads`` gives them.

Threads sit in ``_embedded.threads``, newest first as the API sorts them; they are put
back in the order they were written. A thread has ``id``, ``type`` (customer, message,
note, lineitem, chat, phone, forwardparent, forwardchild), ``state`` (published, draft,
underReview, hidden), ``body`` (HTML), ``createdBy`` (``type`` customer, user or
system_user; ``first``, ``last``, ``email``), ``createdAt`` and
``_embedded.attachments``. Customer threads (and customers' chat lines) are the
customer's; a published message (or chat line) by a user is an agent's reply; by a
system user (AI) a bot's; notes, phone logs, forwards and unpublished threads are notes;
line items are events. A page is ``{"_embedded": {"conversations": [...]}}`` and may carry
``mailboxes`` (``{"id", "name"}``), whose names name the team.
"""

from __future__ import annotations

from typing import Any

from .threads import Conversation, Message, MessageKind, identifier, parse_time
from .base import Directory, body_text, count, entries, field_of, named, required_id, word

_NOTES = frozenset({"note", "phone", "forwardparent", "forwardchild"})
_WRITTEN = frozenset({"message", "chat", "customer"})


class HelpScout:
    name = "helpscout"
    list_path = ("_embedded", "conversations")
    side_lists = ("mailboxes",)

    def looks_like(self, conversation: dict[str, Any]) -> bool:
        return isinstance(field_of(conversation, "_embedded", "threads"), list)

    def remember(self, key: str, item: Any, directory: Directory) -> None:
        if isinstance(item, dict) and identifier(item.get("id")) is not None:
            directory.teams[str(item["id"])] = named("mailbox", item.get("name"), item["id"])

    def conversation(self, data: dict[str, Any], directory: Directory) -> Conversation:
        conversation_id = required_id(data, "id", "a conversation")
        threads = entries(data.get("_embedded"), "threads")
        messages = [_message(thread) for thread in threads]
        # Oldest first; threads written in the same second keep their written order (the API lists newest first).
        order = sorted(range(len(messages)), key=lambda i: (_timestamp(messages[i]), -i))
        mailbox = identifier(data.get("mailboxId"))
        channel = word(data.get("type")) or word(field_of(data, "source", "type"))
        return Conversation(
            id=conversation_id,
            team=directory.teams.get(mailbox, f"mailbox {mailbox}") if mailbox else "(no mailbox)",
            channel=channel or "(unknown)",
            messages=[messages[i] for i in order],
        )


def _timestamp(message: Message) -> float:
    return message.at.timestamp() if message.at else float("inf")


def _message(thread: dict[str, Any]) -> Message:
    author = thread.get("createdBy") if isinstance(thread.get("createdBy"), dict) else {}
    name = " ".join(part for part in (author.get("first"), author.get("last")) if isinstance(part, str) and part.strip())
    return Message(
        id=identifier(thread.get("id")),
        kind=_kind(thread, author),
        text=body_text(html=thread.get("body")),
        at=parse_time(thread.get("createdAt")),
        author=named("user", name or author.get("email"), author.get("id")),
        attachments=count(field_of(thread, "_embedded", "attachments")),
    )


def _kind(thread: dict[str, Any], author: dict[str, Any]) -> MessageKind:
    kind = word(thread.get("type"))
    if kind == "lineitem" or kind not in _WRITTEN | _NOTES:
        return "event"
    if kind in _NOTES or word(thread.get("state", "published")) != "published":
        return "note"
    by = word(author.get("type"))
    if kind == "customer" or by == "customer":
        return "customer"
    if by == "user":
        return "reply"
    return "bot" if by == "system_user" else "event"
