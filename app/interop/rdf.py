"""The catalogue as linked data: DCAT-AP-NO and CPSV-AP-NO with rdflib.

- the catalogue is a ``dcat:Catalog`` whose ``dcat:themeTaxonomy`` is LOS;
- a solution of kind ``service`` is a ``cpsv:PublicService`` (with ``cv:hasCompetentAuthority``),
  any other a ``dcat:Resource`` (software kinds also ``adms:Asset``); each has LOS themes via
  ``dcat:theme``, a contact point (``vcard:Kind``) and links;
- an organisation is a ``foaf:Organization`` and ``org:Organization`` with its
  organisation number (``dct:identifier``, and ``owl:sameAs`` its Enhetsregisteret URI) and its
  kommunenummer (an ``adms:Identifier``); a collaboration lists its members (``org:hasMember``).

The graph is built from model objects passed in; this module never queries the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, SKOS, XSD

from app.models.base import as_utc

if TYPE_CHECKING:
    from app.models import Organisation, Solution, Theme

DCAT = Namespace("http://www.w3.org/ns/dcat#")
"""A plain namespace: rdflib's closed DCAT namespace predates DCAT 3 (``dcat:resource``)."""
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PROV = Namespace("http://www.w3.org/ns/prov#")
LOS = URIRef("https://psi.norge.no/los/all")
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
SOFTWARE_KINDS = ("system", "integration", "automation")
LANG = "nb"

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "org": ORG,
    "owl": OWL,
    "skos": SKOS,
    "cpsv": CPSV,
    "cv": CV,
    "adms": ADMS,
    "vcard": VCARD,
    "prov": PROV,
}


def _when(value: datetime) -> Literal:
    return Literal(as_utc(value).isoformat(), datatype=XSD.dateTime)


class CatalogueGraph:
    """Builds the graph; URIs of the catalogue's own things start at ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def catalogue_uri(self) -> URIRef:
        """Return the URI of the catalogue itself."""
        return URIRef(f"{self.base}/api/v1/catalog")

    def organisation_uri(self, organisation: Organisation) -> URIRef:
        """Return the URI of an organisation (its page in the catalogue)."""
        return URIRef(f"{self.base}/kommuner/{organisation.slug}")

    def solution_uri(self, solution: Solution) -> URIRef:
        """Return the URI of a solution (its page in the catalogue)."""
        return URIRef(f"{self.base}/losninger/{solution.slug}")

    def add_organisation(self, organisation: Organisation) -> URIRef:
        """Add an organisation with its identifiers; return its URI."""
        g, uri = self.graph, self.organisation_uri(organisation)
        g.add((uri, RDF.type, FOAF.Organization))
        g.add((uri, RDF.type, ORG.Organization))
        g.add((uri, FOAF.name, Literal(organisation.name, lang=LANG)))
        g.add((uri, SKOS.prefLabel, Literal(organisation.name, lang=LANG)))
        if organisation.orgnr:
            g.add((uri, DCTERMS.identifier, Literal(organisation.orgnr)))
            g.add((uri, OWL.sameAs, URIRef(BRREG + organisation.orgnr)))
        if organisation.kommunenummer:
            identifier = URIRef(f"{uri}#kommunenummer")
            g.add((uri, ADMS.identifier, identifier))
            g.add((identifier, RDF.type, ADMS.Identifier))
            g.add((identifier, SKOS.notation, Literal(organisation.kommunenummer)))
            g.add((identifier, DCTERMS.type, Literal("kommunenummer")))
        if organisation.website:
            g.add((uri, FOAF.homepage, URIRef(organisation.website)))
        if organisation.email:
            g.add((uri, FOAF.mbox, URIRef(f"mailto:{organisation.email}")))
        for member in organisation.members:
            g.add((uri, ORG.hasMember, self.organisation_uri(member)))
        return uri

    def _contact_point(self, solution: Solution, subject: URIRef) -> None:
        if not (solution.contact_name or solution.contact_email):
            return
        g, contact = self.graph, URIRef(f"{subject}#kontakt")
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(solution.contact_name or solution.owner.name)))
        if solution.contact_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{solution.contact_email}")))
        if solution.contact_role:
            g.add((contact, VCARD.role, Literal(solution.contact_role, lang=LANG)))
        g.add((contact, VCARD["organization-name"], Literal(solution.owner.name, lang=LANG)))
        g.add((subject, DCAT.contactPoint, contact))
        if solution.kind == "service":
            g.add((subject, CV.hasContactPoint, contact))

    def add_solution(self, solution: Solution) -> URIRef:
        """Add a solution as a public service or a resource; return its URI."""
        g, uri = self.graph, self.solution_uri(solution)
        owner = self.organisation_uri(solution.owner)
        if solution.kind == "service":
            g.add((uri, RDF.type, CPSV.PublicService))
            g.add((uri, CV.hasCompetentAuthority, owner))
        else:
            g.add((uri, RDF.type, DCAT.Resource))
            if solution.kind in SOFTWARE_KINDS:
                g.add((uri, RDF.type, ADMS.Asset))
        g.add((uri, DCTERMS.identifier, Literal(solution.slug)))
        g.add((uri, DCTERMS.title, Literal(solution.name, lang=LANG)))
        g.add((uri, DCTERMS.description, Literal(solution.summary, lang=LANG)))
        g.add((uri, DCTERMS.publisher, owner))
        g.add((uri, DCTERMS.type, Literal(solution.kind)))
        g.add((uri, DCAT.landingPage, uri))
        g.add((uri, DCTERMS.issued, _when(solution.created_at)))
        g.add((uri, DCTERMS.modified, _when(solution.updated_at)))
        if solution.based_on is not None and not solution.based_on.is_draft:
            origin = self.solution_uri(solution.based_on)
            g.add((uri, DCTERMS.source, origin))
            g.add((uri, PROV.wasDerivedFrom, origin))
        for theme in solution.themes:
            g.add((uri, DCAT.theme, URIRef(theme.uri)))
        for tag in solution.tags:
            g.add((uri, DCAT.keyword, Literal(tag, lang=LANG)))
        for standard in solution.standards:
            if standard.url:
                g.add((uri, DCTERMS.conformsTo, URIRef(standard.url)))
                g.add((URIRef(standard.url), DCTERMS.title, Literal(standard.name)))
                g.add((URIRef(standard.url), RDF.type, DCTERMS.Standard))
        if solution.homepage_url:
            g.add((uri, FOAF.homepage, URIRef(solution.homepage_url)))
        if solution.documentation_url:
            g.add((uri, FOAF.page, URIRef(solution.documentation_url)))
        if solution.source_code_url:
            g.add((uri, ADMS.sample, URIRef(solution.source_code_url)))
        if solution.licence:
            g.add((uri, DCTERMS.rights, Literal(solution.licence)))
        if solution.vendor:
            g.add((uri, DCTERMS.creator, Literal(solution.vendor)))
        for adoption in solution.active_adoptions:
            g.add((uri, DCTERMS.isReferencedBy, self.organisation_uri(adoption.organisation)))
        self._contact_point(solution, uri)
        return uri

    def build(
        self,
        organisations: Sequence[Organisation],
        themes: Sequence[Theme],
        solutions: Sequence[Solution],
        publisher: Organisation | None,
    ) -> Graph:
        """Return the graph of the whole catalogue."""
        g, catalogue = self.graph, self.catalogue_uri()
        g.add((catalogue, RDF.type, DCAT.Catalog))
        g.add((catalogue, DCTERMS.title, Literal("Gjenbrukskatalogen", lang=LANG)))
        g.add(
            (
                catalogue,
                DCTERMS.description,
                Literal(
                    "Løsninger som kommunene i Trøndelag deler med hverandre: IT-systemer, "
                    "arbeidsprosesser og digitale tjenester, med hvem som bruker dem.",
                    lang=LANG,
                ),
            )
        )
        g.add(
            (
                catalogue,
                DCTERMS.language,
                URIRef("http://publications.europa.eu/resource/authority/language/NOB"),
            )
        )
        g.add((catalogue, DCAT.themeTaxonomy, LOS))
        g.add((catalogue, FOAF.homepage, URIRef(f"{self.base}/")))
        for organisation in organisations:
            self.add_organisation(organisation)
        if publisher is not None:
            g.add((catalogue, DCTERMS.publisher, self.organisation_uri(publisher)))
        for theme in themes:
            g.add((URIRef(theme.uri), RDF.type, SKOS.Concept))
            g.add((URIRef(theme.uri), SKOS.prefLabel, Literal(theme.name, lang=LANG)))
            g.add((URIRef(theme.uri), SKOS.inScheme, LOS))
        for solution in solutions:
            uri = self.add_solution(solution)
            g.add((catalogue, DCAT.resource, uri))
            if solution.kind == "service":
                g.add((catalogue, CPSV.hasPublicService, uri))
        return g


JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def serialise(graph: Graph, fmt: str) -> str:
    """Return the graph as Turtle (``ttl``) or JSON-LD (``jsonld``)."""
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    return graph.serialize(format="turtle")
