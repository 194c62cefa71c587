"""Every route × every role (and own vs another school): the expected outcome, and nothing else.

A route added to the app without a rule in tests/access/ makes this test fail.
"""

import importlib
import pkgutil
from urllib.parse import urlsplit

import pytest

import tests.access as access
from tests.access import LOGIN, OK, ROLES
from tests.access.world import build_world
from tests.factories import sign_in


def _all_rules() -> dict:
    rules = {}
    for info in pkgutil.iter_modules(access.__path__):
        module = importlib.import_module(f"tests.access.{info.name}")
        for key, rule in getattr(module, "RULES", {}).items():
            assert key not in rules, f"{key} has two rules"
            rules[key] = rule
    return rules


RULES = _all_rules()


def _route_keys(app) -> set[str]:
    keys = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add(rule.endpoint if method == "GET" else f"{rule.endpoint} {method}")
    return keys


def test_every_route_has_a_rule_and_every_rule_a_route(app):
    routes = _route_keys(app)
    assert sorted(routes - RULES.keys()) == [], "routes without an access rule"
    assert sorted(RULES.keys() - routes) == [], "rules for routes that do not exist"


def _outcome(response):
    if response.status_code in (301, 302, 303):
        if urlsplit(response.headers["Location"]).path == "/login":
            return LOGIN
        return OK
    if 200 <= response.status_code < 300:
        return OK
    return response.status_code


CASES = [
    pytest.param(key, role, False, id=f"{key}|{role}") for key in sorted(RULES) for role in ROLES
]
CASES += [
    pytest.param(key, "coordinator", True, id=f"{key}|coordinator-other-school")
    for key in sorted(RULES)
    if RULES[key].other_url is not None
]
CASES += [
    pytest.param(key, "hr", "administration", id=f"{key}|hr-other-administration")
    for key in sorted(RULES)
    if RULES[key].other_administration_url is not None
]


@pytest.mark.parametrize(("key", "role", "other_school"), CASES)
def test_access(client, key, role, other_school):
    world = build_world()
    rule = RULES[key]
    if role != "anonymous":
        sign_in(client, world.users[role])
    if other_school == "administration":
        url = rule.other_administration_url(world)
    else:
        url = (rule.other_url if other_school else rule.url)(world)
    method = "POST" if key.endswith(" POST") else "GET"
    data = rule.data(world) if rule.data else {}
    response = client.open(url, method=method, data=data)
    expected = 404 if other_school else rule.expect[role]
    assert _outcome(response) == expected, f"{method} {url} as {role}: {response.status_code}"
