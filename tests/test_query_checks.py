"""The checks the endpoint makes before a query reaches an engine: size, nesting, SERVICE."""

from __future__ import annotations

import pytest

from hyvinvointi_kg.query import list_queries
from hyvinvointi_kg.stores._query_checks import QueryRefused, check_query, mentions_service, nesting_depth

LIMITS = {"max_bytes": 100_000, "max_depth": 48}


@pytest.mark.parametrize("info", list_queries(), ids=lambda info: info.name)
def test_check_query_passes_every_bundled_query(info: object) -> None:
    check_query(info.text, **LIMITS)  # type: ignore[attr-defined]


def test_nesting_depth_ignores_strings_comments_and_iris() -> None:
    assert nesting_depth('ASK { ?s <http://x/#(((> "(((" . } # (((((') == 1
    assert nesting_depth("ASK { ?s ?p '''{{\n{{''' }") == 1


def test_nesting_depth_reads_less_than_both_ways() -> None:
    # '<' before '>' may be an operator: the brackets between must count.
    assert nesting_depth("ASK { FILTER(?a<" + "(" * 100 + "?b>1" + ")" * 100 + ") }") == 102


def test_check_query_counts_brackets_spelt_as_escapes() -> None:
    with pytest.raises(QueryRefused, match="100 deep"):
        check_query("SELECT * WHERE " + "\\u007B" * 100 + "?s ?p ?o" + "\\u007D" * 100, **LIMITS)


def test_check_query_refuses_a_service_not_allowed() -> None:
    query = "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }"
    with pytest.raises(QueryRefused, match="SERVICE <http://example.org/sparql> is not allowed"):
        check_query(query, **LIMITS)
    check_query(query, **LIMITS, allow_service={"http://example.org/sparql"})
    with pytest.raises(QueryRefused, match=r"SERVICE \?where is not allowed"):
        check_query("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", **LIMITS,
                    allow_service={"http://example.org/sparql"})


def test_check_query_refuses_a_service_query_it_cannot_parse() -> None:
    with pytest.raises(QueryRefused, match="must parse to be checked"):
        check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } ", **LIMITS)


def test_mentions_service_finds_the_keyword_however_written() -> None:
    for text in ("{?s ?p ?o}SERVICE<http://x/>{}", "{ sErViCe <x:y> {} }", "{ ?s ?p ?o .service ?x {} }"):
        assert mentions_service(text), text
    for text in ("SELECT ?service WHERE { ?service ex:service $service }", "ASK { ex:self-service ?p ?o }"):
        assert not mentions_service(text), text
