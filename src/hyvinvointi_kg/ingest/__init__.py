"""Parsers that turn each kind of source document into claims in the graph."""
