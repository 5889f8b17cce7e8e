"""The receipt logo: uploaded by a manager, printed at the top of bills and receipts.

It is stored ready to print: flattened on white, at most LOGO_MAX_WIDTH dots wide (80 mm paper; narrower paper
scales it down when printing) and LOGO_MAX_HEIGHT tall, dithered to one bit per dot, as a PNG under
`media_dir/logo/` with a fresh name per upload (so a bill queued earlier keeps printing the logo it was queued
with until the file goes). Its path and time live on the site settings row; the previous file is removed once the
change is committed.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.config import Settings
from local_backend.db import after_commit
from local_backend.settings import service as site
from local_backend.settings.models import SITE_ROW_ID, SiteSettings
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import NotFound, PayloadTooLarge, Unprocessable

log = logging.getLogger(__name__)

LOGO_DIR = "logo"
LOGO_MAX_WIDTH = 576  # dots across 80 mm paper at 203 dpi
LOGO_MAX_HEIGHT = 240  # about 30 mm: a logo, not a poster
MAX_PIXELS = 4096 * 4096  # decompression-bomb guard, read from the header before decoding
_READ_CHUNK = 64 * 1024


class LogoTooLarge(PayloadTooLarge):
    code = "LOGO_TOO_LARGE"
    default_detail = "The logo file is too large"


class LogoInvalid(Unprocessable):
    code = "LOGO_INVALID"
    default_detail = "Upload a PNG, JPEG or WebP image"


class LogoNotSet(NotFound):
    code = "LOGO_NOT_SET"
    default_detail = "No receipt logo is set"


UPLOAD_ERRORS = (LogoTooLarge, LogoInvalid)


def read_upload(stream: IO[bytes], limit: int) -> bytes:
    """The upload's bytes, refused as soon as they exceed `limit` (the declared size is not trusted)."""
    buffer = bytearray()
    while chunk := stream.read(_READ_CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            raise LogoTooLarge(f"The logo is larger than {limit // 1024} KiB")
    return bytes(buffer)


def for_thermal(data: bytes) -> bytes:
    """PNG, JPEG or WebP bytes as the 1-bit PNG the printers get: upright, on white, fitted, dithered."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as source:
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise LogoTooLarge(f"The logo is too big ({width}x{height} pixels)")
            source.load()
            try:
                image = ImageOps.exif_transpose(source)
            except Exception:  # broken EXIF in a decodable image: keep the pixels as they are
                image = source.copy()
    except LogoTooLarge:
        raise
    except Image.DecompressionBombError as exc:
        raise LogoTooLarge("The logo has too many pixels") from exc
    except Exception as exc:  # any decoder failure (bad header, truncated data) means "not an image we take"
        raise LogoInvalid() from exc
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        image = flat
    gray = image.convert("L")
    gray.thumbnail((LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT), Image.Resampling.LANCZOS)  # never enlarges
    out = io.BytesIO()
    gray.convert("1").save(out, format="PNG", optimize=True)  # Floyd-Steinberg; a fresh file, no metadata
    return out.getvalue()


def _write_atomically(directory: Path, name: str, data: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_after_commit(db: Session, media_dir: Path, logo_path: str | None) -> None:
    if not logo_path:
        return
    path = media_dir / logo_path

    def remove() -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove old receipt logo %s", path, exc_info=True)

    # Only once the change is committed: a rolled-back change must still find its old logo.
    after_commit(db, remove)


def _row(db: Session) -> SiteSettings:
    return db.get_one(SiteSettings, SITE_ROW_ID)


def set_logo(db: Session, *, data: bytes, env: Settings, by: User) -> SiteSettings:
    """Store the uploaded image, made ready for thermal paper, as the receipt logo; the previous one goes."""
    encoded = for_thermal(data)
    row = _row(db)
    name = f"logo-{secrets.token_hex(8)}.png"
    _write_atomically(env.media_dir / LOGO_DIR, name, encoded)
    previous = row.logo_path
    row.logo_path = f"{LOGO_DIR}/{name}"
    row.logo_updated_at = utcnow()
    row.updated_by_id = by.id
    db.flush()
    _remove_after_commit(db, env.media_dir, previous)
    with Image.open(io.BytesIO(encoded)) as stored:
        size = stored.size
    audit.record(
        db,
        action="settings.logo_changed",
        entity_type="site_settings",
        entity_id=row.id,
        actor=by,
        data={"width": size[0], "height": size[1], "bytes": len(encoded), "uploaded_bytes": len(data)},
    )
    site.announce(db, ["logo_updated_at"])  # the settings field that says which logo is set
    return row


def remove_logo(db: Session, *, env: Settings, by: User) -> None:
    """Bills print without a logo from now on (removing none is fine)."""
    row = _row(db)
    if row.logo_path is None:
        return
    previous = row.logo_path
    row.logo_path = None
    row.logo_updated_at = None
    row.updated_by_id = by.id
    db.flush()
    _remove_after_commit(db, env.media_dir, previous)
    audit.record(
        db,
        action="settings.logo_changed",
        entity_type="site_settings",
        entity_id=row.id,
        actor=by,
        data={"removed": True},
    )
    site.announce(db, ["logo_updated_at"])


def logo_file(media_dir: Path, logo_path: str | None) -> Path | None:
    """The stored logo's file, if one is set and lies where logos are kept."""
    if not logo_path:
        return None
    root = (media_dir / LOGO_DIR).resolve()
    path = (media_dir / logo_path).resolve()
    return path if path.parent == root else None


def printable_path(logo_path: str | None, env: Settings) -> str | None:
    """The file bills and reports print at the top: the uploaded logo, else RECEIPT_LOGO_PATH, else none."""
    path = logo_file(env.media_dir, logo_path)
    if path is not None:
        return str(path)
    return str(env.receipt_logo_path) if env.receipt_logo_path else None


def logo_bytes(db: Session, *, media_dir: Path) -> tuple[bytes, str]:
    """The stored PNG and its version (its file name, new with every upload)."""
    row = db.get(SiteSettings, SITE_ROW_ID)
    path = logo_file(media_dir, row.logo_path if row is not None else None)
    if path is None:
        raise LogoNotSet()
    try:
        return path.read_bytes(), path.stem
    except FileNotFoundError as exc:
        raise LogoNotSet() from exc
