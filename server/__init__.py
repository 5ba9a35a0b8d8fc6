"""The HTTP layer: a SPARQL endpoint and saved queries over the built graph (issue 3)."""
