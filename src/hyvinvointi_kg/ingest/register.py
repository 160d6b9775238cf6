"""EURA 2014 register descriptions (Finnish or English) parsed into records and claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, TIME, XSD

from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.places import PlaceIndex
from hyvinvointi_kg.assembly.provenance import Stated, add_claim
from hyvinvointi_kg.assembly.vocabulary import LabelIndex
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.sources import SourceDocument, read_lines
from hyvinvointi_kg.namespaces import (
    AMOUNT_KIND,
    HK,
    ID,
    LEGAL_FORM,
    funding_iri,
    organisation_iri,
    project_iri,
)

__all__ = ["RegisterAmount", "RegisterCount", "RegisterRecord", "guess_language", "parse_register", "register_to_graph"]

_SECTIONS = ("1", "2", "3", "4", "4.1", "4.2", "5", "6", "7", "7.1", "7.2", "8", "8.1", "8.2", "9")
_TEXT_SECTIONS = {"3": "summary", "4.1": "target_groups", "4.2": "indirect_target_groups",
                  "9": "final_report"}

# label as written (Finnish, English) -> field name
_LABELS: dict[str, str] = {
    "Hankekoodi": "project_code", "Project code": "project_code",
    "Hankkeen nimi": "project_name", "Project name": "project_name",
    "Toimintalinja": "policy_axis", "Policy": "policy_axis",
    "Erityistavoite": "specific_objective", "Specific objective": "specific_objective",
    "Suunnitelman mukainen toteutusaika": "period", "Planned completion time": "period",
    "Toiminnan tila": "status", "Operational status": "status",
    "Vastuuviranomainen": "responsible_authority", "Responsible authority": "responsible_authority",
    "Hakijan virallinen nimi": "applicant_name", "Official name of the applicant": "applicant_name",
    "Organisaatiotyyppi": "organisation_type", "Organisation type": "organisation_type",
    "Y-tunnus": "business_id", "Business ID": "business_id",
    "Postinumero": "postal_code", "Postal code": "postal_code",
    "Postitoimipaikka": "city", "City/town": "city",
    "WWW-osoite": "website", "Website": "website",
    "Hakijoiden lukumäärä tai tuen siirto -menettely": "applicants",
    "Number of applicants or subsidy transfer": "applicants",
    "Myönnetty EU- ja valtion rahoitus": "amount:granted-eu-state",
    "EU and State funding granted": "amount:granted-eu-state",
    "Toteutunut EU- ja valtion rahoitus": "amount:realised-eu-state",
    "EU and State funding used": "amount:realised-eu-state",
    "Suunniteltu julkinen rahoitus yhteensä": "amount:planned-public-total",
    "Planned public funding (total)": "amount:planned-public-total",
    "Toteutunut julkinen rahoitus yhteensä": "amount:realised-public-total",
    "Planned public funding used (total)": "amount:realised-public-total",
    "Maakunnat": "regions", "Regions": "regions",
    "Seutukunnat": "subregions", "Subregions": "subregions",
    "Kunnat": "municipalities", "Municipalities": "municipalities",
    "Suunniteltu": "planned", "Planned": "planned",
    "Toteutunut seurantatietojen mukaan": "realised",
    "Completed according to monitoring information": "realised",
}
# Personal contact data and street addresses: recognised so that they are never stored.
_PRIVATE_LABELS = {
    "Jakeluosoite", "Street", "Puhelinnumero", "Telephone number",
    "Hankkeen yhteyshenkilön nimi", "Project contact person's name",
    "Yhteyshenkilön asema hakijaorganisaatiossa", "Contact person's position in the organisation",
    "Yhteyshenkilön sähköpostisoite", "Contact person's email address",
    "Yhteyshenkilön puhelinnumero", "Contact person's phone number",
}
_SUBHEADINGS = {
    "Toteutuspaikan osoite, jos hanke toteutetaan yhdessä paikassa",
    "Address of the project site, if the project is carried out in one place",
}
_FUND_HEADERS = {
    "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus": "esr",
    "Description of the project funded by the European Social Fund (ESF)": "esr",
    "Euroopan aluekehitysrahaston (EAKR) rahoittaman hankkeen kuvaus": "eakr",
    "Description of the project funded by the European Regional Development Fund (ERDF)": "eakr",
}
REGISTER_PROGRAMME = ID["programme/rr-2014-2020"]
_ORGANISATION_TYPES = {
    "kuntayhtymä": HK.JointMunicipalAuthority, "joint municipal authority": HK.JointMunicipalAuthority,
    "kunta": HK.MunicipalityOrganisation, "municipality": HK.MunicipalityOrganisation,
    "muu järjestö tai yhdistys": HK.Association, "other organisation or association": HK.Association,
    "säätiö": HK.Foundation, "foundation": HK.Foundation,
    "yliopisto": HK.University, "university": HK.University,
    "ammattikorkeakoulu": HK.UniversityOfAppliedSciences,
    "university of applied sciences": HK.UniversityOfAppliedSciences,
    "yritys": HK.Company, "company": HK.Company,
    "valtion viranomainen": HK.StateAgency, "state authority": HK.StateAgency,
}
_LEGAL_FORM_SUFFIXES = (
    (re.compile(r"\bry$|\br\.y\.$", re.IGNORECASE), LEGAL_FORM["rekisteroity-yhdistys"]),
    (re.compile(r"\boyj?$", re.IGNORECASE), LEGAL_FORM.osakeyhtio),
    (re.compile(r"\bsr$|säätiö\b", re.IGNORECASE), LEGAL_FORM.saatio),
    (re.compile(r"kuntayhtymä\b", re.IGNORECASE), LEGAL_FORM.kuntayhtyma),
)
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_HEADING = re.compile(r"^(\d+(?:\.\d+)?) (\S.*)$")
_LABEL_LINE = re.compile(r"^([^:]+):\s*(.*)$")

REGISTER_PROGRAMME_RULE = (
    "EURA 2014 is the register of the 2014-2020 structural funds programme; "
    "the document header names the fund"
)


@dataclass(frozen=True)
class RegisterAmount:
    """A funding figure of section 5 (euros)."""

    kind: str
    value: Decimal
    stated: Stated


@dataclass(frozen=True)
class RegisterCount:
    """A monitoring figure of section 7."""

    value: int
    stated: Stated


@dataclass(frozen=True)
class RegisterRecord:
    """Every structured field of one register description, each with its source lines."""

    file_name: str
    language: str
    fund: str
    fund_stated: Stated
    project_code: Stated
    project_name: Stated
    policy_axis: Stated
    specific_objective: Stated
    period: Stated
    start: date
    end: date
    status: Stated
    responsible_authority: Stated
    applicant_name: Stated
    organisation_type: Stated
    business_id: Stated
    postal_code: Stated | None
    city: Stated | None
    website: Stated | None
    applicants: Stated | None
    summary: Stated
    target_groups: Stated
    indirect_target_groups: Stated
    final_report: Stated | None
    amounts: tuple[RegisterAmount, ...]
    regions: tuple[Stated, ...]
    subregions: tuple[Stated, ...]
    municipalities: tuple[Stated, ...]
    planned_companies: RegisterCount | None
    realised_companies: RegisterCount | None
    planned_persons: RegisterCount | None
    # The lines of the target-group texts, each with its own line number (blank lines
    # between paragraphs are not in the texts, so an offset into them is not a line).
    target_group_lines: tuple[Stated, ...] = ()
    indirect_target_group_lines: tuple[Stated, ...] = ()


def _normalise_label(label: str) -> str:
    return " ".join(label.replace("’", "'").split())


def parse_register(path: Path) -> RegisterRecord:
    """Parse a EURA 2014 register description (Finnish or English layout).

    Personal contact data (contact person, e-mail, phone numbers, street
    address) is recognised and dropped here, so it can never reach the graph.

    Raises
    ------
    SourceError
        If the file is missing, a required field is absent, or a line does not
        fit the layout (the message names the file and line).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> rec = parse_register(resource_dir("data/sources") / "eura_S20154_description_fi.txt")
    >>> rec.project_code.text, rec.start.isoformat(), rec.end.isoformat()
    ('S20154', '2015-03-01', '2018-02-28')
    >>> [m.text for m in rec.municipalities][:2], rec.business_id.text
    (['Keminmaa', 'Simo'], '1762900-8')
    """
    lines = read_lines(path)
    name = path.name
    fields: dict[str, Stated] = {}
    texts: dict[str, list[tuple[int, str]]] = {}
    monitoring: dict[str, Stated] = {}
    fund: tuple[str, Stated] | None = None
    section: str | None = None
    expected = iter(_SECTIONS)
    next_section = next(expected)

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if section is None and line in _FUND_HEADERS:
            fund = (_FUND_HEADERS[line], Stated(line, number, number))
            continue
        heading = _HEADING.match(line)
        if heading and heading.group(1) == next_section:
            section = next_section
            next_section = next(expected, "")
            continue
        if section is None or section in ("8", "8.1", "8.2"):
            continue  # preamble and horizontal principles are not modelled
        if section in _TEXT_SECTIONS:
            texts.setdefault(_TEXT_SECTIONS[section], []).append((number, line))
            continue
        if _normalise_label(line) in _SUBHEADINGS:
            continue
        match = _LABEL_LINE.match(line)
        if not match:
            raise SourceError(f"{name}:{number}: expected 'label: value' in section {section}, "
                              f"got {line[:60]!r}")
        label, value = _normalise_label(match.group(1)), match.group(2).strip()
        if label in _PRIVATE_LABELS:
            continue
        if label not in _LABELS:
            raise SourceError(f"{name}:{number}: unknown label {label!r} in section {section}; "
                              "add it to hyvinvointi_kg.ingest.register._LABELS")
        key = _LABELS[label]
        if section == "6" and key in ("postal_code", "city"):
            continue  # project site address, empty in practice
        if key in ("planned", "realised"):
            key = f"{section}:{key}"
            if value:
                monitoring[key] = Stated(value, number, number)
            continue
        if value:
            fields[key] = Stated(value, number, number)

    if fund is None:
        raise SourceError(f"{name}:1: no fund header (e.g. 'Euroopan sosiaalirahaston (ESR) "
                          "rahoittaman hankkeen kuvaus') found")
    missing = [k for k in ("project_code", "project_name", "policy_axis", "specific_objective",
                           "period", "status", "responsible_authority", "applicant_name",
                           "organisation_type", "business_id") if k not in fields]
    if missing:
        raise SourceError(f"{name}: required field(s) missing: {', '.join(missing)}")
    missing_texts = [k for k in ("summary", "target_groups", "indirect_target_groups")
                     if k not in texts]
    if missing_texts:
        raise SourceError(f"{name}: section(s) missing: {', '.join(missing_texts)}")

    period = fields["period"]
    dates = _DATE.findall(period.text)
    if len(dates) != 2:
        raise SourceError(f"{name}:{period.first_line}: expected a start and an end date "
                          f"(d.m.yyyy), got {period.text!r}")
    try:
        start, end = (date(int(y), int(m), int(d)) for d, m, y in dates)
    except ValueError as err:
        raise SourceError(f"{name}:{period.first_line}: invalid date: {err}") from err

    amounts = []
    for key, stated in fields.items():
        if key.startswith("amount:"):
            digits = re.sub(r"[\s\u00a0\u202f]", "", stated.text)
            if not re.fullmatch(r"\d+(,\d+)?", digits):
                raise SourceError(f"{name}:{stated.first_line}: not an amount: {stated.text!r}")
            amounts.append(RegisterAmount(key.removeprefix("amount:"),
                                          Decimal(digits.replace(",", ".")), stated))

    def text_block(key: str) -> Stated | None:
        block = texts.get(key)
        if not block:
            return None
        return Stated("\n".join(t for _, t in block), block[0][0], block[-1][0])

    def items(key: str) -> tuple[Stated, ...]:
        stated = fields.get(key)
        if stated is None:
            return ()
        return tuple(Stated(part.strip(), stated.first_line, stated.last_line)
                     for part in stated.text.split(",") if part.strip())

    def count(key: str) -> RegisterCount | None:
        stated = monitoring.get(key)
        if stated is None:
            return None
        if not stated.text.isdigit():
            raise SourceError(f"{name}:{stated.first_line}: not a count: {stated.text!r}")
        return RegisterCount(int(stated.text), stated)

    summary, target_groups, indirect = (text_block(k) for k in
                                        ("summary", "target_groups", "indirect_target_groups"))
    assert summary and target_groups and indirect
    return RegisterRecord(
        file_name=name,
        language="en" if name.endswith("_en.txt") else "fi",
        fund=fund[0], fund_stated=fund[1],
        project_code=fields["project_code"], project_name=fields["project_name"],
        policy_axis=fields["policy_axis"], specific_objective=fields["specific_objective"],
        period=period, start=start, end=end,
        status=fields["status"], responsible_authority=fields["responsible_authority"],
        applicant_name=fields["applicant_name"], organisation_type=fields["organisation_type"],
        business_id=fields["business_id"],
        postal_code=fields.get("postal_code"), city=fields.get("city"),
        website=fields.get("website"), applicants=fields.get("applicants"),
        summary=summary, target_groups=target_groups, indirect_target_groups=indirect,
        final_report=text_block("final_report"),
        amounts=tuple(amounts),
        regions=items("regions"), subregions=items("subregions"),
        municipalities=items("municipalities"),
        planned_companies=count("7.1:planned"), realised_companies=count("7.1:realised"),
        planned_persons=count("7.2:planned"),
        target_group_lines=tuple(Stated(t, n, n) for n, t in texts["target_groups"]),
        indirect_target_group_lines=tuple(Stated(t, n, n)
                                          for n, t in texts["indirect_target_groups"]),
    )


def guess_language(text: str, default: str) -> str:
    """Tell Finnish from English by the share of ä/ö letters (registers mix the two).

    Examples
    --------
    >>> guess_language("Hankkeen kohderyhmänä ovat nuoret.", "en")
    'fi'
    >>> guess_language("The aim of the project is to improve wellbeing.", "fi")
    'en'
    """
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return default
    share = sum(c in "äö" for c in letters) / len(letters)
    return "fi" if share > 0.01 else "en" if share == 0 else default


def register_to_graph(
    record: RegisterRecord,
    source: SourceDocument,
    *,
    places: PlaceIndex,
    concepts: ConceptIndex,
    authorities: LabelIndex,
) -> Graph:
    """Turn a register record into triples, each backed by a claim on its source lines.

    Parameters
    ----------
    record
        The parsed register description.
    source
        The document it was parsed from.
    places
        Resolves municipality, sub-region and region names.
    concepts
        Resolves statuses, programme objectives and target-group keywords.
    authorities
        Resolves the responsible authority's name to an organisation of the
        funding reference data.

    Raises
    ------
    SourceError
        If a place, status, objective or authority named in the record is unknown
        (the message says which file to extend).
    """
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    project = project_iri(record.project_code.text)

    def claim(s: URIRef, p: URIRef, o: Literal | URIRef, stated: Stated,
              rule: str | None = None) -> None:
        add_claim(g, s, p, o, source=source, stated=stated, rule=rule)

    def fail(stated: Stated, message: str) -> SourceError:
        return SourceError(f"{record.file_name}:{stated.first_line}: {message}")

    claim(project, RDF.type, HK.Project, record.project_code)
    claim(project, HK.projectCode, Literal(record.project_code.text), record.project_code)
    claim(project, DCTERMS.title, Literal(record.project_name.text, lang=record.language),
          record.project_name)
    for key, prop in (("summary", DCTERMS.description), ("final_report", HK.finalReportSummary),
                      ("target_groups", HK.targetGroupDescription),
                      ("indirect_target_groups", HK.indirectTargetGroupDescription)):
        stated = getattr(record, key)
        if stated is not None:
            lang = guess_language(stated.text, record.language)
            claim(project, prop, Literal(stated.text, lang=lang), stated)

    status = concepts.resolve(record.status.text, scheme="status")
    if status is None:
        raise fail(record.status, f"unknown status {record.status.text!r}; add it as an "
                   "altLabel of a status concept in ontology/schemes.ttl")
    claim(project, HK.status, status, record.status)

    # Period: stated precision is a day here; the OWL-Time interval mirrors it.
    period_node = URIRef(f"{project}/period")
    begin, finish = URIRef(f"{project}/period/start"), URIRef(f"{project}/period/end")
    for s, p, o in (
        (project, HK.start, Literal(record.start, datatype=XSD.date)),
        (project, HK.end, Literal(record.end, datatype=XSD.date)),
        (project, HK.startDate, Literal(record.start, datatype=XSD.date)),
        (project, HK.endDate, Literal(record.end, datatype=XSD.date)),
        (project, HK.period, period_node),
        (period_node, RDF.type, TIME.ProperInterval),
        (period_node, TIME.hasBeginning, begin),
        (period_node, TIME.hasEnd, finish),
        (begin, RDF.type, TIME.Instant),
        (begin, TIME.inXSDDate, Literal(record.start, datatype=XSD.date)),
        (finish, RDF.type, TIME.Instant),
        (finish, TIME.inXSDDate, Literal(record.end, datatype=XSD.date)),
    ):
        claim(s, p, o, record.period)

    # Lead implementer (the applicant).
    org = organisation_iri(record.applicant_name.text)
    org_type = _ORGANISATION_TYPES.get(record.organisation_type.text.casefold())
    if org_type is None:
        raise fail(record.organisation_type, f"unknown organisation type "
                   f"{record.organisation_type.text!r}; add it to _ORGANISATION_TYPES")
    claim(project, HK.leadImplementer, org, record.applicant_name)
    claim(org, RDF.type, org_type, record.organisation_type)
    claim(org, HK.registeredOrganisationType,
          Literal(record.organisation_type.text, lang=record.language), record.organisation_type)
    claim(org, SKOS.prefLabel, Literal(record.applicant_name.text, lang="fi"),
          record.applicant_name)
    claim(org, HK.legalName, Literal(record.applicant_name.text), record.applicant_name)
    claim(org, HK.businessId, Literal(record.business_id.text), record.business_id)
    for pattern, form in _LEGAL_FORM_SUFFIXES:
        if pattern.search(record.applicant_name.text):
            claim(org, HK.legalForm, form, record.applicant_name,
                  rule=f"legal form from the name (pattern {pattern.pattern!r})")
            break
    if record.city is not None:
        home = places.resolve(record.city.text, kind="municipality")
        if home is None:
            raise fail(record.city, f"unknown municipality {record.city.text!r}")
        claim(org, HK.domicile, home, record.city)
    if record.website is not None:
        claim(org, FOAF.homepage, URIRef(record.website.text), record.website)

    # Funding: fund, programme, granting authority, policy axis, amounts.
    funding = funding_iri(project, record.fund)
    claim(project, HK.hasFunding, funding, record.fund_stated)
    claim(funding, RDF.type, HK.Funding, record.fund_stated)
    claim(funding, HK.funder, ID[f"fund/{record.fund}"], record.fund_stated)
    claim(funding, HK.programme, REGISTER_PROGRAMME, record.fund_stated,
          rule=REGISTER_PROGRAMME_RULE)
    authority = authorities.resolve(record.responsible_authority.text)
    if authority is None:
        raise fail(record.responsible_authority, f"unknown authority "
                   f"{record.responsible_authority.text!r}; add it (or an altLabel) to "
                   "data/reference/funding.ttl")
    claim(funding, HK.grantingAuthority, authority, record.responsible_authority)
    for stated, prop in ((record.policy_axis, HK.policyAxis),
                         (record.specific_objective, HK.specificObjective)):
        objective = concepts.resolve(stated.text, scheme="programme-objective")
        if objective is None:
            raise fail(stated, f"unknown programme objective {stated.text!r}; add it to "
                       "ontology/schemes.ttl")
        claim(funding, prop, objective, stated)
        theme = concepts.theme_of_objective(objective)
        if theme is not None and prop == HK.policyAxis:
            claim(project, HK.theme, theme, stated,
                  rule=f"policy axis {stated.text!r} maps to theme {theme.split('/')[-1]}")
    for amount in record.amounts:
        node = URIRef(f"{funding}/amount/{amount.kind}")
        claim(funding, HK.hasAmount, node, amount.stated)
        claim(node, RDF.type, HK.MonetaryAmount, amount.stated)
        claim(node, HK.amountKind, AMOUNT_KIND[amount.kind], amount.stated)
        claim(node, HK.amount, Literal(amount.value, datatype=XSD.decimal), amount.stated)
        claim(node, HK.currency, Literal("EUR"), amount.stated,
              rule="section 5 states amounts in euros")

    # Target area.
    for kind, names in (("municipality", record.municipalities),
                        ("subregion", record.subregions), ("region", record.regions)):
        for stated in names:
            place = places.resolve(stated.text, kind=kind)
            if place is None:
                raise fail(stated, f"unknown {kind} {stated.text!r}; add an alias to "
                           "data/reference/place_aliases.csv")
            claim(project, HK.targetArea, place, stated)

    # Target groups: keyword rules over the stated descriptions, line by line.
    for prop, lines in ((HK.targetGroup, record.target_group_lines),
                        (HK.indirectTargetGroup, record.indirect_target_group_lines)):
        for stated in lines:
            for concept, keyword in concepts.match_target_groups(stated.text):
                claim(project, prop, concept, stated, rule=f"keyword {keyword!r}")

    # Monitoring figures.
    for count, prop in ((record.planned_companies, HK.plannedParticipatingCompanies),
                        (record.realised_companies, HK.realisedParticipatingCompanies),
                        (record.planned_persons, HK.plannedParticipatingPersons)):
        if count is not None:
            claim(project, prop, Literal(count.value, datatype=XSD.nonNegativeInteger),
                  count.stated)
    return g
