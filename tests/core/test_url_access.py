"""Every URL must say who may use it: public, authenticated, or role-and-territory scoped."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from esep.api.api import api
from esep.core.access import PERMISSIONS

# The admin site checks its own permission (administrators only) in EsepAdminSite.has_permission;
# the API's operations are checked one by one in test_every_api_operation_declares_its_access.
SELF_GUARDED_NAMESPACES = {"admin", "api"}


def walk(patterns: list, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def declared_access(callback: object) -> object:
    view = callback
    while view is not None:
        declared = getattr(view, "esep_access", None)
        if declared is not None:
            return declared
        view = getattr(view, "__wrapped__", None)
    return None


def test_every_view_declares_its_access() -> None:
    undeclared = []
    for route, namespace, pattern in walk(get_resolver().url_patterns):
        if namespace in SELF_GUARDED_NAMESPACES:
            continue
        declared = declared_access(pattern.callback)
        if declared is None:
            undeclared.append(route)
        elif isinstance(declared, tuple):
            kind, permission = declared
            assert kind == "scoped" and permission in PERMISSIONS, route
        else:
            assert declared in {"public", "authenticated"}, route
    assert not undeclared, f"views without an access declaration: {undeclared}"


def api_operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_every_api_operation_declares_its_access() -> None:
    operations = list(api_operations())
    assert operations
    undeclared = [
        f"{'/'.join(op.methods)} {path}" for path, op in operations if declared_access(op.view_func) is None
    ]
    assert not undeclared, f"API operations without an access declaration: {undeclared}"
    for _path, operation in operations:
        declared = declared_access(operation.view_func)
        if isinstance(declared, tuple):
            assert declared[1] in PERMISSIONS


def test_the_walker_sees_the_project_urls() -> None:
    routes = [route for route, _ns, _p in walk(get_resolver().url_patterns)]
    assert len(routes) > 10
    assert any(route.startswith("accounts/roles") for route in routes)


@pytest.mark.django_db
def test_scoped_views_send_anonymous_users_to_login_and_refuse_others(client, make_user) -> None:
    response = client.get(reverse("accounts:roles"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user())
    assert client.get(reverse("accounts:roles")).status_code == 403


@pytest.mark.django_db
def test_the_admin_site_is_for_administrators_only(client, make_user) -> None:
    from esep.core.models import Role

    client.force_login(make_user(Role.ANALYST, None))
    assert client.get("/admin/").status_code == 302
    client.force_login(make_user(Role.ADMINISTRATOR, None))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/territory/territory/?q=караа").status_code == 200
