"""The check that a text reads as English."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

# Common function words of the languages help desks most often receive besides English.
# Words shared with English ("a", "me", "no", "die") are left out so they cannot tip the balance.
_FOREIGN_FUNCTION_WORDS = frozenset(
    "el la los las del que y en por para con una es está pero muy gracias hola "
    "le les des du et est une avec pour sur dans pas je vous nous merci bonjour "
    "der das und ist nicht ein eine mit für auf ich sie wir danke bitte auch "
    "o os um uma não com obrigado você "
    "il gli che di è per non sono grazie ciao "
    "het een en niet ik je wij dank".split()
) - STOP_WORDS


def reads_as_english(text: str, words: list[str]) -> bool:
    """False when the prose (``text``, its lower-cased ``words``) is mostly another script or another language's function words."""
    if not text.isascii():  # ASCII letters are all Latin script
        letters = [ch for ch in text if ch.isalpha()]
        if not letters:
            return True
        latin = sum(1 for ch in letters if ch < "\u0250")
        if latin / len(letters) < 0.5:
            return False
    english = sum(map(STOP_WORDS.__contains__, words))
    foreign = sum(map(_FOREIGN_FUNCTION_WORDS.__contains__, words))
    if len(words) < 5:
        # Too short to weigh counts: only a foreign function word with no English one decides ("Hola. Listo.").
        return not (foreign >= 1 and english == 0)
    return not (foreign >= 2 and foreign > english)
