"""Word forms for keyword matching: a Finnish or English word in, its lower-case form and lemmas out."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Literal as TypingLiteral

from hyvinvointi_kg.errors import InputError

__all__ = ["Lemmatiser", "english_form", "load_lemmatiser", "word_forms"]

Lemmatiser = TypingLiteral["simplemma", "voikko"]
"""The Finnish lemmatisers :meth:`hyvinvointi_kg.assembly.concepts.ConceptIndex.find_target_groups` can use."""

#: The case endings of a word in -inen ("kulttuuritaustaisten" → "kulttuuritaustainen"), for
#: the words simplemma leaves as they are; the stem keeps at least three letters.
_INEN = re.compile(r"(?<=...)is(?:en|ta|tä|et|ten|ien|ia|iä|ella|ellä|illa|illä|elle|ille|elta|eltä|"
                   r"ilta|iltä|een|iin|essa|essä|issa|issä|esta|estä|ista|istä|ena|enä|ina|inä|eksi|iksi)$")


def english_form(word: str) -> str:
    """Lower case without a plural -s: the whole English normalisation."""
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def load_lemmatiser(name: Lemmatiser) -> Callable[[str], frozenset[str]]:
    """A function giving the candidate lemmas (lower case) of one Finnish word.

    Raises
    ------
    InputError
        If *name* is unknown, or ``"voikko"`` and libvoikko or its Finnish dictionary is missing.
    """
    if name == "simplemma":
        import simplemma

        def lemmas(word: str) -> frozenset[str]:
            lemma = simplemma.lemmatize(word, lang="fi").casefold()
            if lemma == word and (base := _INEN.sub("inen", word)) != word:
                return frozenset({lemma, base})  # a word simplemma does not know
            return frozenset({lemma})

    elif name == "voikko":
        install = ("pip install libvoikko, and the Finnish dictionary "
                   "(Debian: apt-get install libvoikko1 voikko-fi)")
        try:
            import libvoikko
        except ImportError as err:
            raise InputError(f"lemmatiser='voikko' needs libvoikko: {install}") from err
        try:
            voikko = libvoikko.Voikko("fi")
        except OSError as err:
            raise InputError(f"lemmatiser='voikko' cannot load Finnish Voikko ({err}): {install}") from err

        def lemmas(word: str) -> frozenset[str]:
            found = {str(a["BASEFORM"]).casefold() for a in voikko.analyze(word) if "BASEFORM" in a}
            return frozenset(found or {word.casefold()})

    else:
        raise InputError(f"unknown lemmatiser {name!r}; use 'simplemma' or 'voikko'")
    return functools.lru_cache(maxsize=None)(lemmas)


def word_forms(word: str, lemmas: Callable[[str], frozenset[str]]) -> frozenset[str]:
    """The surface form (lower case) and lemmas of *word*; a hyphenated compound also as one
    word with its last part lemmatised ("maahanmuuttaja-asiakkaille" → "maahanmuuttajaasiakas")."""
    folded = word.casefold().rstrip("-")
    forms = {folded, *lemmas(folded)}
    if "-" in folded:
        *head, last = folded.replace("‐", "-").split("-")
        forms.update("".join(head) + lemma for lemma in lemmas(last))
    return frozenset(forms)

