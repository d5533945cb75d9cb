"""Reading input files: ingest, clean, and the dates in a text."""
