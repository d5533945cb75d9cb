"""Writing results: the tables and the cache of incremental runs."""
