"""The ``toneguard`` spaCy component: registered by entry point, one Report and one Span per finding per Doc."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import Doc, DocBin

import toneguard
from toneguard.spacy import ToneComponent

from conftest import SAMPLE_REPLIES

CUSTOMER = "I can't open Outlook and I have a client call in 10 minutes!"
DRAFT = "Calm down. Just reboot the laptop, it's a DNS thing."
REPLIES = [*SAMPLE_REPLIES, DRAFT, "", "   ", "Das ist leider nicht unser Problem.", "Reboot.\n\nOn Mon, Sam wrote:\n> help"]


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("toneguard")
    return nlp


@pytest.fixture(scope="module")
def with_sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("toneguard")
    return nlp


def spans_of(doc: Doc, key: str = "toneguard") -> list[tuple[int, int, str, str]]:
    return [(span.start, span.end, span.label_, span.kb_id_) for span in doc.spans[key]]


def assert_spans_hold_the_findings(doc: Doc, key: str = "toneguard") -> None:
    """One span per finding, in order: its rule and category, over exactly the tokens the finding touches."""
    findings = doc._.tone.findings
    assert len(doc.spans[key]) == len(findings)
    for span, finding in zip(doc.spans[key], findings):
        assert (span.label_, span.kb_id_) == (finding.rule_id, finding.category.value)
        touched = [token.i for token in doc if token.idx < finding.end and finding.start < token.idx + len(token)]
        assert (span.start, span.end) == (touched[0], touched[-1] + 1), finding


def test_installing_toneguard_registers_the_factory_with_spacy():
    (entry,) = [entry for entry in entry_points(group="spacy_factories") if entry.name == "toneguard"]
    assert entry.value == "toneguard.spacy:make_toneguard"
    script = """
        import spacy
        from spacy.tokens import Doc
        nlp = spacy.blank("en")
        print(Doc.has_extension("tone"))  # a pipeline without the component is left alone
        nlp.add_pipe("toneguard")
        doc = nlp("Calm down.")
        print(doc._.tone.findings[0].rule_id, doc.spans["toneguard"][0].text)
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "TG106", "Calm", "down"]


def test_the_factory_signature_holds_real_types_for_spacy_37():
    """spaCy 3.7 builds a pydantic v1 model from the factory's signature; annotations left as strings break it."""
    import inspect

    from spacy.language import Language

    from toneguard.spacy import make_toneguard

    parameters = inspect.signature(make_toneguard).parameters
    assert parameters["nlp"].annotation is Language
    assert parameters["disable"].annotation == list[str]
    assert inspect.signature(make_toneguard).return_annotation is ToneComponent


def test_someone_elses_tone_extension_is_refused_not_taken_over():
    script = """
        import spacy
        from spacy.tokens import Doc
        Doc.set_extension("tone", getter=lambda doc: "mine")
        try:
            spacy.blank("en").add_pipe("toneguard")
        except ValueError as err:
            print(err)
        print(spacy.blank("en").make_doc("Hi")._.tone)
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Doc._.tone is already registered" in done.stdout and done.stdout.splitlines()[-1] == "mine"


@pytest.mark.parametrize("reply", REPLIES)
def test_a_blank_pipeline_gets_the_analyzers_report_and_a_span_per_finding(blank, analyzer, reply):
    doc = blank(reply)
    assert doc._.tone == analyzer.analyze(reply)
    assert_spans_hold_the_findings(doc)


def test_spans_name_rule_and_category(blank):
    doc = blank(DRAFT)
    named = [(span.text, span.label_, span.kb_id_) for span in doc.spans["toneguard"]]
    assert ("Calm down", "TG106", "dismissive") in named
    assert ("reboot", "TG301", "technical") in named
    assert {span.kb_id_ for span in doc.spans["toneguard"]} == {c.value for c in doc._.tone.categories}


@pytest.mark.parametrize("reply", REPLIES)
def test_a_pipeline_with_its_own_sentencizer_keeps_its_sentences(with_sentencizer, blank, reply):
    doc = with_sentencizer(reply)
    sentencizer_only = spacy.blank("en")
    sentencizer_only.add_pipe("sentencizer")
    assert [s.text for s in doc.sents] == [s.text for s in sentencizer_only(reply).sents]
    assert doc._.tone == blank(reply)._.tone
    assert_spans_hold_the_findings(doc)


def test_spans_are_made_of_the_pipelines_own_tokens():
    """A tokenizer that splits only on spaces: a finding inside "reboot," takes the whole token."""
    nlp = spacy.blank("en")
    nlp.tokenizer = lambda text: Doc(nlp.vocab, words=text.split(" "))
    nlp.add_pipe("toneguard")
    doc = nlp("Calm down. Just reboot, please.")
    assert [token.text for token in doc] == ["Calm", "down.", "Just", "reboot,", "please."]
    named = [(span.label_, span.text) for span in doc.spans["toneguard"]]
    assert ("TG106", "Calm down.") in named and ("TG301", "reboot,") in named
    assert [(f.rule_id, f.text) for f in doc._.tone.findings if f.rule_id in ("TG106", "TG301")] == [
        ("TG106", "Calm down"),
        ("TG301", "reboot"),
    ]
    assert_spans_hold_the_findings(doc)


def test_the_customers_message_is_read_when_set(blank, analyzer):
    doc = blank.make_doc("Reboot.")
    doc._.tone_customer = CUSTOMER
    doc = blank(doc)
    assert doc._.tone == analyzer.analyze("Reboot.", CUSTOMER)
    assert doc._.tone.customer == CUSTOMER
    assert blank("Reboot.")._.tone.customer is None


def test_settings_come_from_the_component_config(analyzer):
    nlp = spacy.blank("en")
    nlp.add_pipe("toneguard", config={"disable": ["technical"], "thresholds": {"dismissive": 0.9}, "spans_key": "tone"})
    doc = nlp(DRAFT)
    assert "toneguard" not in doc.spans
    assert {span.kb_id_ for span in doc.spans["tone"]} == {"dismissive", "clipped"}
    assert doc._.tone.scores["dismissive"].threshold == 0.9
    expected = toneguard.Analyzer(toneguard.Config(disable=["technical"], thresholds={"dismissive": 0.9}))
    assert doc._.tone == expected.analyze(DRAFT)


@pytest.mark.parametrize(
    "config, message",
    [
        ({"thresholds": {"rude": 0.5}}, "thresholds"),
        ({"rules": ["no-such-rules.yaml"]}, "no-such-rules.yaml"),
        ({"spans_key": ""}, "spans_key"),
        ({"max_chars": 0}, "max_chars"),
    ],
)
def test_bad_settings_fail_when_the_component_is_added(config, message):
    nlp = spacy.blank("en")
    with pytest.raises(Exception, match=message):
        nlp.add_pipe("toneguard", config=config)


def test_a_saved_pipeline_loads_with_its_settings(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("toneguard", config={"disable": ["TG301"]})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["sentencizer", "toneguard"]
    doc = loaded(DRAFT)
    assert spans_of(doc) == spans_of(nlp(DRAFT))
    assert "TG301" not in {span.label_ for span in doc.spans["toneguard"]}


def test_the_report_and_spans_survive_bytes_docbin_and_pickle(blank):
    doc = blank.make_doc(DRAFT)
    doc._.tone_customer = CUSTOMER
    doc = blank(doc)
    restored = Doc(blank.vocab).from_bytes(doc.to_bytes())
    assert isinstance(restored._.tone, toneguard.Report) and restored._.tone == doc._.tone
    assert restored._.tone_customer == CUSTOMER
    assert spans_of(restored) == spans_of(doc)

    docs = DocBin(store_user_data=True, docs=[doc])
    (from_bin,) = DocBin().from_bytes(docs.to_bytes()).get_docs(blank.vocab)
    assert from_bin._.tone == doc._.tone and spans_of(from_bin) == spans_of(doc)

    unpickled = pickle.loads(pickle.dumps(doc))
    assert unpickled._.tone == doc._.tone and spans_of(unpickled) == spans_of(doc)


def test_the_component_pickles_by_its_settings(blank):
    component = blank.get_pipe("toneguard")
    copy = pickle.loads(pickle.dumps(component))
    assert isinstance(copy, ToneComponent)
    assert (copy.name, copy.config, copy.spans_key) == (component.name, component.config, component.spans_key)
    assert copy(blank.make_doc(DRAFT))._.tone == blank(DRAFT)._.tone


def test_nlp_pipe_with_two_processes_gives_the_same_docs(with_sentencizer):
    texts = [*REPLIES, *SAMPLE_REPLIES]
    expected = [with_sentencizer(text) for text in texts]
    docs = list(with_sentencizer.pipe(texts, n_process=2, batch_size=3))
    assert [doc._.tone for doc in docs] == [doc._.tone for doc in expected]
    assert [spans_of(doc) for doc in docs] == [spans_of(doc) for doc in expected]
    assert all(isinstance(doc._.tone, toneguard.Report) for doc in docs)


def test_nlp_pipe_with_spawned_processes_registers_everything_in_each():
    """Spawned workers share nothing with the parent: the component, extensions and Report must travel."""
    script = """
        import json, multiprocessing, sys
        import spacy

        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn", force=True)
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            nlp.add_pipe("toneguard")
            texts = json.loads(sys.stdin.read())
            docs = nlp.pipe(texts, n_process=2, batch_size=2)
            print(json.dumps([[doc._.tone.model_dump(mode="json"), [[s.start, s.end, s.label_, s.kb_id_]
                              for s in doc.spans["toneguard"]]] for doc in docs]))
    """
    texts = [DRAFT, *SAMPLE_REPLIES]
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], input=json.dumps(texts), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    nlp = spacy.blank("en")
    nlp.add_pipe("toneguard")
    expected = [[nlp(text)._.tone.model_dump(mode="json"), [list(span) for span in spans_of(nlp(text))]] for text in texts]
    assert json.loads(done.stdout) == expected


def test_the_built_in_pipeline_is_spacys_blank_english():
    """Built without spacy.blank's registry look-up, it must tokenize exactly as spacy.blank("en") does."""
    from toneguard._engines.spacy_pipeline import build_pipeline

    ours, blank_english = build_pipeline(), spacy.blank("en")
    assert ours.lang == "en" and ours.pipe_names == ["sentencizer"]
    assert ours.tokenizer.to_bytes() == blank_english.tokenizer.to_bytes()
    assert ours.vocab.to_bytes() == blank_english.vocab.to_bytes()
