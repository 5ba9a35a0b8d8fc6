"""One parser per document kind: text in, records out; no rdflib, no I/O."""
