"""Every namespace the loaders, shapes and queries use, declared once.

The dataset's own IRIs live under one base (https://w3id.org/ofsted-kg/): `def#` for the
ontology's terms, `def/{scheme}/{key}` for SKOS concepts, `id/` for everything minted from
the documents. The prefixes are bound on every graph we write so dumps read the same way.
"""

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/ofsted-kg/"
OKG = Namespace(BASE + "def#")
DEF = Namespace(BASE + "def/")
ID = Namespace(BASE + "id/")
SH_OKG = Namespace(BASE + "def/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

# Concept schemes, one namespace each, so a concept reads as grade:inadequate.
GRADE = Namespace(BASE + "def/grade/")
SIF_AREA = Namespace(BASE + "def/sif-area/")
ILACS_AREA = Namespace(BASE + "def/ilacs-area/")
LEGACY_AREA = Namespace(BASE + "def/legacy-area/")
KIND = Namespace(BASE + "def/inspection-kind/")
ROLE = Namespace(BASE + "def/role/")
TEAM_ROLE = Namespace(BASE + "def/team-role/")
THEME = Namespace(BASE + "def/theme/")
POLARITY = Namespace(BASE + "def/polarity/")
MEASURE = Namespace(BASE + "def/measure/")

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

PREFIXES = {
    "okg": OKG,
    "id": ID,
    "grade": GRADE,
    "sifarea": SIF_AREA,
    "ilacsarea": ILACS_AREA,
    "legacyarea": LEGACY_AREA,
    "kind": KIND,
    "role": ROLE,
    "teamrole": TEAM_ROLE,
    "theme": THEME,
    "polarity": POLARITY,
    "measure": MEASURE,
    "oa": OA,
    "org": ORG,
    "time": TIME,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "foaf": FOAF,
    "qb": QB,
    "schema": SCHEMA,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX lines for queries, from the same table."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
