"""Answers to pages: interactive network views, static figures, the notebook display, the overview report."""
