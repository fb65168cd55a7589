"""Help-desk threads turned into what toneguard reads: each public agent reply with the customer's words it answers.

Every help-desk reader (a module beside this one) turns one ticket or conversation of its
export into a :class:`Conversation`: its messages in the order they were
written, each of one :data:`MessageKind`. :func:`exchanges` then pairs every
public agent reply with the customer messages since the previous agent reply,
and works out the thread's :class:`~toneguard.ThreadContext`.

>>> for exchange in exchanges(conversation):                      # doctest: +SKIP
...     exchange.reply, exchange.customer, exchange.context.repeat_contact
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, get_args

from ...models import ThreadContext

MessageKind = Literal["customer", "reply", "note", "bot", "event"]
"""customer: the customer wrote. reply: an agent answered in public. note: private, or not sent to the customer
(internal notes, drafts, forwards). bot: a bot or AI agent. event: the system (assignments, status changes, triggers)."""

MESSAGE_KINDS: tuple[MessageKind, ...] = get_args(MessageKind)

# "I already asked", "third time", "still waiting", "how many times": the customer says this is not their first try.
# Plain alternations of literal words, so matching stays linear in the message's length.
_ORDINAL = r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th|umpteenth|nth)"
_TIMES = r"(?:twice|three times|four times|several times|multiple times|many times|a few times|countless times)"
_REPEAT_CONTACT = re.compile(
    r"\b(?:"
    rf"{_ORDINAL} (?:time|email|e-mail|message|ticket|request|call|attempt)s?"
    r"|(?:i|we)(?:'ve| have)? already (?:asked|told|explained|reported|sent|emailed|written|called|contacted|raised|mentioned)"
    r"|(?:asked|told you|reported|explained|emailed|written|raised) (?:this |it |that )?(?:already|before|previously)"
    rf"|{_TIMES} (?:already|now|before)"
    rf"|(?:asked|emailed|called|contacted you|written|messaged) {_TIMES}"
    r"|how many (?:more )?times"
    r"|(?:still|been) waiting (?:for|on)? ?(?:a |an |your )?(?:reply|response|answer|update|someone|somebody|days|weeks)"
    r"|still (?:no|haven't (?:had|got|heard)|not heard) (?:a |any )?(?:reply|response|answer|update|word|back)"
    r"|(?:nobody|no one|no-one) (?:has )?(?:replied|answered|responded|got back|gotten back)"
    r"|(?:haven't|have not|never) heard back"
    r"|(?:following|follow) up on my (?:previous|last|earlier|original)"
    r"|(?:as|like) i (?:said|mentioned|explained|wrote) (?:before|earlier|previously|already|in my (?:last|previous))"
    r")\b",
    re.IGNORECASE,
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_SPACES = re.compile(r"\s+")


def says_repeat_contact(text: str) -> bool:
    """True when the customer says they have asked before ("I already asked", "third time", "still waiting for a reply")."""
    return bool(_REPEAT_CONTACT.search(_SPACES.sub(" ", text.translate(_APOSTROPHES))))


class ConversationError(ValueError):
    """A ticket or conversation that cannot be read as a thread; its scan row says why."""


@dataclass(frozen=True)
class Message:
    """One entry of a thread, as a help-desk reader understood it."""

    id: str | None
    kind: MessageKind
    text: str = ""
    at: datetime | None = None
    author: str | None = None
    attachments: int = 0


@dataclass(frozen=True)
class Conversation:
    """One ticket or conversation: who handled it and its messages, oldest first."""

    id: str
    team: str
    channel: str
    messages: list[Message]


@dataclass(frozen=True)
class Exchange:
    """A public agent reply and what it answers."""

    ticket: str
    reply_id: str | None
    reply: str
    customer: str | None
    agent: str
    team: str
    channel: str
    sent: datetime | None
    context: ThreadContext
    attachments: int = 0


def exchanges(conversation: Conversation) -> list[Exchange]:
    """Every public agent reply of the conversation with the customer messages since the agent's previous reply."""
    found = []
    waiting: list[Message] = []
    for message in conversation.messages:
        if message.kind == "customer":
            waiting.append(message)
        elif message.kind == "reply":
            found.append(_exchange(conversation, message, waiting))
            waiting = []
    return found


def _exchange(conversation: Conversation, reply: Message, waiting: list[Message]) -> Exchange:
    said = [message.text.strip() for message in waiting if message.text.strip()]
    first_at = waiting[0].at if waiting else None
    wait = (reply.at - first_at).total_seconds() if reply.at and first_at else None
    context = ThreadContext(
        customer_messages_since_reply=len(waiting),
        repeat_contact=any(says_repeat_contact(text) for text in said),
        wait_seconds=wait if wait is not None and wait >= 0 else None,
    )
    return Exchange(
        ticket=conversation.id,
        reply_id=reply.id,
        reply=reply.text,
        customer="\n\n".join(said) or None,
        agent=reply.author or "(unknown agent)",
        team=conversation.team,
        channel=conversation.channel,
        sent=reply.at,
        context=context,
        attachments=reply.attachments,
    )


@dataclass
class ThreadTally:
    """What the readers met in an export: conversations, and their messages by kind."""

    conversations: int = 0
    unreadable: int = 0
    without_reply: int = 0
    messages: Counter[str] = field(default_factory=Counter)

    def add(self, conversation: Conversation) -> None:
        self.conversations += 1
        self.messages.update(message.kind for message in conversation.messages)
        self.without_reply += not any(message.kind == "reply" for message in conversation.messages)


def parse_time(value: Any) -> datetime | None:
    """A help desk's timestamp: ISO 8601 text (Zendesk, Freshdesk, Help Scout) or Unix seconds (Intercom); None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


def identifier(value: Any) -> str | None:
    """An id as text (exports hold them as numbers or strings); None when absent."""
    if value is None or isinstance(value, (bool, dict, list)) or value == "":
        return None
    return str(value)
