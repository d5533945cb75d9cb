"""From annotated Docs to role rows: titles, holders, categories, places and dates."""
