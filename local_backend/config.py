"""Appliance settings from the environment (ARCHITECTURE §3.1); one Settings object per app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; nothing secret has a usable default."""

    # An empty value (`SITE_ID=` in an env file) means unset, as the example files rely on.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = "sqlite:///./data/pos.db"
    # Generated on first boot and kept beside the database when unset (never a hard-coded default).
    secret_key: SecretStr | None = None
    host: str = "0.0.0.0"  # noqa: S104 - the appliance serves the restaurant LAN
    port: int = 8000
    # Phones only install the waiter app and run its service worker over HTTPS (or on localhost), so the
    # appliance can serve TLS itself with a certificate for its LAN name; plain HTTP still works without them.
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    # Licensing. Site ID, key and cloud URL may instead be entered by a manager (POST /api/license/activate),
    # which then wins. LICENSE_PUBLIC_KEYS (a JWK Set, inline or a path) replaces the vendor's lease-signing keys
    # as trust anchors until the first lease pins keys. The trial length and enforcement are deliberately not
    # settings: nothing local may extend a license.
    site_id: str | None = None
    site_key: SecretStr | None = None
    cloud_url: str | None = None
    heartbeat_interval_hours: float = Field(default=6, gt=0, le=168)
    license_public_keys: str | None = None

    manager_username: str | None = None
    manager_pin: SecretStr | None = None

    timezone: str = "UTC"
    currency: str = "EUR"
    restaurant_name: str = "Tavolo"
    # The built web apps (frontends/dist/<app>/); unset means the repository's own build output.
    web_dir: Path | None = None
    # The origin guests' phones reach the appliance at (the tables' QR codes point there), e.g.
    # http://192.168.1.20:8000; unset: the origin the manager's browser used.
    public_url: str | None = None
    # An image printed at the top of bills and receipts (scaled to the paper, dithered to black and white).
    receipt_logo_path: Path | None = None

    access_token_minutes: int = 8 * 60
    refresh_token_days: int = 30
    pin_max_attempts: int = 5
    pin_lockout_minutes: int = 5
    pin_hash_rounds: int = Field(default=10, ge=4, le=16)
    # Per address, whatever the usernames (a prankster cycling through the staff list, locking everyone out): this
    # many failed logins within the window answer 429 LOGIN_THROTTLED until the oldest leaves it.
    login_address_max_failures: int = Field(default=20, ge=1, le=10_000)
    login_address_window_minutes: int = Field(default=5, ge=1, le=24 * 60)
    # Origins (comma-separated, e.g. https://office.example.com) whose pages may call the API (CORS). Unset: none;
    # the appliance serves its own apps, which need no CORS.
    cors_origins: str = ""

    # FULL: every acknowledged write reaches the disk before the reply, even across a power cut.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    max_image_bytes: int = 2 * 1024 * 1024

    # Printing. A failed job is retried after base, 2x, 4x ... seconds, capped at the max; idle printers are asked
    # for their status every poll interval. One timeout covers connecting and each status reply; the confirmation
    # (GS r 1, answered once the ticket reached the print engine) may take longer on a long ticket.
    print_retry_base_seconds: float = Field(default=1.0, gt=0, le=60)
    print_retry_max_seconds: float = Field(default=15.0, gt=0, le=600)
    print_status_poll_seconds: float = Field(default=15.0, gt=0, le=3600)
    print_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    print_confirm_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    log_level: str = "INFO"
    # Observability (shared/observability.py). JSON lines by default: what journald, Docker and log shippers
    # parse; the demo and a developer's terminal set LOG_FORMAT=text. /metrics is open to the LAN (Prometheus has
    # no user token and it shows counts only, no names or amounts); METRICS_TOKEN makes it want that bearer token.
    log_format: Literal["json", "text"] = "json"
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None

    # UPI through Razorpay: the appliance creates a QR per bill (or part) and polls Razorpay while it is open,
    # since webhooks cannot reach it behind the restaurant's NAT. Without both keys UPI says "not configured";
    # `fake` is an in-memory gateway for the demo and tests only (it moves no money and says so in the log).
    razorpay_key_id: str | None = None
    razorpay_key_secret: SecretStr | None = None
    upi_gateway: Literal["razorpay", "fake"] = "razorpay"
    upi_poll_seconds: float = Field(default=3, gt=0, le=300)
    # Razorpay refuses a close_by less than a couple of minutes ahead.
    upi_qr_ttl_minutes: int = Field(default=15, ge=3, le=24 * 60)
    razorpay_timeout_seconds: float = Field(default=5, gt=0, le=60)

    # Email (purchase orders to suppliers) through the restaurant's SMTP server: SMTP_HOST and SMTP_FROM turn it on.
    # Emails wait in an outbox while the server cannot be reached (the internet is down) and are retried after base,
    # 2x, 4x ... seconds, capped at the max. Port 587 with STARTTLS is the usual submission setup.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=20, gt=0, le=300)
    smtp_retry_base_seconds: float = Field(default=30, gt=0, le=3600)
    smtp_retry_max_seconds: float = Field(default=900, gt=0, le=24 * 3600)

    # Online backups of the SQLite file (local_backend.backup). BACKUP_DIR unset: a `backups` directory beside the
    # database; a configured one (a USB stick) must already exist, so an unmounted stick is reported instead of
    # filling the SD card under its empty mount point. 0 hours turns the schedule off (the CLI still works).
    backup_dir: Path | None = None
    backup_interval_hours: float = Field(default=24, ge=0, le=24 * 31)
    backup_keep_daily: int = Field(default=7, ge=0, le=366)
    backup_keep_weekly: int = Field(default=4, ge=0, le=520)
    # Daily (or longer) backups wait for this local hour, when nobody orders (-1: as soon as due). One that could
    # not run at that hour for a whole day (the Pi was off every night) runs at the next check instead.
    backup_hour: int = Field(default=4, ge=-1, le=23)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError("currency must be a 3-letter ISO code")
        return value.upper()

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def data_dir(self) -> Path:
        """Where the database file lives; the secret key and media go beside it."""
        if self.is_sqlite:
            path = self.database_url.split("///", 1)[-1]
            if path and path != ":memory:":
                return Path(path).resolve().parent
        return Path("./data").resolve()

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def resolved_web_dir(self) -> Path:
        return self.web_dir or Path(__file__).resolve().parents[1] / "frontends" / "dist"

    def resolved_secret_key(self) -> str:
        """The JWT signing key: from the env, else from the data dir, else generated and stored there."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process won the race: use its key
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
