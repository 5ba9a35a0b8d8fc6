"""Reference tables and vocabularies: councils, Acts, Wikidata items, the ontology's concept schemes."""
