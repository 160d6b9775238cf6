"""Graph to entailments: the ontology's OWL RL consequences, by owlrl, Python rules or SPARQL updates."""
