"""Cloud settings from the environment (ARCHITECTURE §3.1)."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Nothing secret has a usable default: SECRET_KEY and the admin password must be set to use them."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///./data/cloud.db"
    secret_key: SecretStr | None = None
    host: str = "0.0.0.0"  # noqa: S104 - served behind nginx
    port: int = 8001
    access_token_expire_minutes: int = 60
    admin_username: str | None = None
    admin_password: SecretStr | None = None
    license_grace_hours: int = 24
    razorpay_key_id: str | None = None
    razorpay_key_secret: SecretStr | None = None
    razorpay_webhook_secret: SecretStr | None = None
    log_level: str = "INFO"
