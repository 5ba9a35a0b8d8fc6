"""ofsted-kg: Ofsted's inspections of English councils' children's services as a knowledge graph.

Two layers and one entry point: `graph/` turns documents into a validated RDF graph, `server/`
answers HTTP over it, and `console.py` is the `ofsted-kg` command that composes both (the
graph layer never imports the server). README, "How the modules fit"; docs/architecture.md.
"""
