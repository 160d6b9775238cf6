"""Graphs at rest and served: Turtle files, in-memory and Oxigraph stores, a remote endpoint, the SPARQL server."""
