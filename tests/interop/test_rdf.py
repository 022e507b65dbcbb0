"""GET /api/v1/catalog.ttl and .jsonld: parses, and conforms to tests/interop/shapes.ttl."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from flask import Flask
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS

from app.interop.rdf import ADMS, CPSV, CV, DCAT

SHAPES = Path(__file__).with_name("shapes.ttl")
BASE = "http://localhost"


def _shapes() -> Graph:
    # A parsed Graph, not a path: pyshacl loads paths into an rdflib Dataset through an API
    # that rdflib 7.6 deprecates (a warning, which this suite turns into an error).
    return Graph().parse(SHAPES, format="turtle")


def _graph(app: Flask, path: str, fmt: str) -> Graph:
    response = app.test_client().get(path)
    assert response.status_code == 200
    graph = Graph()
    with warnings.catch_warnings():
        # rdflib 7.6's own JSON-LD parser still builds a ConjunctiveGraph, which rdflib 7.6
        # deprecates; the warning is about rdflib's insides, not about the document.
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=response.get_data(as_text=True), format=fmt)
    return graph


@pytest.mark.parametrize(
    ("path", "fmt", "mimetype"),
    [
        ("/api/v1/catalog.ttl", "turtle", "text/turtle"),
        ("/api/v1/catalog.jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_catalogue_graph_conforms_to_the_shapes(
    catalogue_app: Flask, path: str, fmt: str, mimetype: str
) -> None:
    assert catalogue_app.test_client().get(path).mimetype == mimetype
    graph = _graph(catalogue_app, path, fmt)
    conforms, _, text = validate(graph, shacl_graph=_shapes(), inference="none")
    assert conforms, text
    assert len(list(graph.subjects(RDF.type, CPSV.PublicService))) > 0
    assert len(list(graph.subjects(RDF.type, DCAT.Resource))) > 0


def test_what_the_graph_says(catalogue_app: Flask) -> None:
    graph = _graph(catalogue_app, "/api/v1/catalog.ttl", "turtle")
    trondheim = URIRef(f"{BASE}/kommuner/trondheim")
    assert (trondheim, RDF.type, FOAF.Organization) in graph
    assert (trondheim, DCTERMS.identifier, Literal("942110464")) in graph
    assert (
        trondheim,
        OWL.sameAs,
        URIRef("https://data.brreg.no/enhetsregisteret/api/enheter/942110464"),
    ) in graph
    number = next(graph.objects(trondheim, ADMS.identifier))
    assert (number, SKOS.notation, Literal("5001")) in graph
    solution = URIRef(f"{BASE}/losninger/digital-byggesaksbehandling")
    assert (solution, DCAT.theme, URIRef("https://psi.norge.no/los/tema/bygg-og-eiendom")) in graph
    assert (solution, DCTERMS.publisher, trondheim) in graph
    contact = next(graph.objects(solution, DCAT.contactPoint))
    assert next(graph.objects(contact, URIRef("http://www.w3.org/2006/vcard/ns#fn"))).value
    services = list(graph.subjects(RDF.type, CPSV.PublicService))
    assert all(next(graph.objects(s, CV.hasCompetentAuthority), None) for s in services)


def test_shapes_catch_a_missing_mandatory_property(catalogue_app: Flask) -> None:
    graph = _graph(catalogue_app, "/api/v1/catalog.ttl", "turtle")
    solution = URIRef(f"{BASE}/losninger/digital-byggesaksbehandling")
    graph.remove((solution, DCAT.theme, None))
    graph.remove((solution, DCTERMS.title, None))
    conforms, _, text = validate(graph, shacl_graph=_shapes(), inference="none")
    assert not conforms
    assert "dcat:theme" in text or "theme" in text


def test_empty_catalogue_is_still_valid_rdf(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/catalog.ttl")
    assert response.status_code == 200
    Graph().parse(data=response.get_data(as_text=True), format="turtle")


def test_a_variant_says_what_it_is_derived_from(app: Flask, make_solution) -> None:  # type: ignore[no-untyped-def]
    from app.interop.rdf import PROV

    original = make_solution(name="Originalen")
    variant = make_solution(name="Varianten", based_on=original)
    graph = _graph(app, "/api/v1/catalog.ttl", "turtle")
    derived = {(str(s), str(o)) for s, o in graph.subject_objects(PROV.wasDerivedFrom)}
    sources = {(str(s), str(o)) for s, o in graph.subject_objects(DCTERMS.source)}
    assert len(derived) == 1
    assert derived == sources
    ((child, parent),) = derived
    assert child.endswith(f"/losninger/{variant}")
    assert parent.endswith(f"/losninger/{original}")
