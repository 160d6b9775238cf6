"""Records to graph: organisations, places, funding and periods resolved, claims with sources, the build pipeline."""
