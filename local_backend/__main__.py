"""`python -m local_backend`: serve the appliance, or run one of its maintenance commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from shared import cli
from shared.observability import configure_logging, logging_config


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from local_backend.app import create_app
    from local_backend.config import Settings

    settings = Settings()
    host, port = cli.bind_address(args, host=settings.host, port=settings.port)
    configure_logging(settings.log_format, settings.log_level)
    # One worker by design: this process owns the SQLite file, the event bus, the print workers.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        workers=1,
        log_level=settings.log_level.lower(),
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=args.access_log,
        timeout_graceful_shutdown=5,
        ssl_certfile=str(settings.ssl_certfile) if settings.ssl_certfile else None,
        ssl_keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
    )
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from local_backend.config import Settings
    from local_backend.demo import seed_demo

    ports = tuple(int(port) for port in args.printer_ports.split(",")) if args.printer_ports else None
    if ports is not None and len(ports) != 2:
        print("error: --printer-ports takes two ports, kitchen,bar", file=sys.stderr)
        return 2
    summary = seed_demo(Settings(), reset=args.reset, printer_ports=ports)
    print(summary)
    return 0


def _makemigration(args: argparse.Namespace) -> int:
    from local_backend import migrate
    from local_backend.config import Settings
    from local_backend.db import Database

    return cli.make_migration(Database(Settings()).engine, migrate.MIGRATIONS_DIR, args.message)


def _backup(args: argparse.Namespace) -> int:
    from local_backend.backup import service
    from local_backend.config import Settings

    try:
        info = service.take_backup(Settings(), Path(args.dest) if args.dest else None)
    except service.BackupFailed as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(info.path)  # alone on stdout, so scripts can use it
    return 0


def _restore(args: argparse.Namespace) -> int:
    from local_backend.backup import service
    from local_backend.config import Settings

    try:
        result = service.restore(Settings(), Path(args.file))
    except (service.InvalidBackup, service.DatabaseInUse, service.BackupFailed) as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        print("nothing was changed", file=sys.stderr)
        return 1
    print(f"restored {args.file} into {result.database} (schema {result.revision})")
    if result.kept_aside is not None:
        print(f"the previous database is kept as {result.kept_aside}")
    print("start the appliance again; it upgrades an older backup's schema by itself")
    return 0


def _printer_sim(args: argparse.Namespace) -> int:
    from local_backend.printing.simulator import PrinterFault, SimulatedPrinter

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a console without Greek must not kill the printer
    fault = PrinterFault.HEALTHY
    if args.paper_out:
        fault = PrinterFault.PAPER_OUT
    elif args.paper_near_end:
        fault = PrinterFault.PAPER_NEAR_END
    elif args.offline:
        fault = PrinterFault.OFFLINE
    sim = SimulatedPrinter(
        name=args.name,
        host=args.host or "127.0.0.1",
        port=args.port,
        columns=args.columns,
        codepage_table=args.codepage_table,
        log_file=args.log_file,
        slow=args.slow,
        echo=True,
    )
    sim.set_fault(fault)
    sim.run()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from local_backend.app import create_app
    from local_backend.config import Settings

    def schema_in(tmp: Path) -> dict[str, Any]:
        return create_app(
            Settings(database_url=f"sqlite:///{tmp}/schema.db", secret_key="schema-dump-" + "x" * 32)
        ).openapi()

    return cli.dump_openapi(schema_in, args.output)


def main(argv: list[str] | None = None) -> int:
    parser = cli.server_parser("python -m local_backend", "Tavolo appliance", default_port=8000)
    sub = parser.add_subparsers(dest="command")
    seed = sub.add_parser("seed-demo", help="fill the database with a demo taverna")
    seed.add_argument("--reset", action="store_true", help="delete existing data first")
    seed.add_argument("--printer-ports", default=None, help="kitchen,bar ports of the simulated printers (9101,9102)")
    backup = sub.add_parser("backup", help="write a consistent copy of the database (safe while serving)")
    backup.add_argument("dest", nargs="?", default=None, help="a directory or a .db file (default BACKUP_DIR)")
    restore = sub.add_parser("restore", help="replace the database with a backup (stop the appliance first)")
    restore.add_argument("file", help="the backup file; the current database is kept aside")
    cli.add_makemigration_command(sub)
    cli.add_openapi_command(sub)
    sim = sub.add_parser("printer-sim", help="run a simulated ESC/POS network printer")
    sim.add_argument("--port", type=int, default=9100, help="TCP port (default 9100)")
    sim.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    sim.add_argument("--name", default="kitchen", help="printer name shown on every ticket")
    sim.add_argument("--log-file", default=None, help="append every decoded ticket to this file")
    state = sim.add_mutually_exclusive_group()
    state.add_argument("--paper-out", action="store_true", help="start out of paper (offline)")
    state.add_argument("--paper-near-end", action="store_true", help="start with the paper nearly out")
    state.add_argument("--offline", action="store_true", help="start offline (cover open)")
    sim.add_argument("--slow", type=float, default=0.0, metavar="SECONDS_PER_KB", help="print this slowly")
    sim.add_argument("--columns", type=int, default=48, help="characters per line (default 48)")
    sim.add_argument("--codepage-table", choices=["jolimark", "epson"], default="jolimark", help="ESC t numbering")
    args = parser.parse_args(argv)
    if args.command == "seed-demo":
        return _seed_demo(args)
    if args.command == "backup":
        return _backup(args)
    if args.command == "restore":
        return _restore(args)
    if args.command == "makemigration":
        return _makemigration(args)
    if args.command == "openapi":
        return _openapi(args)
    if args.command == "printer-sim":
        return _printer_sim(args)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
