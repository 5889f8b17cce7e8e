"""`python -m cloud_backend`: serve the licensing cloud (default :8001)."""

from __future__ import annotations

import argparse
import logging
import os
import sys


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from cloud_backend.app import create_app
    from cloud_backend.config import Settings

    parser = argparse.ArgumentParser(prog="python -m cloud_backend", description="Tavolo licensing cloud")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        create_app(settings),
        host=args.host or os.environ.get("HOST") or settings.host,
        port=args.port or int(os.environ.get("PORT", settings.port)),
        log_level=settings.log_level.lower(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
