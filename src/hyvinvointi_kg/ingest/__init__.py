"""Documents to records: each source document read strictly, every value with the lines that state it."""
