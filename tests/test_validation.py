"""How a validation result's message is chosen from the messages of the report."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH

from hyvinvointi_kg.validation.validate import _message


def test_result_message_is_chosen_the_same_way_every_run() -> None:
    results, node = Graph(), BNode()
    for text, lang in (("zeta", "sv"), ("alpha", "de"), ("untagged", None)):
        results.add((node, SH.resultMessage, Literal(text, lang=lang)))
    assert _message(results, node, "fi") == "untagged"
    results.remove((node, SH.resultMessage, Literal("untagged")))
    assert _message(results, node, "fi") == "alpha"
    results.add((node, SH.resultMessage, Literal("b viesti", lang="fi")))
    results.add((node, SH.resultMessage, Literal("a viesti", lang="fi")))
    assert _message(results, node, "fi") == "a viesti"
    assert _message(Graph(), node, "fi") == ""
