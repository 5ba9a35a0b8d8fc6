"""Linked Data: IRIs dereferenced to pages and descriptions, documents with their evidence, the ontology's pages."""
