"""RDF: every IRI, the namespaces, records -> triples, and SHACL validation."""
