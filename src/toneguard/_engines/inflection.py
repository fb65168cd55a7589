"""Every inflected form of a word or phrase, generated once when the rules load.

Rules list base forms ("reauthenticate", "mount point", "tell"); a reply may
say "reauthenticated", "mount points" or "told". Rather than lemmatise every
reply (a cost on every call), the forms of each listed term are generated at
load and matched like any other phrase. Irregular forms come from spaCy's
English lookup table (``spacy-lookups-data``, read offline); words it lacks,
such as most jargon, get the regular English endings.

A form is labelled with its *slot* (plural, third person, past, -ing), so a
plain replacement can be put in the same slot: "reauthenticated" becomes
"signed in again", never "sign in again".
"""

from __future__ import annotations

import gzip
import json
from enum import Enum
from functools import cached_property
from importlib import resources

from .disk_cache import cached

_PARTICLES = frozenset(
    "in out up down on off over back away through around about into aside apart together ahead forward behind".split()
)
# Irregular noun plurals end like these ("indices", "children", "mice", "criteria"); other irregular forms
# in the lookup table are verb forms ("drove", "held") that share the noun's spelling.
_PLURAL_ENDINGS = ("s", "men", "ren", "ice", "eet", "eeth", "ae", "i", "a")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")


class Slot(str, Enum):
    base = "base"
    plural = "plural"  # nouns
    third_person = "third_person"  # verbs: "mounts"
    past = "past"  # verbs: past tense and past participle
    gerund = "gerund"  # verbs: "mounting"


class PartOfSpeech(str, Enum):
    noun = "noun"
    verb = "verb"
    adjective = "adj"  # listed forms only, like other
    other = "other"  # listed forms only

    @property
    def slots(self) -> tuple[Slot, ...]:
        if self is PartOfSpeech.noun:
            return (Slot.base, Slot.plural)
        if self is PartOfSpeech.verb:
            return (Slot.base, Slot.third_person, Slot.past, Slot.gerund)
        return (Slot.base,)


class Inflector:
    """Inflects words and phrases, irregular forms from spaCy's lookup table and regular ones by rule."""

    @cached_property
    def _irregular(self) -> dict[str, list[str]]:
        """Lemma -> its forms in spaCy's English lookup table (form -> lemma there)."""
        data = (resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz").read_bytes()
        return cached("lemma-forms", data, lambda: _reverse(json.loads(gzip.decompress(data))))

    def forms(self, phrase: str, pos: PartOfSpeech) -> dict[Slot, list[str]]:
        """Each slot's spellings of ``phrase`` (base first), inflecting the phrase's head words."""
        words = phrase.split(" ")
        heads = _heads(words, pos)
        result: dict[Slot, list[str]] = {}
        for slot in pos.slots:
            variants = [list(words)]
            for index in heads:
                variants = [
                    [*variant[:index], spelling, *variant[index + 1 :]]
                    for variant in variants
                    for spelling in self.word_forms(words[index], slot)
                ]
            result[slot] = list(dict.fromkeys(" ".join(variant) for variant in variants))
        return result

    def all_forms(self, word: str) -> list[str]:
        """Every form of ``word`` as a noun or a verb, for token patterns that name a lemma."""
        seen = dict.fromkeys([word])
        for pos in (PartOfSpeech.noun, PartOfSpeech.verb):
            for slot in pos.slots:
                seen.update(dict.fromkeys(self.word_forms(word, slot)))
        return list(seen)

    def word_forms(self, word: str, slot: Slot) -> list[str]:
        """Spellings of one word in ``slot``: the table's irregular ones if it has some, else the regular ones."""
        if slot is Slot.base or not word.replace("-", "").isalpha():
            return [word]  # numbers and codes ("802.11", "PID 1") do not inflect
        if word.isupper() and slot in (Slot.plural, Slot.third_person):
            return [word + "s"]  # acronyms: "VMs", "APIs"
        lower = word.lower()
        if slot is Slot.past and lower in _UNCHANGED_PAST:
            return [word]
        irregular = [form for form in self._irregular.get(lower, ()) if _slot_of(lower, form, slot)]
        return [_same_case(word, form) for form in dict.fromkeys(irregular or _regular(lower, slot))]


def _heads(words: list[str], pos: PartOfSpeech) -> list[int]:
    """The positions of the words that inflect.

    A noun phrase inflects its last word ("mount points"), or the word before
    a closing "of" phrase ("points of sale"). A verb phrase inflects its first word ("logged
    in", "flushed the cache", "signed in again"), except a two-word compound
    whose second word is not a particle or function word ("power cycled");
    "and"/"or" join a second verb that inflects too ("wiped and reinstalled").
    """
    if len(words) == 1:
        return [0]
    lower = [word.lower() for word in words]
    if pos is PartOfSpeech.noun:
        return [len(words) - 3] if len(words) >= 3 and lower[-2] == "of" else [len(words) - 1]
    from spacy.lang.en.stop_words import STOP_WORDS  # here, so reading the rules schema does not load spaCy

    if len(words) == 2 and lower[1] not in _PARTICLES and lower[1] not in STOP_WORDS:
        return [1]
    heads = [0]
    for index, word in enumerate(lower[1:-1], start=1):
        if word in ("and", "or"):
            heads.append(index + 1)
    return heads


def _reverse(lookup: dict[str, str]) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for form, lemma in lookup.items():
        if len(form) > 1 and form != lemma and form.isalpha():
            forms.setdefault(lemma, []).append(form)
    return forms


_IRREGULAR_THIRD_PERSON = frozenset({"is", "has", "does", "goes"})
# Verbs whose past is spelled like the present; the lookup table cannot say so (it omits a form equal to its lemma).
_UNCHANGED_PAST = frozenset(
    "bet bid broadcast burst cast cost cut fit hit hurt input let offset output preset put quit read reset "
    "set shed shut slit split spread thrust upset".split()
)


def _slot_of(lemma: str, form: str, slot: Slot) -> bool:
    """Whether the lookup table's ``form`` of ``lemma`` fills ``slot`` (the table itself has no slots)."""
    if slot is Slot.gerund:
        return form.endswith("ing")
    if form.endswith("ing") or form in (lemma + "er", lemma + "est", lemma + "r", lemma + "st"):
        return False  # comparatives share the table with verb forms: "clearer"
    if slot is Slot.plural:
        return form.endswith(_PLURAL_ENDINGS)
    third_person = form in _regular(lemma, Slot.third_person) or form in _IRREGULAR_THIRD_PERSON
    return third_person if slot is Slot.third_person else not third_person and not form.endswith("s") or form == "was"


def _regular(word: str, slot: Slot) -> list[str]:
    """Regular English endings; a final consonant is given both undoubled and doubled ("logged", "chrooted")."""
    if slot in (Slot.plural, Slot.third_person):
        if word.endswith(_SIBILANT_ENDINGS):
            return [word + "es"]
        if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
            return [word[:-1] + "ies"]
        return [word + "s"]
    if slot is Slot.past:
        if word.endswith("e"):
            return [word + "d"]
        if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
            return [word[:-1] + "ied"]
        return [word + "ed", *([word + word[-1] + "ed"] if _doubles(word) else [])]
    if slot is Slot.gerund:
        if word.endswith("ie"):
            return [word[:-2] + "ying"]
        if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
            return [word[:-1] + "ing"]
        return [word + "ing", *([word + word[-1] + "ing"] if _doubles(word) else [])]
    return [word]


def _doubles(word: str) -> bool:
    """A word ending consonant-vowel-consonant may double its last letter ("log" -> "logged")."""
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def _same_case(model: str, form: str) -> str:
    """``form`` (lower case) spelled with ``model``'s capitals where the two agree ("ETag" -> "ETags")."""
    shared = 0
    while shared < min(len(model), len(form)) and model[shared].lower() == form[shared]:
        shared += 1
    return model[:shared] + form[shared:]


_shared: Inflector | None = None


def shared_inflector() -> Inflector:
    """One inflector for the process: its table is read once, whichever engine asks first."""
    global _shared
    if _shared is None:
        _shared = Inflector()
    return _shared
