"""The graph's stores: embedded (read from RDF files), persisted on disk, a remote SPARQL endpoint; publishing and reloading."""
