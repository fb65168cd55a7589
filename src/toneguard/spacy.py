"""toneguard as a spaCy pipeline component: ``nlp.add_pipe("toneguard")``.

Installing toneguard registers the ``toneguard`` factory with spaCy (through the
``spacy_factories`` entry point), so any pipeline can add it without importing
this module: ``spacy.blank("en")``, or a trained pipeline of your own.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> component = nlp.add_pipe("toneguard", config={"disable": ["TG201"]})
>>> doc = nlp("Calm down. Just reboot the laptop.")
>>> [str(category) for category in doc._.tone.categories]
['dismissive', 'technical']
>>> [(span.text, span.label_, span.kb_id_) for span in doc.spans["toneguard"]]
[('Calm down', 'TG106', 'dismissive'), ('Just reboot', 'TG103', 'dismissive'), ('reboot', 'TG301', 'technical')]

Each Doc gets:

- ``doc._.tone``: the :class:`~toneguard.Report`, exactly what
  ``Analyzer(config).analyze(doc.text, doc._.tone_customer)`` returns.
- ``doc.spans["toneguard"]`` (the key is ``spans_key``): one Span per finding, in
  the order of ``doc._.tone.findings``, labelled with the rule id, with the
  category as its ``kb_id_``. Spans are made of the pipeline's own tokens: a
  finding that starts or ends inside a token takes in the whole token, while the
  finding keeps its exact characters.

Set ``doc._.tone_customer`` to the customer's message before the component runs
(``nlp(doc)`` on a Doc from ``nlp.make_doc``) to have the reply read against it.
Adding the component registers both extensions. Both values travel with the Doc through ``to_bytes``, ``DocBin`` and the worker
processes of ``nlp.pipe(..., n_process=N)``.
"""

# No `from __future__ import annotations` here: spaCy 3.7 reads the factory's signature with
# pydantic v1, which cannot resolve annotations left as strings ("nlp" stays a ForwardRef).
from typing import TYPE_CHECKING, Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from .models import Finding, Report

if TYPE_CHECKING:
    from ._core.analyzer import Analyzer
    from ._core.config import Config

__all__ = ["ToneComponent", "make_toneguard"]

SPANS_KEY = "toneguard"

# A Report in msgpack (Doc.to_bytes, DocBin, nlp.pipe's worker processes) is its JSON under this key.
_REPORT_KEY = "__toneguard_report__"


def _encode_report(obj: Any, chain: Any = None) -> Any:
    if isinstance(obj, Report):
        return {_REPORT_KEY: obj.model_dump_json()}
    return obj if chain is None else chain(obj)


def _decode_report(obj: Any, chain: Any = None) -> Any:
    if isinstance(obj, dict) and _REPORT_KEY in obj:
        return Report.model_validate_json(obj[_REPORT_KEY])
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("toneguard.report", func=_encode_report)
srsly.msgpack_decoders.register("toneguard.report", func=_decode_report)

_EXTENSIONS = ("tone", "tone_customer")


def _register_extensions() -> None:
    """``doc._.tone`` and ``doc._.tone_customer``, registered when a component is made.

    Not when this module is imported: spaCy imports it through the entry point
    whenever any pipeline is created, and a Doc extension of someone else's
    called ``tone`` must not be taken over, only refused.
    """
    for extension in _EXTENSIONS:
        if not Doc.has_extension(extension):
            Doc.set_extension(extension, default=None)
        elif Doc.get_extension(extension) != (None, None, None, None):
            raise ValueError(
                f"Doc._.{extension} is already registered with a getter, setter or method; "
                "the toneguard component needs it as a plain attribute"
            )


class ToneComponent:
    """Sets ``doc._.tone`` and ``doc.spans[spans_key]`` on each Doc; built by the ``toneguard`` factory."""

    def __init__(self, name: str, config: "Config", spans_key: str = SPANS_KEY):
        from ._core.analyzer import shared_analyzer

        if not spans_key:
            raise ValueError("spans_key must name a span group, not be empty")
        _register_extensions()
        self.name = name
        self.config = config
        self.spans_key = spans_key
        self.analyzer: "Analyzer" = shared_analyzer(config)

    def __call__(self, doc: Doc) -> Doc:
        report = self.analyzer.analyze(doc.text, doc._.tone_customer)
        doc._.tone = report
        doc.spans[self.spans_key] = [_token_span(doc, finding) for finding in report.findings]
        return doc

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes rebuild the component from its settings, never from its spaCy objects.
        return type(self), (self.name, self.config, self.spans_key)


def _token_span(doc: Doc, finding: Finding) -> Span:
    span = doc.char_span(
        finding.start, finding.end, label=finding.rule_id, kb_id=finding.category.value, alignment_mode="expand"
    )
    if span is None:  # only if doc.text were not the text analysed
        raise ValueError(f"finding {finding.rule_id} at {finding.start}-{finding.end} lies outside the Doc's tokens")
    return span


@Language.factory(
    "toneguard",
    default_config={
        "spans_key": SPANS_KEY,
        "disable": [],
        "rules": [],
        "builtin_rules": True,
        "thresholds": {},
        "max_chars": 2_000_000,
    },
    assigns=["doc._.tone", "doc.spans"],
)
def make_toneguard(
    nlp: Language,
    name: str,
    spans_key: str,
    disable: list[str],
    rules: list[str],
    builtin_rules: bool,
    thresholds: dict[str, float],
    max_chars: int,
) -> ToneComponent:
    """The ``toneguard`` component; the settings are those of :class:`~toneguard.Config`.

    ``rules`` are paths of extra rules files; ``thresholds`` maps a category
    (``dismissive``, ``clipped``, ``technical``) to the score that flags it.
    """
    from ._core.config import Config

    config = Config(
        disable=disable,
        rules=rules,
        builtin_rules=builtin_rules,
        thresholds=thresholds,
        max_chars=max_chars,
    )
    return ToneComponent(name, config, spans_key)
