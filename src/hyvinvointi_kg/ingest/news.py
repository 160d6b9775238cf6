"""News releases announcing a project's funding decision (Finnish prose, partly mojibake) parsed into claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import ftfy
from ftfy.badness import badness
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.places import PlaceIndex
from hyvinvointi_kg.assembly.provenance import Stated, add_claim
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest._common import parse_day_range
from hyvinvointi_kg.ingest.sources import SourceDocument, read_lines
from hyvinvointi_kg.namespaces import AMOUNT_KIND, HK, ID, funding_iri, organisation_iri, project_iri

__all__ = ["MojibakeRepair", "NewsRecord", "news_release_to_graph", "parse_news_release", "repair_mojibake"]

# UTF-8 bytes shown in a Mac OS character set: "ä" -> "√§". ftfy's own detection
# knows Mac Roman but not its Central European sibling, and scores "√§" as
# plausible text, so these plans are tried as well (in ftfy's plan format).
_MAC_PLANS: tuple[list[tuple[str, str]], ...] = (
    [("encode", "macroman"), ("decode", "utf-8")],
    [("encode", "mac_latin2"), ("decode", "utf-8")],
)
# What a repaired Finnish line may contain beyond ASCII: Latin-1 and Latin Extended-A
# letters, general punctuation (– ” …, no-break spaces) and currency signs (€).
_PLAUSIBLE = re.compile(r"[\x00-\x7f\u00a0-\u017f\u2000-\u206f\u20a0-\u20cf]*")
_CHARSET_NAMES = {
    "macroman": "Mac OS Roman",
    "mac_latin2": "Mac OS Central European, a Mac Roman variant",
    "latin-1": "Latin-1",
    "sloppy-windows-1252": "Windows-1252",
}

_PUBLISHED = re.compile(r"^Julkaistu (\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DECISION = re.compile(
    r"(?:^|(?<=[.!?] ))(?P<implementer>\S.*? hallinnoima) (?P<title>.+?) -hanke on saanut (?:myönteisen )?"
    r"rahoituspäätöksen (?P<fund>[A-ZÄÖ+]+) / (?P<programme>.+?) -rakennerahastolta"
)
_BUDGET = re.compile(r"kokonaisbudjetti on (?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)? euroa)"
                     r"(?:, (?P<shares>josta [^.]+))?")
# "josta ESR -rahasto rahoittaa 80 % ja Itä-Lapin kunnat 20 %": the budget includes
# the municipalities' own share, so it is the whole project's, not the fund's.
_MUNICIPAL_SHARE = re.compile(r"\bkunn(?:at|ien)\b.*?\d+(?:,\d+)?\s*%", re.IGNORECASE)
_AREA = re.compile(r"toiminta-alueena on (?P<places>[^.]+)\.")
_PERIOD = re.compile(r"Hankeaika on (?P<period>\d{1,2}\.\d{1,2}\.\d{4}\s*[–-]\s*\d{1,2}\.\d{1,2}\.\d{4})")
_TARGET_GROUP_LINE = re.compile(r"kohderyhm", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")

# Genitive endings of organisation names ("Itä-Lapin kuntayhtymän hallinnoima").
_GENITIVE_ENDINGS = (
    ("kuntayhtymän", "kuntayhtymä"), ("kaupungin", "kaupunki"), ("kunnan", "kunta"),
    ("liiton", "liitto"), ("yhdistyksen", "yhdistys"), ("säätiön", "säätiö"),
    ("yliopiston", "yliopisto"), ("ammattikorkeakoulun", "ammattikorkeakoulu"),
    ("keskuksen", "keskus"), (" ry:n", " ry"), (" Oy:n", " Oy"),
)
_FUNDS = {"ESR": "esr", "EAKR": "eakr"}
_PROGRAMMES = {"kestävää kasvua ja työtä": ID["programme/rr-2014-2020"]}
# Releases state no project code: a project is known by its Finnish title, as the
# summary card writes it (S21758_summary_card_fi.txt line 7).
_PROJECT_TITLES = {"high five - yhteistyöllä hyvinvointia itä-lappiin": "S21758"}


@dataclass(frozen=True)
class MojibakeRepair:
    """A line that :func:`repair_mojibake` changed, the character set it had been misread in,
    and the line as the file holds it."""

    line: int
    misread_as: str
    original: str

    def as_written(self, stated: Stated) -> Stated:
        """*stated* (text of the repaired line) as the file writes it: the mojibake again.

        Re-encoding undoes the repair exactly when it was a plain misreading; if the
        result is not on the line, the whole line is what is stated.

        Examples
        --------
        >>> repair = MojibakeRepair(5, "mac_latin2", "It√§-Lapin kuntayhtym√§n hallinnoima")
        >>> repair.as_written(Stated("Itä-Lapin", 5, 5)).text
        'It√§-Lapin'
        """
        try:
            text = stated.text.encode("utf-8").decode(self.misread_as)
        except (LookupError, UnicodeError):
            text = ""
        if not text or text not in self.original:
            text = self.original.strip()
        return Stated(text, stated.first_line, stated.last_line)

    @property
    def rule(self) -> str:
        """The derivation rule that claims stated on this line carry."""
        charset = _CHARSET_NAMES.get(self.misread_as, self.misread_as)
        return f"line repaired from mojibake with ftfy (UTF-8 read as {charset})"


@dataclass(frozen=True)
class NewsRecord:
    """The facts a funding-decision news release states, each with its line.

    Text is as repaired by :func:`repair_mojibake`; line numbers are those of the
    original file. ``repairs`` lists the lines that needed repair.
    """

    file_name: str
    published: date
    published_stated: Stated
    implementer: str
    implementer_stated: Stated
    title: Stated
    fund: Stated
    programme: Stated
    total_budget_eur: Decimal
    total_budget: Stated
    total_budget_shares: Stated | None
    period: Stated
    start: date
    end: date
    municipalities: tuple[Stated, ...]
    target_group_lines: tuple[Stated, ...]
    repairs: tuple[MojibakeRepair, ...]


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_BENEFIT = re.compile(r"\bhyöty(vät|y|ä)\b", re.IGNORECASE)


def repair_mojibake(text: str) -> str:
    """Undo mojibake: UTF-8 text that was decoded in a wrong (8-bit) character set.

    First ftfy's own detection (Latin-1, Windows-125x, Mac Roman …). If that
    changes nothing, UTF-8 read as Mac OS Roman or Central European, which ftfy
    does not detect by itself (it does not know the Central European variant and
    scores ``√§`` as plausible): that repair is accepted only if the bytes decode
    as strict UTF-8, ftfy finds the result no less plausible, and the result uses
    no characters beyond Latin-1, Latin Extended-A, general punctuation and
    currency signs. Correct text (``ä``, ``ö``, ``–``, no-break spaces) is left
    alone: its Mac encoding is not valid UTF-8, or decodes to other scripts.

    The whole text is repaired or left as it is, so pass one line at a time:
    a line mixing correct and mis-encoded characters is left unchanged.

    Parameters
    ----------
    text
        Text, typically one line of a source.

    Returns
    -------
    str
        The repaired text, or *text* itself when it shows no mojibake.

    Examples
    --------
    >>> repair_mojibake("It√§-Lapin kuntayhtym√§ ‚Äď 277¬†440 euroa")
    'Itä-Lapin kuntayhtymä – 277\\xa0440 euroa'
    >>> repair_mojibake("Itä-Lapin kuntayhtymä – 277\\xa0440 euroa")
    'Itä-Lapin kuntayhtymä – 277\\xa0440 euroa'
    >>> repair_mojibake("hyvinvointi-palvelujen kehittÃ¤minen")
    'hyvinvointi-palvelujen kehittäminen'
    """
    return _repair(text)[0]


def _repair(text: str) -> tuple[str, str | None]:
    """The repaired text and the character set it had been misread in (``None``: unchanged)."""
    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if fixed != text:
        return fixed, next((arg for step, arg in steps or () if step == "encode"), "unknown")
    if text.isascii():
        return text, None
    for plan in _MAC_PLANS:
        try:
            candidate = ftfy.apply_plan(text, plan)
        except UnicodeError:
            continue
        if candidate != text and _PLAUSIBLE.fullmatch(candidate) and badness(candidate) <= badness(text):
            return candidate, plan[0][1]
    return text, None


def _nominative(name: str, genitive: str, stated: Stated) -> str:
    for ending, nominative in _GENITIVE_ENDINGS:
        if genitive.endswith(ending):
            return genitive[: -len(ending)] + nominative
    raise SourceError(f"{name}:{stated.first_line}: cannot tell the name of the organisation "
                      f"{genitive!r} (a genitive); add its ending to "
                      "hyvinvointi_kg.ingest.news._GENITIVE_ENDINGS")


def parse_news_release(path: Path) -> NewsRecord:
    """Parse a Finnish news release announcing a project's funding decision.

    Each line is repaired with :func:`repair_mojibake` first. The facts are
    found by the sentences that state them: ``Julkaistu d.m.yyyy``, ``… hallinnoima
    <title> -hanke on saanut myönteisen rahoituspäätöksen <fund> / <programme>
    -rakennerahastolta``, ``kokonaisbudjetti on … euroa``, ``toiminta-alueena on …``
    and ``Hankeaika on … – …``; lines mentioning a ``kohderyhmä`` describe target groups.
    A line that mixes correct and mis-encoded text is not repaired (see
    :func:`repair_mojibake`); a sentence on it then counts as absent.

    Parameters
    ----------
    path
        The release, a UTF-8 text file.

    Returns
    -------
    NewsRecord
        The facts with their (repaired) text and original line numbers.

    Raises
    ------
    SourceError
        If the file is missing or unreadable, or one of those sentences is absent
        or stated twice (the message names the file, and the line or the phrase).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> rec = parse_news_release(resource_dir("data/sources") / "S21758_news_2019-08-07_fi.txt")
    >>> rec.implementer, rec.title.text, rec.title.first_line
    ('Itä-Lapin kuntayhtymä', 'High five – Yhteistyöllä hyvinvointia Itä-Lappiin', 5)
    >>> rec.total_budget_eur, rec.end.isoformat(), [r.line for r in rec.repairs]
    (Decimal('277440'), '2021-08-31', [5, 28])
    """
    name = path.name
    lines: list[str] = []
    repairs: list[MojibakeRepair] = []
    for number, original in enumerate(read_lines(path), start=1):
        line, misread_as = _repair(original)
        lines.append(line.strip())
        if misread_as is not None:
            repairs.append(MojibakeRepair(number, misread_as, original))

    def find(pattern: re.Pattern[str], phrase: str) -> tuple[re.Match[str], int]:
        found = [(match, number) for number, line in enumerate(lines, start=1)
                 if (match := pattern.search(line))]
        if not found:
            raise SourceError(f"{name}: no line states {phrase!r}")
        if len(found) > 1:
            raise SourceError(f"{name}:{found[1][1]}: {phrase!r} stated a second time "
                              f"(first on line {found[0][1]})")
        return found[0]

    def stated(match: re.Match[str], group: str, number: int) -> Stated:
        return Stated(match.group(group), number, number)

    published, published_line = find(_PUBLISHED, "Julkaistu d.m.yyyy")
    try:
        published_on = date(*(int(published.group(i)) for i in (3, 2, 1)))
    except ValueError as err:
        raise SourceError(f"{name}:{published_line}: invalid date: {err}") from err

    decision, decision_line = find(_DECISION, "… hallinnoima … -hanke on saanut rahoituspäätöksen")
    implementer = stated(decision, "implementer", decision_line)
    genitive = implementer.text.removesuffix(" hallinnoima")

    budget, budget_line = find(_BUDGET, "kokonaisbudjetti on … euroa")
    budget_stated = stated(budget, "amount", budget_line)
    digits = re.sub(r"[\s\u00a0\u202f]|euroa", "", budget_stated.text).replace(",", ".")

    area, area_line = find(_AREA, "toiminta-alueena on …")
    municipalities = tuple(Stated(part.strip(), area_line, area_line)
                           for part in re.split(r",|\s+ja\s+", area.group("places")) if part.strip())

    period, period_line = find(_PERIOD, "Hankeaika on d.m.yyyy – d.m.yyyy")
    period_stated = stated(period, "period", period_line)
    start, end = parse_day_range(name, period_stated)

    return NewsRecord(
        file_name=name,
        published=published_on,
        published_stated=Stated(published.group(0), published_line, published_line),
        implementer=_nominative(name, genitive, implementer),
        implementer_stated=implementer,
        title=stated(decision, "title", decision_line),
        fund=stated(decision, "fund", decision_line),
        programme=stated(decision, "programme", decision_line),
        total_budget_eur=Decimal(digits),
        total_budget=budget_stated,
        total_budget_shares=stated(budget, "shares", budget_line) if budget.group("shares") else None,
        period=period_stated,
        start=start,
        end=end,
        municipalities=municipalities,
        target_group_lines=tuple(Stated(line, number, number) for number, line in enumerate(lines, start=1)
                                 if _TARGET_GROUP_LINE.search(line)),
        repairs=tuple(repairs),
    )


def _title_key(title: str) -> str:
    return " ".join(title.replace("–", "-").split()).casefold()


def news_release_to_graph(
    record: NewsRecord,
    source: SourceDocument,
    *,
    places: PlaceIndex,
    concepts: ConceptIndex,
) -> Graph:
    """Turn a news release into triples, each backed by a claim on its source line.

    The release states no project code: the project is the one whose Finnish
    title it states (a rule recorded on the claims). The funding record, amount
    and organisation IRIs are those the register uses, so the facts merge. The
    release's period and budget are the planned ones; they are claims beside the
    register's, not corrections of it. The total budget is the whole project's
    (``hk:projectBudget``), not the fund's: when the release says the municipalities
    pay a share of it, its kind is ``total-budget-incl-municipal-share``. The
    publication date belongs to the source document and is not added here.

    Parameters
    ----------
    record
        The parsed release.
    source
        The document it was parsed from.
    places
        Resolves the municipalities of the target area.
    concepts
        Resolves target-group keywords.

    Raises
    ------
    SourceError
        If the title, fund, programme or a municipality is unknown (the message
        says what to extend).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> from hyvinvointi_kg.assembly.places import place_graph
    >>> from hyvinvointi_kg.ingest.sources import describe_source
    >>> path = resource_dir("data/sources") / "S21758_news_2019-08-07_fi.txt"
    >>> g = news_release_to_graph(parse_news_release(path), describe_source(path),
    ...                           places=PlaceIndex(place_graph()), concepts=ConceptIndex(load_ontology()))
    >>> len(set(g.objects(project_iri("S21758"), HK.targetArea)))
    5
    """
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    repairs = {repair.line: repair for repair in record.repairs}

    def fail(stated: Stated, message: str) -> SourceError:
        return SourceError(f"{record.file_name}:{stated.first_line}: {message}")

    code = _PROJECT_TITLES.get(_title_key(record.title.text))
    if code is None:
        raise fail(record.title, f"no known project has the title {record.title.text!r}; add it "
                   "to hyvinvointi_kg.ingest.news._PROJECT_TITLES")
    project = project_iri(code)
    identified = (f"the release states no project code; its Finnish title is that of {code} "
                  "on its summary card")

    def claim(s: URIRef, p: URIRef, o: Literal | URIRef, stated: Stated, *rules: str) -> None:
        parts = [rule for rule in rules if rule]
        repaired = None
        repair = repairs.get(stated.first_line)
        if repair is not None:  # state the line's text as written; the repair beside it
            parts.append(repair.rule)
            stated, repaired = repair.as_written(stated), stated.text
        add_claim(g, s, p, o, source=source, stated=stated, rule="; ".join(parts) or None,
                  repaired=repaired)

    claim(project, RDF.type, HK.Project, record.title, identified)
    claim(project, DCTERMS.title, Literal(record.title.text, lang="fi"), record.title, identified)
    for prop, day in ((HK.start, record.start), (HK.end, record.end),
                      (HK.startDate, record.start), (HK.endDate, record.end)):
        claim(project, prop, Literal(day, datatype=XSD.date), record.period)

    org = organisation_iri(record.implementer)
    genitive = f"nominative of the genitive {record.implementer_stated.text.removesuffix(' hallinnoima')!r}"
    claim(project, HK.leadImplementer, org, record.implementer_stated,
          f"'hallinnoima' (administered by) names the lead implementer; {genitive}")
    claim(org, SKOS.prefLabel, Literal(record.implementer, lang="fi"), record.implementer_stated, genitive)

    fund = _FUNDS.get(record.fund.text)
    if fund is None:
        raise fail(record.fund, f"unknown fund {record.fund.text!r}; add it to "
                   "hyvinvointi_kg.ingest.news._FUNDS")
    programme = _PROGRAMMES.get(" ".join(record.programme.text.split()).casefold())
    if programme is None:
        raise fail(record.programme, f"unknown programme {record.programme.text!r}; add it to "
                   "hyvinvointi_kg.ingest.news._PROGRAMMES")
    funding = funding_iri(project, fund)
    claim(project, HK.hasFunding, funding, record.fund)
    claim(funding, RDF.type, HK.Funding, record.fund)
    claim(funding, HK.funder, ID[f"fund/{fund}"], record.fund)
    claim(funding, HK.programme, programme, record.programme,
          "programme named by an altLabel of data/reference/funding.ttl")
    # The total budget is the whole project's (every funder's share), not the fund's:
    # it hangs on the project, and its kind says whether it includes the municipalities'
    # share, as the same sentence states ("josta ESR -rahasto rahoittaa 80 % ja ... kunnat 20 %").
    budget, shares = record.total_budget, record.total_budget_shares
    municipal = shares is not None and _MUNICIPAL_SHARE.search(shares.text) is not None
    kind = "total-budget-incl-municipal-share" if municipal else "total-budget"
    node = URIRef(f"{project}/amount/{kind}")
    claim(project, HK.projectBudget, node, budget,
          "phrase 'Hankkeen kokonaisbudjetti': the budget of the whole project, not of one funding record")
    claim(node, RDF.type, HK.MonetaryAmount, budget)
    if municipal and shares is not None:
        claim(node, HK.amountKind, AMOUNT_KIND[kind], shares,
              "phrase 'kokonaisbudjetti'; the municipalities' share ('kunnat … %') is part of it")
    else:
        claim(node, HK.amountKind, AMOUNT_KIND[kind], budget, "phrase 'kokonaisbudjetti'")
    claim(node, HK.amount, Literal(record.total_budget_eur, datatype=XSD.decimal), budget)
    claim(node, HK.currency, Literal("EUR"), budget, "the release writes the amount in 'euroa'")

    for stated in record.municipalities:
        place = places.resolve(stated.text, kind="municipality")
        if place is None:
            raise fail(stated, f"unknown municipality {stated.text!r}; add an alias to "
                       "data/reference/place_aliases.csv")
        claim(project, HK.targetArea, place, stated)

    for line in record.target_group_lines:
        for sentence in _SENTENCE.split(line.text):
            # "Hankkeen lopputuotoksista hyötyvät myös ... lapsiperheet": those who only
            # benefit from the results are an indirect target group, as in the register.
            indirect = _BENEFIT.search(sentence) is not None
            prop = HK.indirectTargetGroup if indirect else HK.targetGroup
            for concept, keyword in concepts.match_target_groups(sentence):
                rule = f"keyword {keyword!r}"
                if indirect:
                    rule += " in a sentence saying they benefit ('hyötyvät'): indirect target group"
                claim(project, prop, concept, line, rule)
    return g
