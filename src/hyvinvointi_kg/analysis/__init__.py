"""Graph to answers: project selection, overlaps, collaboration networks and their metrics, tables, summaries."""
