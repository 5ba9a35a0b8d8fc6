"""Queries: the saved-query catalogue, the guard, execution in worker processes, lanes, the cache, result writers."""
