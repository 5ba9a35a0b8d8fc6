"""The SPARQL behind the entity pages and descriptions, one named query per question.

Not the public saved-query catalogue (queries/): these are the server's own. Each page runs a
few of them, never one per row, so a council of the England graph is as quick as the seed's.
`$entity` is the entity's IRI (lookups.text puts it in); the prologue has every project prefix.
"""

EXISTS = "ASK { $entity ?p ?o }"

TYPES = "SELECT ?type WHERE { $entity a ?type }"

# The entity's own triples, its evidence annotations with their targets and selectors, the
# interval and instants of a tenure, and a council's inspections (the triples naming it as
# their council): a CBD-like description with no blank nodes to follow.
DESCRIPTION = """
CONSTRUCT { ?s ?p ?o } WHERE {
  { BIND($entity AS ?s) ?s ?p ?o }
  UNION { $entity okg:evidence ?s . ?s ?p ?o }
  UNION { $entity okg:evidence/oa:hasTarget ?s . ?s ?p ?o }
  UNION { $entity okg:evidence/oa:hasTarget/oa:hasSelector ?s . ?s ?p ?o }
  UNION { $entity org:memberDuring ?s . ?s ?p ?o }
  UNION { $entity org:memberDuring/(time:hasBeginning|time:hasEnd) ?s . ?s ?p ?o }
  # A council's inspections point at it; the description says so, so an RDF client that
  # dereferences a council can follow them (they are the council's, not other things' naming it).
  UNION { ?s okg:localAuthority $entity ; a okg:Inspection . BIND(okg:localAuthority AS ?p) BIND($entity AS ?o) }
}"""

LABEL = "skos:prefLabel|foaf:name|dcterms:title|rdfs:label"

# Every triple of the entity with a label for each IRI object (the generic page, the council's links).
PROPERTIES = f"""
SELECT ?p ?o ?label WHERE {{
  $entity ?p ?o .
  OPTIONAL {{ ?o {LABEL} ?label }}
}} ORDER BY ?p ?o"""

# What points at the entity (the generic page), capped: a grade is the object of thousands.
INCOMING = f"""
SELECT ?s ?p ?label WHERE {{
  ?s ?p $entity .
  FILTER(?p != oa:hasBody)
  OPTIONAL {{ ?s {LABEL} ?label }}
}} ORDER BY ?p ?s LIMIT 200"""

# How many things point at the entity, by property (every entity page's "Referenced by").
INCOMING_COUNTS = """
SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s ?p $entity .
  FILTER(?p != oa:hasBody)
} GROUP BY ?p ORDER BY DESC(?n) ?p"""

EVIDENCE_FIELDS = """
  ?fact okg:evidence ?annotation .
  ?annotation oa:hasTarget ?target .
  ?target oa:hasSource ?document ; oa:hasSelector ?quote, ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?document dcterms:issued ?issued }"""

# Evidence of the entity itself and of every fact that names it as its inspection or member.
EVIDENCE = f"""
SELECT ?fact ?document ?title ?issued ?start ?end ?exact WHERE {{
  {{ BIND($entity AS ?fact) }} UNION {{ ?fact okg:inspection $entity }} UNION {{ ?fact org:member $entity }}
  {EVIDENCE_FIELDS}
}} ORDER BY ?fact ?issued ?document ?start"""

COUNCILS = """
SELECT ?council ?label (COUNT(DISTINCT ?inspection) AS ?inspections) WHERE {
  ?inspection a okg:Inspection ; okg:localAuthority ?council .
  ?council skos:prefLabel ?label .
} GROUP BY ?council ?label ORDER BY ?label"""

INSPECTIONS = """
SELECT ?inspection ?kind ?kindLabel ?start ?end ?published ?ordinal WHERE {
  ?inspection okg:localAuthority $entity ; okg:inspectionKind ?kind .
  ?kind skos:prefLabel ?kindLabel .
  OPTIONAL { ?inspection okg:startDate ?start } OPTIONAL { ?inspection okg:endDate ?end }
  OPTIONAL { ?inspection okg:publicationDate ?published } OPTIONAL { ?inspection okg:visitOrdinal ?ordinal }
} ORDER BY ?start ?inspection"""

# The judgements of every inspection of a council, for its timeline.
COUNCIL_JUDGEMENTS = """
SELECT ?inspection ?start ?kindLabel ?judgement ?area ?areaLabel ?grade ?gradeLabel ?gradeNotation WHERE {
  ?inspection okg:localAuthority $entity ; okg:inspectionKind/skos:prefLabel ?kindLabel .
  OPTIONAL { ?inspection okg:startDate ?start }
  ?judgement a okg:Judgement ; okg:inspection ?inspection ; okg:judgementArea ?area ; okg:grade ?grade .
  ?area skos:prefLabel ?areaLabel . ?grade skos:prefLabel ?gradeLabel .
  OPTIONAL { ?grade skos:notation ?gradeNotation }
} ORDER BY ?start ?inspection ?area ?judgement"""

# Judgement areas of every framework with their notations and SKOS mappings: the timeline's rows.
AREAS = """
SELECT ?area ?scheme ?label ?notation ?match ?broader WHERE {
  VALUES ?scheme { <https://w3id.org/ofsted-kg/def/sif-area> <https://w3id.org/ofsted-kg/def/ilacs-area>
                   <https://w3id.org/ofsted-kg/def/legacy-area> }
  ?area skos:inScheme ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?area skos:notation ?notation }
  OPTIONAL { ?area skos:closeMatch|^skos:closeMatch ?match }
  OPTIONAL { ?area skos:broader|skos:broadMatch ?broader }
}"""

STATISTICS = """
SELECT ?statistic ?measureLabel ?value ?date ?approximate ?unit WHERE {
  ?statistic a okg:Statistic ; okg:localAuthority $entity ; okg:measure ?measure ;
             okg:value ?value ; okg:refDate ?date .
  ?measure skos:prefLabel ?measureLabel .
  OPTIONAL { ?measure okg:unit ?unit }
  OPTIONAL { ?statistic okg:approximate ?approximate }
} ORDER BY ?date ?measureLabel"""

# The statistics of a council and of its statistical neighbours (the links the graph holds),
# for the council page's charts of each measure over time.
NEIGHBOUR_STATISTICS = """
SELECT ?la ?laLabel ?measure ?measureLabel ?unit ?value ?date WHERE {
  { BIND($entity AS ?la) } UNION { $entity okg:statisticalNeighbour ?la }
  ?statistic a okg:Statistic ; okg:localAuthority ?la ; okg:measure ?measure ; okg:value ?value ; okg:refDate ?date .
  ?la skos:prefLabel ?laLabel .
  ?measure skos:prefLabel ?measureLabel .
  OPTIONAL { ?measure okg:unit ?unit }
} ORDER BY ?measureLabel ?laLabel ?date ?statistic"""

TENURE_FIELDS = """
  ?tenure okg:post ?post ; org:role/skos:prefLabel ?roleLabel ; org:organization ?organisation .
  ?post skos:prefLabel ?postLabel .
  ?organisation skos:prefLabel ?organisationLabel .
  OPTIONAL { ?tenure org:member ?person . ?person foaf:name ?name }
  OPTIONAL { ?tenure org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?begin }
  OPTIONAL { ?tenure org:memberDuring/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?end }
  OPTIONAL { ?tenure okg:attestedOn ?attested }"""

# Posts in the council, in its safeguarding board, or about it (a DfE commissioner's).
COUNCIL_TENURES = f"""
SELECT DISTINCT ?tenure ?person ?name ?postLabel ?roleLabel ?organisation ?organisationLabel ?begin ?end ?attested WHERE {{
  {{ ?tenure org:organization $entity }} UNION {{ ?tenure org:organization/okg:boardOf $entity }}
  UNION {{ ?tenure okg:post/okg:concerns $entity }}
  ?tenure a okg:Tenure .
  {TENURE_FIELDS}
}} ORDER BY ?begin ?attested ?postLabel"""

PERSON_TENURES = f"""
SELECT ?tenure ?person ?name ?postLabel ?roleLabel ?organisation ?organisationLabel ?begin ?end ?attested WHERE {{
  ?tenure a okg:Tenure ; org:member $entity .
  {TENURE_FIELDS}
}} ORDER BY ?begin ?attested ?postLabel"""

PERSON_TEAMS = """
SELECT ?membership ?inspection ?start ?council ?councilLabel ?kindLabel ?roleLabel ?grade WHERE {
  ?membership a okg:TeamMembership ; org:member $entity ; okg:inspection ?inspection ;
              org:role/skos:prefLabel ?roleLabel .
  ?inspection okg:localAuthority ?council ; okg:inspectionKind/skos:prefLabel ?kindLabel .
  ?council skos:prefLabel ?councilLabel .
  OPTIONAL { ?inspection okg:startDate ?start }
  OPTIONAL { ?membership okg:inspectorGrade ?grade }
} ORDER BY ?start ?inspection"""

INSPECTION = """
SELECT ?kind ?kindLabel ?council ?councilLabel ?start ?end ?published ?ordinal ?follows WHERE {
  $entity okg:inspectionKind ?kind ; okg:localAuthority ?council .
  ?kind skos:prefLabel ?kindLabel . ?council skos:prefLabel ?councilLabel .
  OPTIONAL { $entity okg:startDate ?start } OPTIONAL { $entity okg:endDate ?end }
  OPTIONAL { $entity okg:publicationDate ?published } OPTIONAL { $entity okg:visitOrdinal ?ordinal }
  OPTIONAL { $entity okg:followsInspection ?follows }
}"""

# The documents an inspection is reported in, and any other whose words are its evidence.
INSPECTION_DOCUMENTS = """
SELECT DISTINCT ?document ?title ?issued ?publisher ?reported ?source WHERE {
  { $entity okg:reportedIn ?document }
  UNION { $entity okg:evidence/oa:hasTarget/oa:hasSource ?document }
  UNION { ?fact okg:inspection $entity ; okg:evidence/oa:hasTarget/oa:hasSource ?document }
  # on every row of the document, not only the union's first branch: pages keep one row a document
  OPTIONAL { $entity okg:reportedIn ?document BIND(true AS ?reported) }
  ?document dcterms:title ?title .
  OPTIONAL { ?document dcterms:issued ?issued }
  OPTIONAL { ?document dcterms:source ?source }
  OPTIONAL { ?document dcterms:publisher/skos:prefLabel ?publisher }
} ORDER BY ?issued ?document"""

JUDGEMENTS = """
SELECT ?judgement ?area ?areaLabel ?grade ?gradeLabel WHERE {
  ?judgement a okg:Judgement ; okg:inspection $entity ; okg:judgementArea ?area ; okg:grade ?grade .
  ?area skos:prefLabel ?areaLabel . ?grade skos:prefLabel ?gradeLabel .
  OPTIONAL { ?area skos:notation ?notation }
} ORDER BY ?notation ?areaLabel ?judgement"""

TEAM = """
SELECT ?membership ?person ?name ?roleLabel ?grade WHERE {
  ?membership a okg:TeamMembership ; okg:inspection $entity ; org:member ?person ; org:role ?role .
  ?person foaf:name ?name . ?role skos:prefLabel ?roleLabel .
  OPTIONAL { ?role skos:notation ?order }
  OPTIONAL { ?membership okg:inspectorGrade ?grade }
} ORDER BY ?roleLabel ?name"""

RECOMMENDATIONS = """
SELECT ?recommendation ?number ?text ?theme ?themeLabel WHERE {
  ?recommendation a okg:Recommendation ; okg:inspection $entity ; okg:number ?number ; okg:text ?text .
  OPTIONAL { ?recommendation okg:theme ?theme . ?theme skos:prefLabel ?themeLabel }
} ORDER BY ?number ?themeLabel"""

FINDINGS = """
SELECT ?finding ?number ?printed ?text ?theme ?themeLabel ?polarityLabel WHERE {
  ?finding a okg:Finding ; okg:inspection $entity ; okg:number ?number ; okg:text ?text .
  OPTIONAL { ?finding okg:numberPrinted ?printed }
  OPTIONAL { ?finding okg:theme ?theme . ?theme skos:prefLabel ?themeLabel }
  OPTIONAL { ?finding okg:polarity/skos:prefLabel ?polarityLabel }
} ORDER BY ?themeLabel ?number"""

CONCEPT = """
SELECT ?label ?definition ?scheme ?schemeLabel ?keyword WHERE {
  $entity skos:prefLabel ?label .
  OPTIONAL { $entity skos:definition ?definition }
  OPTIONAL { $entity skos:inScheme ?scheme . ?scheme skos:prefLabel ?schemeLabel }
  OPTIONAL { $entity okg:keyword ?keyword }
} ORDER BY ?keyword"""

# Where a theme was raised: findings and recommendations per inspection, with council and year.
THEME_USES = """
SELECT ?council ?councilLabel ?inspection ?start ?kindLabel
       (SUM(IF(?class = okg:Finding, 1, 0)) AS ?findings)
       (SUM(IF(?class = okg:Recommendation, 1, 0)) AS ?recommendations) WHERE {
  VALUES ?class { okg:Finding okg:Recommendation }
  ?item okg:theme $entity ; a ?class ; okg:inspection ?inspection .
  ?inspection okg:localAuthority ?council ; okg:inspectionKind/skos:prefLabel ?kindLabel .
  ?council skos:prefLabel ?councilLabel .
  OPTIONAL { ?inspection okg:startDate ?start }
} GROUP BY ?council ?councilLabel ?inspection ?start ?kindLabel ORDER BY ?councilLabel ?start"""

DOCUMENT = """
SELECT ?title ?issued ?publisher ?publisherLabel ?licence ?rights ?source ?format ?identifier ?characters ?sha256
WHERE {
  $entity dcterms:title ?title .
  OPTIONAL { $entity dcterms:issued ?issued }
  OPTIONAL { $entity dcterms:publisher ?publisher . ?publisher skos:prefLabel ?publisherLabel }
  OPTIONAL { $entity dcterms:license ?licence } OPTIONAL { $entity dcterms:rights ?rights }
  OPTIONAL { $entity dcterms:source ?source } OPTIONAL { $entity dcterms:format ?format }
  OPTIONAL { $entity dcterms:identifier ?identifier } OPTIONAL { $entity okg:characterCount ?characters }
  OPTIONAL { $entity okg:sha256 ?sha256 }
}"""

# What catalogues say of a document (its date, its URL), each with the quoted row.
CATALOGUE_ENTRIES = """
SELECT ?entry ?catalogue ?catalogueTitle ?issued ?source ?start ?end WHERE {
  ?entry a okg:CatalogueEntry ; foaf:primaryTopic $entity ; dcterms:isPartOf ?catalogue .
  ?catalogue dcterms:title ?catalogueTitle .
  OPTIONAL { ?entry dcterms:issued ?issued } OPTIONAL { ?entry dcterms:source ?source }
  OPTIONAL { ?entry okg:evidence/oa:hasTarget/oa:hasSelector ?position .
             ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
} ORDER BY ?catalogue ?start"""

# Every quoted span of a document and the facts it is evidence for (one row per fact).
DOCUMENT_SPANS = """
SELECT ?start ?end ?exact ?fact ?class WHERE {
  ?target oa:hasSource $entity ; oa:hasSelector ?quote, ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start ; oa:end ?end .
  ?annotation oa:hasTarget ?target ; oa:hasBody ?fact .
  OPTIONAL { ?fact a ?class FILTER(STRSTARTS(STR(?class), STR(okg:))) }
} ORDER BY ?start ?end ?fact"""

# Every other printed form of a person's name (graph/resolve/name_variants.py keeps them as
# skos:altLabel when it merges the variants into one node): the forms whose old IRIs redirect.
NAME_FORMS = "SELECT ?person ?form WHERE { ?person a foaf:Person ; skos:altLabel ?form }"
