"""SKOS concepts by label and by keyword: a label or a text in, concepts (with the evidence for each) out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from hyvinvointi_kg.assembly.lemmas import Lemmatiser, english_form, load_lemmatiser, word_forms
from hyvinvointi_kg.assembly.vocabulary import label_key
from hyvinvointi_kg.namespaces import BASE, HK

__all__ = ["ConceptIndex", "MatchKind", "TargetGroupMatch"]

MatchKind = TypingLiteral["word form", "lemma", "compound", "hyphen-elided compound", "English", "employees",
                           "field competence"]
"""How a keyword matched: the keyword as written, its lemma, as a part of a compound word,
completed from a hyphen-elided coordination ("mielenterveys- ja päihdeasiakkaille"), as an
English word sequence, or a staff word in a sentence about the staff's own work ability or
employment, which names them as employees ("työntekijöiden työssäjaksamiseen"), or the
competence or experts of a field ("sosiaalialan osaamisen"), which names its professionals."""

#: The concept of working-age adults, to which a staff word about the staff's own work ability
#: or employment is counted (see :meth:`ConceptIndex.find_target_groups`).
WORKING_AGE = URIRef(f"{BASE}concept/target-group/tyoikaiset")
#: The concept of professionals, to which the competence or experts of a field are counted.
PROFESSIONALS = URIRef(f"{BASE}concept/target-group/ammattilaiset")

#: Person nouns that may follow a keyword inside a compound word and keep its meaning:
#: "maahanmuuttajataustainen", "maahanmuuttajaäiti", "maahanmuuttajanaiset", "maahanmuuttajanuoret",
#: "alkuperäiskansayhteisö".
#: Stems, so that every inflected form starts with one of them.
_HEAD_STEMS = ("tausta", "äiti", "äidi", "nais", "naine", "perhe", "asiak", "nuor", "lapsi", "lapse",
               "väestö", "opiskelij", "oppila", "yhteisö")

# The implementer rule (see :meth:`ConceptIndex.find_target_groups`): words that make the
# group in their clause the one carrying out the project.
_IMPLEMENTING_VERBS = frozenset({"toteuttaa", "toteuttavat", "toteutti", "toteuttivat", "toteuttaneet",
                                 "hallinnoi", "hallinnoivat"})
_RESPONSIBLE_VERBS = frozenset({"vastaa", "vastaavat", "vastasi", "vastasivat"})
_IMPLEMENTER_NOUN = re.compile(r"(?:osa)?toteuttaj|hallinnoij|(?:yhteistyö)?kumppan")
_AGENT_PARTICIPLE = re.compile(r"(?:toteuttam|hallinnoim|järjestäm|tuottam)"
                               r"(?:a|an|aa|at|ana|assa|asta|aan|alla|ien|ia|ille|issa)")
_TARGET_WORDS = re.compile(r"kohderyhm|suunnat|tarkoitet|hyöd")
_PROJECT_WORD = re.compile(r"(?:hank|projekt)\w*")
_STAFF = re.compile(r"työntekij|edustaj|henkilöst|henkilökun")
_EMPLOYEE_STAFF = re.compile(r"työntekij|henkilöst|henkilökun")
#: Words of a sentence about the staff's own work: wellbeing and ability at work, employment, daily life.
_OWN_WORK = re.compile(r"työhyvinvoin|työssä|jaksami|työky|työllisty|työolo|ar[kj]e|arki")
#: A field before a staff word: "terveysalan työntekijät" are professionals of that field.
_FIELD = re.compile(r"\w+(?:alan|alojen)")
_WORKING = re.compile(r"toimi|työskentel")
_HIRING = re.compile(r"palka(?:t|ta|taan|ttiin|ttu)|palkkaa\w*|rekrytoi(?:daan|tiin|daan|mme|da)")
#: A field's competence or experts: "sosiaalialan osaamisen", "sote-alan asiantuntijat".
_FIELD_WORD = re.compile(r"[\w-]{3,}-?(?:alan|alojen)")
_COMPETENCE = re.compile(r"osaami|asiantunti|ammattitai")
_CONJUNCTIONS = frozenset({"ja", "tai", "sekä", "eli", "and", "or"})
_CLAUSE_START = re.compile(r"(?:jo|mi)\w*|mutta|kun|koska|sillä|ja|eli|kuten")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*-?")
_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)")


@dataclass(frozen=True)
class TargetGroupMatch:
    """A target-group concept found in a text, and the evidence for it.

    Attributes
    ----------
    concept
        The target-group concept.
    keyword
        The ``skos:hiddenLabel`` of the concept that matched, as the scheme writes it.
    words
        The matched words as the text writes them.
    kind
        How the keyword matched (:data:`MatchKind`).
    start
        The offset of *words* in the text.
    """

    concept: URIRef
    keyword: str
    words: str
    kind: MatchKind
    start: int

    @property
    def rule(self) -> str:
        """The rule as a claim records it: keyword, how it matched and the words in the text.

        Examples
        --------
        >>> TargetGroupMatch(URIRef("https://example.org/tg"), "työtön", "työttömille", "lemma", 0).rule
        "keyword 'työtön' (lemma): 'työttömille'"
        """
        return f"keyword {self.keyword!r} ({self.kind}): {self.words!r}"


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    forms: frozenset[str]


@dataclass(frozen=True)
class _Keyword:
    concept: URIRef
    label: str
    words: tuple[frozenset[str], ...]
    english: bool


def _match_word(form: str, keyword: str) -> MatchKind | None:
    """How one word form matches a one-word keyword form, if it does."""
    if form == keyword:
        return "lemma"
    if len(form) - len(keyword) >= 3 and form.endswith(keyword):
        return "compound"  # the keyword is the head: "pitkäaikaistyötön", "aluejärjestö"
    if form.startswith(keyword) and form[len(keyword):].startswith(_HEAD_STEMS):
        return "compound"  # a person noun follows: "maahanmuuttajataustainen"
    return None


class ConceptIndex:
    """Resolve labels and keywords to concepts of the project's SKOS schemes.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> index = ConceptIndex(load_ontology())
    >>> index.resolve("Toiminta päättynyt", scheme="status").split("/")[-1]
    'ended'
    >>> [c.split("/")[-1] for c, _ in index.match_target_groups("syrjäytymisvaarassa olevat nuoret")]
    ['heikommassa-asemassa-olevat', 'nuoret']
    """

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._labels: dict[tuple[str, str], URIRef] = {}
        self._hidden: list[tuple[URIRef, Literal]] = []
        self._keywords: dict[str, tuple[_Keyword, ...]] = {}
        self._lemmas: dict[str, Callable[[str], frozenset[str]]] = {}
        for concept in sorted(set(graph.subjects(SKOS.inScheme, None)), key=str):
            scheme = graph.value(concept, SKOS.inScheme)
            if not isinstance(concept, URIRef) or scheme is None:
                continue
            scheme_id = str(scheme).removeprefix(BASE + "concept/")
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, prop):
                    self._labels.setdefault((scheme_id, label_key(str(label))), concept)
            if scheme_id == "target-group":
                self._hidden.extend((concept, hidden) for hidden in sorted(
                    graph.objects(concept, SKOS.hiddenLabel), key=str) if isinstance(hidden, Literal))

    def resolve(self, label: str, *, scheme: str) -> URIRef | None:
        """The concept of *scheme* (e.g. ``"status"``) with this pref- or altLabel."""
        return self._labels.get((scheme, label_key(label)))

    def _lemmatise(self, lemmatiser: Lemmatiser) -> Callable[[str], frozenset[str]]:
        if lemmatiser not in self._lemmas:
            self._lemmas[lemmatiser] = load_lemmatiser(lemmatiser)
        return self._lemmas[lemmatiser]

    def _keywords_for(self, lemmatiser: Lemmatiser) -> tuple[_Keyword, ...]:
        if lemmatiser not in self._keywords:
            lemmas = self._lemmatise(lemmatiser)
            keywords = []
            for concept, hidden in self._hidden:
                english = hidden.language == "en"
                words = _TOKEN.findall(str(hidden))
                forms = tuple(frozenset({english_form(w)}) if english else word_forms(w, lemmas)
                              for w in words)
                keywords.append(_Keyword(concept, str(hidden), forms, english))
            self._keywords[lemmatiser] = tuple(keywords)
        return self._keywords[lemmatiser]

    def find_target_groups(self, text: str, *, lemmatiser: Lemmatiser = "simplemma"
                           ) -> tuple[TargetGroupMatch, ...]:
        """Target-group concepts whose keywords (``skos:hiddenLabel``) occur in *text*, by lemma.

        A word matches a Finnish keyword when one of its forms (as written, its lemmas by
        *lemmatiser*) equals a form of the keyword, ends with it (a compound whose head is the
        keyword: "pitkäaikaistyöttömille" → "työtön"), or is the keyword followed by a person
        noun ("maahanmuuttajataustaisten" → "maahanmuuttaja"). A hyphen-elided first part is
        completed with the head of the word after the conjunction ("mielenterveys- ja
        päihdeasiakkaille" → "mielenterveysasiakas"). Keywords of several words match lemma
        sequences; English keywords (``@en``) match lower-case words without a plural -s. Of
        the keywords matching at one word, only the longest counts ("pitkäaikaistyötön", not
        also "työtön").

        **An implementer is never a target group.** An occurrence is left out when the text
        says that the group carries out the project or works for it:

        - in a clause (up to ``.``, ``;``, ``:`` or a comma before a relative pronoun or a
          conjunction) with an active form of *toteuttaa* or *hallinnoida*, or *vastata* with a
          *toteut-* word, the group word in the nominative (the subject: "jonka toteutuksesta
          vastaavat yhdistykset ja järjestöt");
        - in a clause naming implementers or partners ("toteuttajina", "osatoteuttaja",
          "yhteistyökumppanit"), unless it also names a target ("kohderyhmä", "suunnattu",
          "tarkoitettu", "hyötyä");
        - just before an agent participle ("MLL:n vapaaehtoisten toteuttaman tukihenkilötoiminnan");
        - between *yhteistyö-* and *kanssa* ("yhteistyössä ... järjestöjen kanssa": partners);
        - right after "hankkeen" ("hankkeen työntekijät": the project's own staff);
        - in a project's name ("Ohjaa nuori tulevaan -hankkeella"): the words before
          "-hanke" or "-projekti", back to the first capitalised one within four words;
        - as the employer or clientele of the people meant: right before a staff noun
          ("järjestöjen työntekijät") or within two words before "parissa" followed by a
          form of *toimia* or *työskennellä* ("asukkaiden hyvinvoinnin parissa toimivat");
          "opettajien parissa" alone says whom the project works with;
        - hired by the project: the two words after a form of *palkata* or *rekrytoida*
          ("palkataan lisähenkilöstöä päiväkoteihin": the staff are a means, the children the aim).

        **Employees.** A staff word ("työntekijät", "henkilöstö") in a sentence about the
        staff's own wellbeing or ability at work, employment or daily life
        ("työntekijöiden työssäjaksamiseen", "työntekijöiden työllistymismahdollisuuksia")
        names them as working-age adults (:data:`WORKING_AGE`, kind ``employees``), and as
        professionals too only when a field precedes it ("terveysalan työntekijöiden työkyvyn").
        **A field's competence.** A field next to its competence or experts ("sosiaalialan
        osaamisen", "osaamista sote-alan", "sote-alan asiantuntijat") names the field's
        professionals (:data:`PROFESSIONALS`, kind ``field competence``).

        Parameters
        ----------
        text
            The text to search.
        lemmatiser
            ``"simplemma"`` (pure Python) or ``"voikko"`` (libvoikko with the Finnish
            dictionary, more complete on compounds).

        Returns
        -------
        tuple of TargetGroupMatch
            One per concept, its first occurrence, sorted by concept IRI.

        Raises
        ------
        InputError
            If the lemmatiser is unknown or not installed.

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_ontology
        >>> index = ConceptIndex(load_ontology())
        >>> for m in index.find_target_groups(
        ...         "Hanke tukee pitkäaikaistyöttömiä ja maahanmuuttajataustaisia naisia."):
        ...     print(m.concept.split("/")[-1], m.words, m.kind)
        maahanmuuttajat maahanmuuttajataustaisia compound
        pitkaaikaistyottomat pitkäaikaistyöttömiä lemma
        >>> [m.concept.split("/")[-1] for m in index.find_target_groups(
        ...     "Hanketta toteuttavat paikalliset järjestöt.")]
        []
        """
        lemmas = self._lemmatise(lemmatiser)
        keywords = self._keywords_for(lemmatiser)
        found: dict[URIRef, TargetGroupMatch] = {}
        for sentence_start, sentence in _sentences(text):
            tokens = [_Token(m.group(), sentence_start + m.start(), sentence_start + m.end(),
                             word_forms(m.group(), lemmas))
                      for m in _TOKEN.finditer(sentence)]
            excluded = _implementer_tokens(tokens, sentence, sentence_start)
            own_work = any(_OWN_WORK.match(t.text.casefold()) for t in tokens)
            for match, (first, last) in _matches(tokens, keywords, text):
                if not excluded.isdisjoint(range(first, last)):
                    continue
                if own_work and _EMPLOYEE_STAFF.match(match.words.casefold()):
                    found.setdefault(WORKING_AGE, replace(match, concept=WORKING_AGE, kind="employees"))
                    if not (first and _FIELD.fullmatch(tokens[first - 1].text.casefold())):
                        continue
                found.setdefault(match.concept, match)
            for first, last in _field_competence(tokens):
                if excluded.isdisjoint(range(first, last + 1)):
                    words = text[tokens[first].start:tokens[last].end]
                    found.setdefault(PROFESSIONALS, TargetGroupMatch(
                        PROFESSIONALS, "-alan osaaminen", words, "field competence", tokens[first].start))
        return tuple(sorted(found.values(), key=lambda m: str(m.concept)))

    def match_target_groups(self, text: str, *, lemmatiser: Lemmatiser = "simplemma"
                            ) -> list[tuple[URIRef, str]]:
        """Target-group concepts found in *text* with the keyword that matched, sorted by IRI:
        :meth:`find_target_groups` without the evidence.

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_ontology
        >>> ConceptIndex(load_ontology()).match_target_groups("ikäihmisille")
        [(rdflib.term.URIRef('https://w3id.org/hyvinvointi-kg/concept/target-group/ikaantyneet'), 'ikäihminen')]
        """
        return [(m.concept, m.keyword) for m in self.find_target_groups(text, lemmatiser=lemmatiser)]

    def theme_of_objective(self, objective: URIRef) -> URIRef | None:
        """The theme a programme objective implies (``hk:impliesTheme``), if any."""
        theme = self._graph.value(objective, HK.impliesTheme)
        return theme if isinstance(theme, URIRef) else None


def _sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of *text* with their offsets, cut after ``.``, ``!``, ``?``, ``;`` and ``:``."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        pieces.append((start, text[start:end.end()]))
        start = end.end()
    pieces.append((start, text[start:]))
    return pieces


def _matches(tokens: list[_Token], keywords: tuple[_Keyword, ...], text: str
             ) -> list[tuple[TargetGroupMatch, tuple[int, int]]]:
    """Every keyword match in one sentence with the token range it covers; of the matches
    starting at one token only the longest keywords."""
    by_start: dict[int, list[tuple[int, TargetGroupMatch, tuple[int, int]]]] = {}
    for i, token in enumerate(tokens):
        for keyword in keywords:
            n = len(keyword.words)
            if i + n > len(tokens):
                continue
            kind: MatchKind | None
            if keyword.english:
                kind = "English" if all(
                    english_form(tokens[i + j].text) in keyword.words[j] for j in range(n)) else None
                length = sum(len(w) for w in keyword.label.split())
            elif n > 1:
                kind = "lemma" if all(tokens[i + j].forms & keyword.words[j] for j in range(n)) else None
                length = sum(len(w) for w in keyword.label.split())
            else:
                if token.text.endswith("-"):  # an elided first part never matches alone
                    kind, length, n = _elided_match(tokens, i, keyword.words[0])
                else:
                    kind, length = _best_word_match(token.forms, keyword.words[0])
            if kind is None:
                continue
            if kind == "lemma" and all(tokens[i + j].text.casefold() == w.casefold()
                                       for j, w in enumerate(keyword.label.split())):
                kind = "word form"
            words = text[token.start:tokens[i + n - 1].end]
            by_start.setdefault(i, []).append(
                (length, TargetGroupMatch(keyword.concept, keyword.label, words, kind, token.start),
                 (i, i + n)))
    result: list[tuple[TargetGroupMatch, tuple[int, int]]] = []
    for candidates in by_start.values():
        best = max(length for length, _, _ in candidates)
        # ties: the keyword written as in the text, else the shortest (the base form)
        candidates.sort(key=lambda c: (c[1].kind != "word form", len(c[1].keyword), c[1].keyword))
        result.extend((match, span) for length, match, span in candidates if length == best)
    # a match inside a longer one is part of it: "nuorten aikuisten" is not also "aikuiset"
    spans = {span for _, span in result}
    return [(match, span) for match, span in result
            if not any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in spans)]


def _best_word_match(forms: frozenset[str], keyword: frozenset[str]) -> tuple[MatchKind | None, int]:
    """The best way one token's forms match a one-word keyword (the longest keyword form, a
    whole-word match before a compound), and the length of that keyword form."""
    found = [(len(word), kind == "lemma", kind) for form in forms for word in keyword
             if (kind := _match_word(form, word)) is not None]
    if not found:
        return None, 0
    length, _, kind = max(found)
    return kind, length


def _elided_match(tokens: list[_Token], i: int, keyword: frozenset[str]
                  ) -> tuple[MatchKind | None, int, int]:
    """Complete the hyphen-elided word at *i* ("mielenterveys-") with the head of the word after
    the next conjunction ("ja päihdeasiakkaille") and match it; also returns the token count."""
    j = i + 1
    while j < len(tokens) and tokens[j].text.endswith("-"):
        j += 1
    if j + 1 >= len(tokens) or tokens[j].text.casefold() not in _CONJUNCTIONS:
        return None, 0, 1
    first = tokens[i].text.casefold().rstrip("-")
    for form in sorted(tokens[j + 1].forms):
        for split in range(1, len(form) - 3):
            head = form[split:]
            for word in keyword:
                # the keyword must reach into the elided part, else the last word matches alone
                if len(word) > len(head) and _match_word(first + head, word) is not None:
                    return "hyphen-elided compound", len(word), j + 2 - i
    return None, 0, 1


def _field_competence(tokens: list[_Token]) -> list[tuple[int, int]]:
    """Pairs of adjacent tokens, a field ("sosiaalialan") and its competence or experts, in either order."""
    words = [t.text.casefold() for t in tokens]
    return [(k, k + 1) for k in range(len(words) - 1)
            if (_FIELD_WORD.fullmatch(words[k]) and _COMPETENCE.match(words[k + 1]))
            or (_COMPETENCE.match(words[k]) and _FIELD_WORD.fullmatch(words[k + 1]))]


def _implementer_tokens(tokens: list[_Token], sentence: str, offset: int) -> set[int]:
    """Indices of the tokens of one sentence that name implementers, partners, or those whose
    staff or clientele is meant (the rule in :meth:`ConceptIndex.find_target_groups`)."""
    excluded: set[int] = set()
    words = [t.text.casefold() for t in tokens]
    for clause in _clauses(tokens, sentence, offset):
        clause_words = [words[k] for k in clause]
        active = any(w in _IMPLEMENTING_VERBS for w in clause_words) or (
            any(w in _RESPONSIBLE_VERBS for w in clause_words)
            and any(w.startswith("toteut") for w in clause_words))
        if active:
            # the subject: a nominative (plural in -t, or the lemma itself)
            excluded.update(k for k in clause if _is_nominative(tokens[k]))
        if any(_IMPLEMENTER_NOUN.match(w) for w in clause_words) and not any(
                _TARGET_WORDS.match(w) for w in clause_words):
            excluded.update(clause)
    for k, word in enumerate(words):
        if _AGENT_PARTICIPLE.fullmatch(word):
            excluded.update(range(max(0, k - 2), k))
        if word.startswith("yhteistyö"):
            end = next((m for m in range(k + 1, len(words)) if words[m] == "kanssa"), None)
            if end is not None:
                excluded.update(range(k + 1, end))
        if _HIRING.fullmatch(word):
            excluded.update(range(k + 1, min(len(words), k + 3)))
        if word == "hankkeen" and k + 1 < len(words):
            excluded.add(k + 1)
        if _STAFF.match(word) and k > 0:
            excluded.add(k - 1)
        if word == "parissa" and k + 1 < len(words) and _WORKING.match(words[k + 1]):
            excluded.update(range(max(0, k - 2), k))
        if k and _PROJECT_WORD.fullmatch(word) and "-" in sentence[
                tokens[k - 1].end - offset:tokens[k].start - offset]:
            # a project's name: "Ohjaa nuori tulevaan -hankkeella"; back to its first capital
            capitals = [m for m in range(max(0, k - 4), k) if tokens[m].text[:1].isupper()]
            excluded.update(range(capitals[0] if capitals else k - 1, k))
    return excluded


def _is_nominative(token: _Token) -> bool:
    """Whether *token* may be a nominative: plural in -t, or written as its own lemma."""
    word = token.text.casefold()
    return word.endswith("t") or len(token.forms) == 1


def _clauses(tokens: list[_Token], sentence: str, offset: int) -> list[list[int]]:
    """Token indices of the clauses of one sentence: a new clause starts after a comma that is
    followed by a relative pronoun or a conjunction."""
    clauses: list[list[int]] = [[]]
    for k, token in enumerate(tokens):
        before = sentence[tokens[k - 1].end - offset:token.start - offset] if k else ""
        if "," in before and _CLAUSE_START.fullmatch(token.text.casefold()):
            clauses.append([])
        clauses[-1].append(k)
    return clauses
