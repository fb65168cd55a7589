"""Zendesk: tickets with their comments, as the Tickets and Ticket Comments APIs (and the incremental export) give them.

A ticket is read from ``{"id", "requester_id", "group_id", "via": {"channel"}, "comments": [...]}``,
or from ``{"ticket": {...}, "comments": [...]}`` as the two API calls return them side by side.
A comment has ``id``, ``author_id``, ``public``, ``plain_body``/``body``/``html_body``, ``via``,
``created_at`` and ``attachments``. A page (``{"tickets": [...], "users": [...], "groups": [...]}``)
may list users, whose ``role`` tells agents and admins from end-users, and groups, whose names
name the team.

Who wrote a comment: an author listed as an agent or admin is an agent; the requester
is the customer; once any users list has been seen, everyone else is a customer too
(end-users, CCs, and deleted users, whom Zendesk keeps as end-users). With no users list
in the export at all, anyone but the requester who comments in public is taken for an
agent. Private comments are notes; comments made by triggers and automations
(``via.channel`` "rule"), by the Zendesk system user (author -1) and voice comments are
events; Answer Bot and AI agents are bots.
"""

from __future__ import annotations

from typing import Any

from .threads import Conversation, ConversationError, Message, MessageKind, identifier, parse_time
from .base import Directory, body_text, count, entries, field_of, named, required_id, word

_AGENT_ROLES = frozenset({"agent", "admin"})
_SYSTEM_AUTHOR = "-1"
_EVENT_CHANNELS = frozenset({"rule", "automation", "closed_ticket", "merge", "linked_problem"})


class Zendesk:
    name = "zendesk"
    list_path = ("tickets",)
    side_lists = ("users", "groups")

    def looks_like(self, conversation: dict[str, Any]) -> bool:
        ticket = conversation.get("ticket")
        comments = conversation.get("comments")
        return isinstance(comments, list) and (isinstance(ticket, dict) or _looks_like_comment(comments))

    def remember(self, key: str, item: Any, directory: Directory) -> None:
        if not isinstance(item, dict) or identifier(item.get("id")) is None:
            return
        ident = str(item["id"])
        if key == "groups":
            directory.teams[ident] = named("group", item.get("name"), ident)
            return
        directory.users_listed = True
        if word(item.get("role")) in _AGENT_ROLES:
            directory.agents[ident] = named("agent", item.get("name"), ident)

    def conversation(self, data: dict[str, Any], directory: Directory) -> Conversation:
        ticket = data["ticket"] if isinstance(data.get("ticket"), dict) else data
        ticket_id = required_id(ticket, "id", "a ticket")
        comments = entries(data if "comments" in data else ticket, "comments")
        requester = identifier(ticket.get("requester_id"))
        group = identifier(ticket.get("group_id"))
        messages = [
            _message(comment, requester, directory) for comment in comments
        ]
        return Conversation(
            id=ticket_id,
            team=directory.teams.get(group, f"group {group}") if group else "(no group)",
            channel=word(field_of(ticket, "via", "channel")) or "(unknown)",
            messages=messages,
        )


def _looks_like_comment(comments: list[Any]) -> bool:
    first = comments[0] if comments else None
    return isinstance(first, dict) and "author_id" in first and ("public" in first or "body" in first)


def _message(comment: dict[str, Any], requester: str | None, directory: Directory) -> Message:
    public = comment.get("public", True)
    if not isinstance(public, bool):
        raise ConversationError("a comment's 'public' is neither true nor false")
    author = identifier(comment.get("author_id"))
    text = body_text(comment.get("plain_body"), comment.get("body"), html=comment.get("html_body"))
    return Message(
        id=identifier(comment.get("id")),
        kind=_kind(comment, public, author, requester, directory),
        text=text,
        at=parse_time(comment.get("created_at")),
        author=directory.agents.get(author or "") or named("agent", None, author),
        attachments=count(comment.get("attachments")),
    )


def _kind(
    comment: dict[str, Any], public: bool, author: str | None, requester: str | None, directory: Directory
) -> MessageKind:
    channel = word(field_of(comment, "via", "channel")) or ""
    if comment.get("type") == "VoiceComment" or author == _SYSTEM_AUTHOR or channel in _EVENT_CHANNELS:
        return "event"
    if channel.startswith("answer_bot") or channel.startswith("ai_agent"):
        return "bot"
    if author is not None and author in directory.agents:
        return "reply" if public else "note"
    if not public:
        return "note"
    if author is None or author == requester or directory.users_listed:
        return "customer"
    return "reply"
