"""Loaders: source documents -> text -> records -> triples -> validated Turtle graph."""
