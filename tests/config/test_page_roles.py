"""Every page of the app by role, deny by default: found by walking the URL patterns, so a
new page is in this matrix without anyone adding it. Signed out, one is sent to log in; with
no role, every page is refused; front-line staff reach only their own pages."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Open to everyone: signing in, health, the API's own door, the customers' and invitees'
# token links (which carry arguments and are not walked anyway).
PUBLIC = {"login", "logout", "healthz", "password_set", "schema", "api-docs"}
# What front-line staff may open; every other page is refused to them.
STAFF_PAGES = {
    "home",
    "surveys:my_work",
    "surveys:follow_ups",
    "surveys:outreach_default",
}


def pages() -> list[tuple[str, str]]:
    """(name, path) of every named GET page without arguments, outside the API and admin."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or str(entry.pattern).startswith("api/"):
                    continue
                space = entry.namespace or namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), space)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if "<" not in str(entry.pattern) and name not in PUBLIC:
                    found.append((name, "/" + prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", None)
    return sorted(found)


PAGES = pages()


def test_the_walk_finds_the_pages_of_every_room():
    names = {name for name, _ in PAGES}
    assert {"home", "surveys:customers", "surveys:outreach_default", "dashboards:priorities",
            "journeys:list", "touchpoints:staff"} <= names  # fmt: skip
    assert len(PAGES) > 15


@pytest.mark.parametrize("name,path", PAGES)
def test_signed_out_one_is_sent_to_log_in(client, name, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/login/"), name


@pytest.mark.parametrize("name,path", PAGES)
def test_with_no_role_every_page_is_refused(client_for, no_role_user, name, path):
    assert client_for(no_role_user).get(path).status_code == 403, name


@pytest.mark.parametrize("name,path", PAGES)
def test_front_line_staff_reach_only_their_own_pages(client_for, staff_a, name, path):
    status = client_for(staff_a).get(path).status_code
    if name in STAFF_PAGES:
        assert status in (200, 302), name  # home sends them to their desk
    else:
        assert status == 403, name


@pytest.mark.parametrize("name,path", PAGES)
def test_cx_managers_open_every_page(client_for, cx_manager, name, path):
    # The outbox shows the emails written to files: it exists only in embedded mode.
    missing = {404} if name == "surveys:outbox" else set()
    assert client_for(cx_manager).get(path).status_code in {200, 302, *missing}, name
