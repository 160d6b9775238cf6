"""hyvinvointi_kg."""
