"""Schema-driven fuzzing shared by the appliance's and the cloud's API fuzz tests.

The OpenAPI document comes from the app itself at collection time, so every operation becomes its own test.
Checks on every response:

- not a server error (no 5xx);
- the status code is one the operation declares (400 for an unparsable body is declared app-wide);
- the content type is the declared one;
- the body matches the declared schema, error bodies included (the 422 schema is ours, not FastAPI's);
- an error body is the house shape `{detail, code}`.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance
from schemathesis.specs.openapi.schemas import OpenApiSchema


def build_openapi(create_app: Callable[[Path], FastAPI]) -> dict[str, Any]:
    """The OpenAPI document of the app `create_app(scratch_dir)` builds; the directory is gone afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        return create_app(Path(tmp)).openapi()


def fuzzed_schema(openapi: dict[str, Any], *, max_examples: int) -> OpenApiSchema:
    config = schemathesis.Config.from_dict(
        {
            "generation": {"mode": "all", "max-examples": max_examples, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "request-timeout": 20,
        }
    )
    return schemathesis.openapi.from_dict(openapi, config=config)


def fuzz_settings(max_examples: int) -> settings:
    """Hypothesis settings for one fuzzed operation: bounded, derandomized, no example database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


@schemathesis.check
def status_code_is_declared(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every status a route answers is in its OpenAPI (400 for unparsable bodies is declared app-wide)."""
    result: bool | None = status_code_conformance(ctx, response, case)
    return result


@schemathesis.check
def body_conforms(ctx: Any, response: Any, case: Any) -> bool | None:
    """The body matches the declared schema, errors included (the 422 schema is ours, not FastAPI's)."""
    return bool(case.operation.validate_response(response, case=case))


@schemathesis.check
def error_body_is_detail_and_code(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    body = response.json()
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert isinstance(body.get("detail"), str), f"error body without a string detail: {body!r}"
    assert isinstance(body.get("code"), str), f"error body without a string code: {body!r}"
    return True


CHECKS = [
    not_a_server_error,
    status_code_is_declared,
    content_type_conformance,
    body_conforms,
    error_body_is_detail_and_code,
]


def assert_operations_exist(openapi: dict[str, Any], expected: Iterable[tuple[str, str]]) -> None:
    """Each `(METHOD, path)` is in the document, so it is among the fuzzed operations."""
    operations = {(method.upper(), path) for path, ops in openapi["paths"].items() for method in ops}
    missing = [op for op in expected if op not in operations]
    assert not missing, f"not in the OpenAPI document: {missing}"


def assert_every_operation_is_fuzzed(schema: OpenApiSchema, openapi: dict[str, Any]) -> None:
    """parametrize makes one test per operation; an operation it cannot build must fail, not vanish."""
    results = list(schema.get_all_operations())
    assert len(results) == sum(len(ops) for ops in openapi["paths"].values())
    broken = [result.err() for result in results if not isinstance(result, Ok)]
    assert not broken
