"""Macro exports: the texts of canned responses kept as JSON or YAML.

Read natively:

- the Zendesk Support API's macros, as listed (``{"macros": [...]}``), shown one at
  a time (``{"macro": {...}}``) or as a bare list: each macro's ``title`` and its
  ``actions``, of which ``comment_value`` (a string, or a ``["channel:all", "text"]``
  pair) and ``comment_value_html`` hold the reply;
- a plain list of canned responses, each with a ``title`` or ``name`` and its text in
  ``body``, ``text``, ``content`` or ``comment`` (the same under a ``macros`` key).

Any other JSON or YAML (a settings or workflow file in the same folder) is not an
export: :class:`NotAnExport` says so, and the file is skipped.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import yaml

from .located import Located, load_json, load_yaml
from .sources import Document, NotAnExport, SourceError, SourceFile

_COMMENT_FIELDS = ("comment_value", "comment_value_html")
_TEXT_KEYS = ("body", "text", "content", "comment")
_TITLE_KEYS = ("title", "name")


def macro_documents(source: SourceFile) -> list[Document]:
    """One document per macro text in an export. Raises :class:`SourceError` or :class:`NotAnExport`."""
    data = _load(source)
    macros = _macro_list(data)
    if macros is None:
        raise NotAnExport(
            f"{source.name}: not a macro export (expected Zendesk's {{\"macros\": [...]}} or a list of "
            f"macros with a title and {', '.join(_TEXT_KEYS)} or actions)"
        )
    found = []
    for index, macro in enumerate(macros):
        if not isinstance(macro, dict):
            raise SourceError(f"{source.name}: macro {index + 1} is {_kind(macro)}, not an object")
        title = _title(macro, index)
        macro_id = None if macro.get("id") is None else str(macro["id"])
        for text in _texts(macro, source.name, title):
            found.append(Document(source, str(text), text.offsets(), title, macro_id))
    return found


def _load(source: SourceFile) -> Any:
    try:
        return load_json(source.text) if source.kind == "json" else load_yaml(source.text)
    except ValueError as err:  # json.JSONDecodeError is one
        raise SourceError(f"{source.name}: not valid JSON: {err}") from None
    except yaml.YAMLError as err:
        raise SourceError(f"{source.name}: not valid YAML: {err}") from None
    except RecursionError:
        raise SourceError(f"{source.name}: nested too deeply to read") from None


def _macro_list(data: Any) -> list[Any] | None:
    """The macros of an export, or None when the data does not have an export's shape."""
    if isinstance(data, dict):
        if isinstance(data.get("macros"), list):
            return data["macros"]
        if isinstance(data.get("macro"), dict):
            return [data["macro"]]
        return None
    if isinstance(data, list) and data and all(isinstance(item, dict) and _looks_like_macro(item) for item in data):
        return data
    return None


def _looks_like_macro(item: dict[str, Any]) -> bool:
    has_title = any(isinstance(item.get(key), str) for key in _TITLE_KEYS)
    return has_title and (isinstance(item.get("actions"), list) or any(key in item for key in _TEXT_KEYS))


def _title(macro: dict[str, Any], index: int) -> str:
    for key in _TITLE_KEYS:
        if isinstance(macro.get(key), str) and macro[key].strip():
            return str(macro[key]).strip()
    return f"macro {macro['id']}" if macro.get("id") is not None else f"macro {index + 1}"


def _texts(macro: dict[str, Any], name: str, title: str) -> Iterator[Located]:
    for action in macro.get("actions") or []:
        if isinstance(action, dict) and action.get("field") in _COMMENT_FIELDS:
            yield _comment_value(action.get("value"), name, title)
    for key in _TEXT_KEYS:
        if key in macro and macro[key] is not None:
            yield _text_value(macro[key], name, title, key)


def _comment_value(value: Any, name: str, title: str) -> Located:
    # Zendesk writes a comment either as the text, or as [channel, text] ("channel:all" for every channel).
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], Located):
        return value[1]
    return _text_value(value, name, title, "comment_value")


def _text_value(value: Any, name: str, title: str, key: str) -> Located:
    if isinstance(value, Located):
        return value
    raise SourceError(f"{name}: macro {title!r}: {key} is {_kind(value)}, not text")


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return {int: "a number", float: "a number", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)
