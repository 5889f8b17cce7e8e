"""`python -m local_backend`: serve the appliance, or run one of its maintenance commands."""

from __future__ import annotations

import argparse
import logging
import os
import sys


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from local_backend.app import create_app
    from local_backend.config import Settings

    settings = Settings()
    host = args.host or os.environ.get("HOST") or settings.host
    port = args.port or int(os.environ.get("PORT", settings.port))
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One worker by design: this process owns the SQLite file, the event bus, the print workers.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        workers=1,
        log_level=settings.log_level.lower(),
        access_log=args.access_log,
        timeout_graceful_shutdown=5,
    )
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from local_backend.config import Settings
    from local_backend.demo import seed_demo

    summary = seed_demo(Settings(), reset=args.reset)
    print(summary)
    return 0


def _makemigration(args: argparse.Namespace) -> int:
    from local_backend import migrate
    from local_backend.config import Settings
    from local_backend.db import Database

    database = Database(Settings())
    migrate.upgrade(database.engine)
    migrate.revision(database.engine, args.message)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_backend", description="Tavolo appliance")
    parser.add_argument("--host", default=None, help="bind address (default 0.0.0.0 or $HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000 or $PORT)")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    sub = parser.add_subparsers(dest="command")
    seed = sub.add_parser("seed-demo", help="fill the database with a demo taverna")
    seed.add_argument("--reset", action="store_true", help="delete existing data first")
    mig = sub.add_parser("makemigration", help="(developers) autogenerate a migration")
    mig.add_argument("message")
    args = parser.parse_args(argv)
    if args.command == "seed-demo":
        return _seed_demo(args)
    if args.command == "makemigration":
        return _makemigration(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
