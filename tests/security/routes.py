"""Every route an app serves, flattened from FastAPI's included routers, and what each depends on."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIWebSocketRoute, iter_route_contexts
from starlette.routing import Mount, WebSocketRoute

WS = "WS"
PARAM = re.compile(r"{(\w+)(?::\w+)?}")
# Path parameters by name; anything else gets 1 (ids), which auth must refuse before looking anything up.
DUMMY_PARAMS = {"token": "nosuchtablecode", "site_id": "site_doesnotexist"}


@dataclass(frozen=True)
class Endpoint:
    method: str  # an HTTP method, or WS
    path: str
    dependant: Dependant | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def url(self) -> str:
        return PARAM.sub(lambda m: DUMMY_PARAMS.get(m.group(1), "1"), self.path)

    def depends_on(self, call: Callable[..., Any]) -> bool:
        return self.dependant is not None and call in dependency_calls(self.dependant)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def dependency_calls(dependant: Dependant) -> set[Callable[..., Any]]:
    """Every callable in the dependency graph below `dependant` (router-level dependencies included)."""
    calls: set[Callable[..., Any]] = set()
    stack = list(dependant.dependencies)
    while stack:
        dep = stack.pop()
        if dep.call is not None:
            calls.add(dep.call)
        stack.extend(dep.dependencies)
    return calls


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, path) the app answers, except what mounts serve; HEAD goes with GET."""
    found: list[Endpoint] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            continue
        if isinstance(route, (APIWebSocketRoute, WebSocketRoute)):
            found.append(Endpoint(WS, route.path, getattr(route, "dependant", None)))
            continue
        dependant = getattr(context, "dependant", None)
        assert context.path is not None, route
        for method in sorted((context.methods or set()) - {"HEAD"}):
            found.append(Endpoint(method, context.path, dependant))
    return found


def mounts(app: FastAPI) -> Iterator[Mount]:
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            yield context.original_route
