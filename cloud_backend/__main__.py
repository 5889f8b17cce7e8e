"""`python -m cloud_backend`: serve the licensing cloud (default :8001), or manage its signing keys and sysadmins."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cloud_backend.config import Settings
    from cloud_backend.db import Database


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from cloud_backend.config import Settings

    settings = Settings()
    host = args.host or os.environ.get("HOST") or settings.host
    port = args.port or int(os.environ.get("PORT", settings.port))
    workers = args.workers or settings.workers
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
                text = json.dumps(jwks(keys.published(db)), indent=2) + "\n"
                if args.output:
                    with open(args.output, "w", encoding="utf-8") as out:
                        out.write(text)
                else:
                    sys.stdout.write(text)
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
    import tempfile

    from cloud_backend.app import create_app
    from cloud_backend.config import Settings

    # The schema depends on code only; a throwaway database keeps this from touching (or creating) a real one.
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp}/schema.db", web_dir=tmp)
        schema = create_app(settings).openapi()
    text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _makemigration(args: argparse.Namespace) -> int:
    from cloud_backend import migrate
    from cloud_backend.config import Settings
    from cloud_backend.db import Database

    database = Database(Settings())
    migrate.upgrade(database.write_engine)
    migrate.revision(database.write_engine, args.message)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloud_backend", description="Tavolo licensing cloud")
    parser.add_argument("--host", default=None, help="bind address (default 0.0.0.0 or $HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8001 or $PORT)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1 or $WORKERS)")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    sub = parser.add_subparsers(dest="command")
    keys = sub.add_parser("keys", help="lease-signing keys: list, rotate, activate, export-jwks")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("list", help="every key with its state")
    keys_sub.add_parser("rotate", help="add a next key (published now, signing once activated)")
    activate = keys_sub.add_parser("activate", help="make the next key current and retire the current one")
    activate.add_argument("kid")
    export = keys_sub.add_parser("export-jwks", help="print the public JWKS (current + next)")
    export.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")
    admin = sub.add_parser("sysadmin", help="create a sysadmin or reset a password (read from the terminal/stdin)")
    admin.add_argument("username")
    spec = sub.add_parser("openapi", help="(developers) print the API's OpenAPI schema as JSON")
    spec.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")
    mig = sub.add_parser("makemigration", help="(developers) autogenerate a migration")
    mig.add_argument("message")
    args = parser.parse_args(argv)
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
