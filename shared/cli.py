"""What both backends' `python -m …` commands share: the server options, logging, the developer subcommands.

Imports stay light (no app, no SQLAlchemy) so that `--help` and the small subcommands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine


def server_parser(prog: str, description: str, *, default_port: int) -> argparse.ArgumentParser:
    """A parser with the serving options both backends take (`--host`, `--port`, `--access-log`)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default=None, help="bind address (default 0.0.0.0 or $HOST)")
    parser.add_argument("--port", type=int, default=None, help=f"port (default {default_port} or $PORT)")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser


def add_openapi_command(sub: Any) -> None:
    """`openapi [-o FILE]` (sub: the parser's subparsers)."""
    spec = sub.add_parser("openapi", help="(developers) print the API's OpenAPI schema as JSON")
    spec.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")


def add_makemigration_command(sub: Any) -> None:
    """`makemigration MESSAGE` (sub: the parser's subparsers)."""
    mig = sub.add_parser("makemigration", help="(developers) autogenerate a migration")
    mig.add_argument("message")


def bind_address(args: argparse.Namespace, *, host: str, port: int) -> tuple[str, int]:
    """Where to listen: the command line, else $HOST/$PORT, else the settings' defaults."""
    return args.host or os.environ.get("HOST") or host, args.port or int(os.environ.get("PORT", port))


def write_output(text: str, output: str | None) -> None:
    """Write `text` to the file `output`, or to stdout without one."""
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


def dump_openapi(schema_in: Callable[[Path], dict[str, Any]], output: str | None) -> int:
    """Write the OpenAPI schema `schema_in(scratch_dir)` builds, as stable JSON.

    The schema depends on code only; the app is built over a throwaway directory (its database and data go
    there) so this never touches, or creates, a real one.
    """
    with tempfile.TemporaryDirectory() as tmp:
        schema = schema_in(Path(tmp))
    write_output(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n", output)
    return 0


def make_migration(engine: Engine, migrations_dir: Path, message: str) -> int:
    """Migrate to head, then autogenerate the next revision against that schema (developer tool)."""
    from shared.migrations import Migrations

    migrations = Migrations(migrations_dir)
    migrations.upgrade(engine)
    migrations.revision(engine, message)
    return 0
