"""Readers for help-desk exports: Zendesk, Freshdesk, Intercom and Help Scout, each from its documented API shapes."""

from __future__ import annotations

from .base import Directory, HelpDesk, conversations_in, listed
from .freshdesk import Freshdesk
from .helpscout import HelpScout
from .intercom import Intercom
from .zendesk import Zendesk

HELP_DESKS: dict[str, HelpDesk] = {desk.name: desk for desk in (Zendesk(), Freshdesk(), Intercom(), HelpScout())}

__all__ = ["HELP_DESKS", "Directory", "HelpDesk", "conversations_in", "listed"]
