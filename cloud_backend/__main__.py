"""`python -m cloud_backend`: serve the licensing cloud (default :8001), or manage its signing keys and sysadmins."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared import cli
from shared.observability import configure_logging, logging_config

if TYPE_CHECKING:
    from cloud_backend.config import Settings
    from cloud_backend.db import Database


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from cloud_backend.config import Settings

    settings = Settings()
    host, port = cli.bind_address(args, host=settings.host, port=settings.port)
    workers = args.workers or settings.workers
    configure_logging(settings.log_format, settings.log_level)
    for chatty in ("alembic.runtime.plugins", "apscheduler"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    if workers > 1:
        # Prepare once here so the workers start on a migrated database with a key (they would cope anyway).
        _prepared(settings).dispose()
    # Stateless processes: as many workers (and replicas) as the machine has cores; everything shared is in
    # the database. Each worker builds its app from the environment.
    uvicorn.run(
        "cloud_backend.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=args.access_log,
        timeout_graceful_shutdown=5,
    )
    return 0


def _prepared(settings: Settings) -> Database:
    from cloud_backend.db import Database
    from cloud_backend.startup import prepare_database
    from shared.clock import utcnow
    from shared.security import SecretHasher

    database = Database(settings)
    prepare_database(database, SecretHasher(settings.password_hash_rounds), utcnow)
    return database


def _keys(args: argparse.Namespace) -> int:
    from cloud_backend.config import Settings
    from cloud_backend.keys import service as keys
    from shared.clock import utcnow
    from shared.errors import AppError
    from shared.lease import jwks

    logging.basicConfig(level=logging.WARNING)
    database = _prepared(Settings())
    actor = f"cli:{getpass.getuser()}"
    try:
        with database.write_session() as db:
            if args.keys_command == "rotate":
                record = keys.rotate(db, now=utcnow(), actor=actor)
                print(f"added next key {record.kid} (published now; it signs once activated)")
                print(f"after appliances have heartbeated: python -m cloud_backend keys activate {record.kid}")
            elif args.keys_command == "activate":
                record = keys.activate(db, kid=args.kid, now=utcnow(), actor=actor)
                print(f"{record.kid} is now current; replicas sign with it within 30 s")
            elif args.keys_command == "export-jwks":
                cli.write_output(json.dumps(jwks(keys.published(db)), indent=2) + "\n", args.output)
            else:
                print(f"{'kid':<44} {'state':<8} {'created':<20} {'activated':<20} retired")
                for k in keys.list_keys(db):
                    created, activated = _when(k.created_at), _when(k.activated_at)
                    print(f"{k.kid:<44} {k.state:<8} {created:<20} {activated:<20} {_when(k.retired_at)}")
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def _when(moment: object) -> str:
    from datetime import datetime

    return moment.strftime("%Y-%m-%d %H:%M:%S") if isinstance(moment, datetime) else "-"


def _sysadmin(args: argparse.Namespace) -> int:
    from cloud_backend.auth import service as auth
    from cloud_backend.config import Settings
    from shared.security import SecretHasher

    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    if sys.stdin.isatty():
        password = getpass.getpass(f"new password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8 or len(password.encode()) > 72:
        print("error: the password must be 8 characters to 72 bytes (bcrypt's limit)", file=sys.stderr)
        return 1
    database = _prepared(settings)
    try:
        with database.write_session() as db:
            created = auth.set_password(
                db,
                SecretHasher(settings.password_hash_rounds),
                username=args.username,
                password=password,
                actor=f"cli:{getpass.getuser()}",
            )
    finally:
        database.dispose()
    print(f"sysadmin {args.username} {'created' if created else 'password reset (sessions ended)'}")
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from cloud_backend.app import create_app
    from cloud_backend.config import Settings

    def schema_in(tmp: Path) -> dict[str, Any]:
        return create_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp}/schema.db", web_dir=tmp)).openapi()

    return cli.dump_openapi(schema_in, args.output)


def _makemigration(args: argparse.Namespace) -> int:
    from cloud_backend import migrate
    from cloud_backend.config import Settings
    from cloud_backend.db import Database

    return cli.make_migration(Database(Settings()).write_engine, migrate.MIGRATIONS_DIR, args.message)


def _kid_as_operand(argv: list[str]) -> list[str]:
    # A kid is a base64url thumbprint, so one in 64 starts with "-" and argparse would take it for an option.
    if argv[:2] == ["keys", "activate"] and len(argv) == 3 and argv[2] not in ("-h", "--help", "--"):
        return [*argv[:2], "--", argv[2]]
    return argv


def main(argv: list[str] | None = None) -> int:
    parser = cli.server_parser("python -m cloud_backend", "Tavolo licensing cloud", default_port=8001)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1 or $WORKERS)")
    sub = parser.add_subparsers(dest="command")
    keys = sub.add_parser("keys", help="lease-signing keys: list, rotate, activate, export-jwks")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("list", help="every key with its state")
    keys_sub.add_parser("rotate", help="add a next key (published now, signing once activated)")
    activate = keys_sub.add_parser("activate", help="make the next key current and retire the current one")
    activate.add_argument("kid", help="the key id `keys rotate` printed")
    export = keys_sub.add_parser("export-jwks", help="print the public JWKS (current + next)")
    export.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")
    admin = sub.add_parser("sysadmin", help="create a sysadmin or reset a password (read from the terminal/stdin)")
    admin.add_argument("username")
    cli.add_openapi_command(sub)
    cli.add_makemigration_command(sub)
    args = parser.parse_args(_kid_as_operand(sys.argv[1:] if argv is None else argv))
    if args.command == "keys":
        return _keys(args)
    if args.command == "sysadmin":
        return _sysadmin(args)
    if args.command == "openapi":
        return _openapi(args)
    if args.command == "makemigration":
        return _makemigration(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
