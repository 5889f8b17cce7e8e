"""Cloud settings from the environment (ARCHITECTURE §3.1); one Settings object per app."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseSettings):
    """Nothing secret has a usable default: the JWT key is generated into the database when SECRET_KEY is unset."""

    # An empty value (`RAZORPAY_KEY_ID=` in an env file) means unset, as the example files rely on.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = "sqlite:///./data/cloud.db"
    # Signs sysadmin tokens. Unset: generated once and stored in the database, so every replica shares it.
    secret_key: SecretStr | None = None
    host: str = "0.0.0.0"  # noqa: S104 - served behind nginx
    port: int = 8001
    workers: int = Field(default=1, ge=1, le=64)
    log_level: str = "INFO"
    # Observability (shared/observability.py): JSON log lines unless LOG_FORMAT=text. /metrics needs no user
    # token (Prometheus has none); on a public host set METRICS_TOKEN (a bearer token) or keep it off the internet
    # in nginx. Counters are per process: with WORKERS>1 a scrape sees one worker's (the gauges read the database).
    log_format: Literal["json", "text"] = "json"
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None
    # The built sysadmin panel (frontends/dist/sysadmin); unset means the repository's own build output.
    web_dir: Path | None = None

    access_token_expire_minutes: int = Field(default=60, ge=1, le=24 * 60)
    admin_username: str | None = Field(default=None, min_length=1, max_length=64)
    admin_password: SecretStr | None = Field(default=None, min_length=8, max_length=72)
    password_hash_rounds: int = Field(default=12, ge=4, le=16)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Origins (comma-separated) whose pages may call the API (CORS). Unset: none; the panel is served by the cloud.
    cors_origins: str = ""
    # Strict-Transport-Security max-age on responses to HTTPS requests (nginx's X-Forwarded-Proto); 0 turns it off.
    hsts_seconds: int = Field(default=31_536_000, ge=0, le=2 * 31_536_000)

    license_grace_hours: int = Field(default=24, ge=0, le=90 * 24)
    heartbeat_interval_hours: float = Field(default=6, gt=0, le=7 * 24)
    heartbeat_rate_limit_per_minute: int = Field(default=12, ge=1, le=1_000_000)
    heartbeat_keep_per_site: int = Field(default=200, ge=1)
    heartbeat_keep_days: int = Field(default=30, ge=1)

    # Periodic jobs: stale sites and expiry reminders every JOBS_INTERVAL_SECONDS, pruning every
    # PRUNE_INTERVAL_SECONDS; each slot runs once across replicas (cloud_backend/jobs/runner.py).
    jobs_enabled: bool = True
    jobs_interval_seconds: float = Field(default=300, ge=0.2, le=24 * 3600)
    prune_interval_seconds: float = Field(default=3600, ge=0.2, le=7 * 24 * 3600)
    expiry_reminder_days: int = Field(default=7, ge=1, le=90)

    # Per process, for PostgreSQL: SQLAlchemy's pool (admin API, jobs) holds DB_POOL_SIZE connections plus up to
    # DB_MAX_OVERFLOW more under load, and the heartbeat's event-loop pool up to DB_POOL_SIZE. A heartbeat holds
    # its connection for one round trip, so 5 carry thousands a second; mind max_connections (100 by default)
    # across replicas and workers.
    db_pool_size: int = Field(default=5, ge=1, le=100)
    db_max_overflow: int = Field(default=5, ge=0, le=100)

    razorpay_key_id: str | None = None
    razorpay_key_secret: SecretStr | None = None
    razorpay_webhook_secret: SecretStr | None = None
    # Razorpay's API root. Production never changes it; a test points it at a fake Razorpay on 127.0.0.1, since
    # a separate cloud process cannot be mocked in-process.
    razorpay_base_url: str = Field(default="https://api.razorpay.com", pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    # Every Razorpay call waits at most this long (connect, then read); the SDK has no default.
    razorpay_timeout_seconds: float = Field(default=10, gt=0, le=60)
    # License renewals (cloud_backend/billing): the price of one month in minor units (paise); unset, renewals
    # answer 503 BILLING_NOT_CONFIGURED rather than charge a guessed price.
    renewal_price_per_month: int | None = Field(default=None, ge=100, le=10_000_000)
    renewal_currency: str = Field(default="INR", pattern=r"^[A-Z]{3}$")
    # Razorpay caps a link's life at six months.
    renewal_link_valid_days: int = Field(default=30, ge=1, le=180)
    # >0: a job makes a RENEWAL_AUTO_MONTHS link for each site this many days before its license runs out.
    renewal_auto_days_before: int = Field(default=0, ge=0, le=90)
    renewal_auto_months: int = Field(default=12, ge=1, le=36)

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value() and len(value.get_secret_value()) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), or unset to generate one"
            )
        return value

    @field_validator("admin_password")
    @classmethod
    def _bcrypt_sized(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) > 72:
            raise ValueError("ADMIN_PASSWORD must be at most 72 bytes (bcrypt's limit)")
        return value

    @field_validator("razorpay_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        # The SDK appends "/v1/…" to it.
        return value.rstrip("/")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def heartbeat_interval_seconds(self) -> int:
        return round(self.heartbeat_interval_hours * 3600)

    def resolved_web_dir(self) -> Path:
        return self.web_dir or Path(__file__).resolve().parents[1] / "frontends" / "dist" / "sysadmin"
