"""The Hub's core: what every domain stands on and no domain's words (working days, dates, links,
PDFs). It imports no other app of the Hub; `tests/test_architecture.py` holds it to that."""
