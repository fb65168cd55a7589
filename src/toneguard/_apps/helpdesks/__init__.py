"""Reading help-desk exports as threads: Zendesk, Freshdesk, Intercom and Help Scout, each from its documented API shapes.

``json_export`` streams an export's documents, one reader per help desk turns each
ticket into a ``threads.Conversation``, and ``threads.exchanges`` pairs every public
agent reply with what the customer wrote since the previous one.
"""

from __future__ import annotations

from .base import Directory, HelpDesk, conversations_in, listed
from .freshdesk import Freshdesk
from .helpscout import HelpScout
from .intercom import Intercom
from .json_export import JsonExport
from .threads import MESSAGE_KINDS, ConversationError, ThreadTally, exchanges
from .zendesk import Zendesk

HELP_DESKS: dict[str, HelpDesk] = {desk.name: desk for desk in (Zendesk(), Freshdesk(), Intercom(), HelpScout())}

__all__ = [
    "HELP_DESKS",
    "MESSAGE_KINDS",
    "ConversationError",
    "Directory",
    "HelpDesk",
    "JsonExport",
    "ThreadTally",
    "conversations_in",
    "exchanges",
    "listed",
]
