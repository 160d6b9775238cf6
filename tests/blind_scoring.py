"""Score a built graph against the blind samples in ``tests/data/blind/``.

The scorer reads only the built graph (``graph.ttl`` and ``places.ttl`` of a build
folder, or a graph in memory) and the annotations, so the same code scores any
version of the parser: the figures before and after a change come from one scorer.

For every sampled row it takes the catalogue's ``hk:SourceRecord`` that starts on the
row's line and the claims whose span lies inside that record, and compares:

* fields: the project name, the lead, the funding text, the period, the area (as
  places), the themes — a row's field is right when it equals the annotation;
* organisations: each implementer node the row produces is matched to an annotated
  organisation when one of the node's labels has the same normalised name
  (:func:`hyvinvointi_kg.assembly.organisations.name_key`); unmatched nodes are wrong nodes
  (fragments, glued pairs, groups, persons), unmatched annotations are missed ones,
  and a matched node's class is compared with the annotated kind;
* target groups: the derived ``hk:targetGroup`` claims inside the record against the
  annotated concepts, both closed under ``skos:broader`` (the guide asks annotators to
  record the broader group too).

Run ``python tests/blind_scoring.py DIR`` on a build folder to print the figures.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from hyvinvointi_kg.assembly.organisations import name_key
from hyvinvointi_kg.assembly.periods import parse_period
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import load_ontology

BLIND = Path(__file__).parent / "data" / "blind"
TG = "https://w3id.org/hyvinvointi-kg/concept/target-group/"
FIELDS = ("name", "lead", "funding", "period", "area", "themes")
_THEME = {"hyvinvointi": "hyvinvointi", "sosiaalinen osallisuus": "sosiaalinen-osallisuus",
          "turvallisuus": "turvallisuus", "yhteisöllisyys": "yhteisollisyys"}


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass
class Score:
    """Counts over one blind sample."""

    rows: int = 0
    fields_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    org_nodes: int = 0
    org_nodes_right: int = 0
    org_annotated: int = 0
    org_found: int = 0
    kind_right: int = 0
    wrong_nodes: list[str] = field(default_factory=list)
    missed_orgs: list[str] = field(default_factory=list)
    wrong_kinds: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)
    tg_predicted: int = 0
    tg_annotated: int = 0
    tg_right: int = 0
    tg_errors: list[str] = field(default_factory=list)

    def field_accuracy(self) -> float:
        return sum(self.fields_right.values()) / (self.rows * len(FIELDS))

    def summary(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.org_annotated:
            out.update({f"field {f}": right / self.rows for f, right in self.fields_right.items()})
            out["fields (all)"] = self.field_accuracy()
            out["organisation nodes right (precision)"] = self.org_nodes_right / self.org_nodes
            out["annotated organisations found (recall)"] = self.org_found / self.org_annotated
            out["kind right (of found)"] = self.kind_right / max(self.org_found, 1)
        if self.tg_annotated:
            out["target-group precision"] = self.tg_right / max(self.tg_predicted, 1)
            out["target-group recall"] = self.tg_right / self.tg_annotated
        return out


class _View:
    """What the graph says inside each catalogue record."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        doc = next(s for s in graph.subjects(RDF.type, HK.SourceRecord))
        self.document = graph.value(doc, HK.inDocument)
        self.records: dict[int, tuple[int, int, URIRef | None]] = {}
        for record in graph.subjects(RDF.type, HK.SourceRecord):
            if graph.value(record, HK.inDocument) != self.document:
                continue
            first = int(graph.value(record, HK.firstLine))  # type: ignore[arg-type]
            last = int(graph.value(record, HK.lastLine))  # type: ignore[arg-type]
            project = graph.value(record, HK.describes)
            self.records[first] = (first, last, project if isinstance(project, URIRef) else None)
        self.claims: dict[URIRef, list[tuple[int, int, URIRef, object, str]]] = {}
        for claim in graph.subjects(RDF.type, HK.Claim):
            span = graph.value(claim, PROV.wasDerivedFrom)
            if graph.value(span, HK.inDocument) != self.document:
                continue
            subject = graph.value(claim, RDF.subject)
            self.claims.setdefault(subject, []).append((  # type: ignore[arg-type]
                int(graph.value(span, HK.firstLine)),  # type: ignore[arg-type]
                int(graph.value(span, HK.lastLine)),  # type: ignore[arg-type]
                graph.value(claim, RDF.predicate), graph.value(claim, RDF.object),  # type: ignore[arg-type]
                str(graph.value(claim, HK.statedAs) or "")))

    def record(self, line: int) -> tuple[int, int, URIRef | None] | None:
        """The record of the row whose name starts at *line*: the one starting there, else the
        one record spanning it (a row whose cells a page break printed before its name, read
        from its corrected span, e.g. line 7527 read from 7508-7554)."""
        if line in self.records:
            return self.records[line]
        spanning = [r for r in self.records.values() if r[0] <= line <= r[1]]
        return spanning[0] if len(spanning) == 1 else None

    def inside(self, line: int, subject: URIRef, predicate: URIRef) -> list[tuple[object, str]]:
        first, last, _ = self.record(line) or (0, 0, None)
        return [(o, stated) for a, b, p, o, stated in self.claims.get(subject, [])
                if p == predicate and first <= a and b <= last]

    def labels(self, node: URIRef) -> set[str]:
        return {name_key(str(label)) for p in (SKOS.prefLabel, SKOS.altLabel)
                for label in self.graph.objects(node, p)}

    def kinds(self, node: URIRef) -> set[str]:
        return {str(t).split("#")[-1] for t in self.graph.objects(node, RDF.type)}


def load_blind(name: str) -> list[dict[str, object]]:
    """The annotations of one blind sample (``catalogue``, ``target_groups`` or
    ``target_groups_heldout``)."""
    return yaml.safe_load((BLIND / f"{name}_blind.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def score_catalogue(graph: Graph, places: PlaceIndex) -> Score:
    """Field accuracy and organisation correctness on the blind catalogue sample."""
    view = _View(graph)
    score = Score()
    for row in load_blind("catalogue"):
        line = int(row["line"])  # type: ignore[call-overload]
        score.rows += 1
        record = view.record(line)
        if record is None:
            score.field_errors.append(f"{line}: no record starts here")
            continue
        project = record[2]
        if project is None:
            score.field_errors.append(f"{line}: the record describes no project")
            continue
        got: dict[str, object] = {}
        want: dict[str, object] = {}
        titles = view.inside(line, project, DCTERMS.title)
        got["name"] = {_key(str(o)) for o, _ in titles}
        want["name"] = {_key(str(row["name"]))} if row.get("name") else set()
        leads = [o for o, _ in view.inside(line, project, HK.leadImplementer)]
        partners = [o for o, _ in view.inside(line, project, HK.partner)]
        lead = row.get("lead") or None
        lead_name = name_key(lead["name"]) if isinstance(lead, dict) else None
        # right: exactly the annotated lead, or no lead where the annotator found none
        got["lead"] = (len(leads) == 1 and lead_name in view.labels(leads[0])) if lead_name else not leads  # type: ignore[arg-type]
        want["lead"] = True
        funding = {_key(s) for _, s in view.inside(line, project, HK.hasFunding)}
        got["funding"] = funding
        want["funding"] = {_key(str(row["funding"]))} if row.get("funding") else set()
        starts = {str(o) for o, _ in view.inside(line, project, HK.start)}
        ends = {str(o) for o, _ in view.inside(line, project, HK.end)}
        got["period"] = (starts, ends)
        if row.get("period"):
            period = parse_period(str(row["period"]))
            want["period"] = ({str(period.start.literal())} if period.start else set(),
                              {str(period.end.literal())} if period.end else set())
        else:
            want["period"] = (set(), set())
        got["area"] = {o for o, _ in view.inside(line, project, HK.targetArea)}
        items = [i for a in row.get("area") or [] for i in re.split(r"\s+(?:ja|sekä)\s+", str(a))]  # type: ignore[union-attr]
        want["area"] = {places.resolve_area(i) for i in items} - {None}
        got["themes"] = {str(o).rsplit("/", 1)[-1] for o, _ in view.inside(line, project, HK.theme)}
        want["themes"] = {_THEME.get(str(t).casefold().strip(), str(t)) for t in row.get("themes") or []}  # type: ignore[union-attr]
        for name in FIELDS:
            if got[name] == want[name]:
                score.fields_right[name] += 1
            else:
                score.field_errors.append(f"{line} {name}: got {got[name]!r}, want {want[name]!r}")
        # organisations
        annotated = ([lead] if isinstance(lead, dict) else []) + list(row.get("partners") or [])  # type: ignore[call-overload]
        score.org_annotated += len(annotated)
        nodes = list(dict.fromkeys([*leads, *partners]))
        score.org_nodes += len(nodes)
        unmatched = list(annotated)
        for node in nodes:
            labels = view.labels(node)  # type: ignore[arg-type]
            match = next((a for a in unmatched if name_key(str(a["name"])) in labels), None)
            if match is None:
                score.wrong_nodes.append(f"{line}: {sorted(labels)[:1]} {node}")
                continue
            unmatched.remove(match)
            score.org_nodes_right += 1
            score.org_found += 1
            if str(match["kind"]) in view.kinds(node):  # type: ignore[arg-type]
                score.kind_right += 1
            else:
                score.wrong_kinds.append(f"{line}: {match['name']} is {match['kind']}, "
                                         f"graph says {sorted(view.kinds(node))}")  # type: ignore[arg-type]
        score.missed_orgs.extend(f"{line}: {a['name']}" for a in unmatched)
    return score


def score_target_groups(graph: Graph, sample: str = "target_groups") -> Score:
    """Precision and recall of derived target groups on a blind target-group sample:
    ``target_groups`` (the development sample the rules were tuned on) or
    ``target_groups_heldout`` (drawn and annotated before the first tuning, read for the second)
    or ``target_groups_final`` (drawn and annotated before the second tuning, never read for it)."""
    view = _View(graph)
    ontology = load_ontology()
    score = Score()

    def closed(concepts: set[URIRef]) -> set[URIRef]:
        out = set(concepts)
        for concept in concepts:
            out |= {b for b in ontology.transitive_objects(concept, SKOS.broader) if isinstance(b, URIRef)}
        return out

    for row in load_blind(sample):
        line = int(row["line"])  # type: ignore[call-overload]
        project = (view.record(line) or (0, 0, None))[2]
        predicted = closed({o for o, _ in view.inside(line, project, HK.targetGroup)}  # type: ignore[misc]
                           ) if project is not None else set()
        annotated = closed({URIRef(TG + str(t["id"])) for t in row.get("target_groups") or []})  # type: ignore[union-attr]
        score.rows += 1
        score.tg_predicted += len(predicted)
        score.tg_annotated += len(annotated)
        score.tg_right += len(predicted & annotated)
        for concept in sorted(predicted - annotated):
            score.tg_errors.append(f"{line}: extra {concept.rsplit('/', 1)[-1]}")
        for concept in sorted(annotated - predicted):
            score.tg_errors.append(f"{line}: missed {concept.rsplit('/', 1)[-1]}")
    return score


def annotator_agreement(first: str = "target_groups_heldout",
                        second: str = "target_groups_heldout_second") -> Score:
    """How a second blind annotation of a target-group sample scores against the first, as if it
    were the rules' output: the agreement of two independent readings by the guide, the ceiling
    against which the rules' figures on that sample are read."""
    ontology = load_ontology()

    def closed(row: dict[str, object]) -> set[URIRef]:
        concepts = {URIRef(TG + str(t["id"])) for t in row.get("target_groups") or []}  # type: ignore[attr-defined]
        return concepts | {b for c in concepts for b in ontology.transitive_objects(c, SKOS.broader)
                           if isinstance(b, URIRef)}

    score = Score()
    for a, b in zip(load_blind(first), load_blind(second), strict=True):
        assert a["line"] == b["line"], (a["line"], b["line"])
        annotated, predicted = closed(a), closed(b)
        score.rows += 1
        score.tg_predicted += len(predicted)
        score.tg_annotated += len(annotated)
        score.tg_right += len(predicted & annotated)
        score.tg_errors.extend(f"{a['line']}: second only {c.rsplit('/', 1)[-1]}"
                               for c in sorted(predicted - annotated))
        score.tg_errors.extend(f"{a['line']}: first only {c.rsplit('/', 1)[-1]}"
                               for c in sorted(annotated - predicted))
    return score


def load_build(folder: Path) -> Graph:
    """The data graph of a build folder (``graph.ttl``)."""
    graph = Graph()
    graph.parse(folder / "graph.ttl", format="turtle")
    return graph


def main(argv: list[str]) -> None:
    graph = load_build(Path(argv[0]))
    places = PlaceIndex(place_graph())
    for title, score in (("catalogue", score_catalogue(graph, places)),
                         ("target groups, development sample", score_target_groups(graph)),
                         ("target groups, held-out sample (read for the second tuning)",
                          score_target_groups(graph, "target_groups_heldout")),
                         ("target groups, final sample (never read for tuning)",
                          score_target_groups(graph, "target_groups_final")),
                         ("held-out sample: second annotators against the first (annotator agreement)",
                          annotator_agreement())):
        print(f"== {title}: {score.rows} rows")
        for name, value in score.summary().items():
            print(f"  {name:45s} {value:6.1%}")
        if "-v" in argv:
            for item in (score.field_errors + score.wrong_nodes + score.missed_orgs + score.wrong_kinds
                         + score.tg_errors):
                print("   ", item)


if __name__ == "__main__":
    main(sys.argv[1:])
