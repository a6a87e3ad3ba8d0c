"""Deny by default: every page and API operation declares who may use it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from ninja import NinjaAPI, Router
from openapi_spec_validator import validate

from config import urls as root_urls
from config.api import api
from tradelane.core.access import PUBLIC, allow, declared_rules
from tradelane.core.api import enforce_access_declarations, operations


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_page_declares_its_access_rule():
    undeclared = [
        route
        for route, view in _walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/v1/", "i18n/", "static/"))
        and declared_rules(view) is None
    ]
    assert undeclared == []


def test_every_api_operation_declares_its_access_rule():
    assert [f"{m} {p}" for m, p, view in operations(api) if declared_rules(view) is None] == []


def test_an_api_operation_without_declaration_refuses_to_start():
    router = Router()

    @router.get("/oops")
    def oops(request):
        return {}

    bare = NinjaAPI(urls_namespace="bare-test")
    bare.add_router("/", router)
    with pytest.raises(ImproperlyConfigured, match="oops"):
        enforce_access_declarations(bare)


def undeclared_view(request):
    return HttpResponse("secret")


@allow(PUBLIC)
def declared_view(request):
    return HttpResponse("hello")


urlpatterns = [
    path("undeclared/", undeclared_view),
    path("declared/", declared_view),
    *root_urls.urlpatterns,
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tradelane.core.tests.test_access")
def test_a_page_without_declaration_is_refused(client):
    response = client.get("/undeclared/")
    assert response.status_code == 404
    assert b"secret" not in response.content
    assert client.get("/declared/").content == b"hello"


@pytest.mark.django_db
def test_openapi_document_is_valid_and_declares_errors(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    for path_item in document["paths"].values():
        for operation in path_item.values():
            assert {"404", "422"} <= set(operation["responses"]), operation["operationId"]


@pytest.mark.django_db
def test_api_docs_load_without_any_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page
    assert "/static/ninja/" in page
