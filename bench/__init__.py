"""`make bench`: the Hub's pages under load, beside a minimal Django view served the same way."""
