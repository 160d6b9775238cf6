"""Graph to verdict: the SHACL shapes checked by pySHACL or by SPARQL compiled from them."""
