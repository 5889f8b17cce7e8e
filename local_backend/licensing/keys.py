"""Which lease-signing keys the appliance trusts before it has pinned any.

The trust anchors are LICENSE_PUBLIC_KEYS (a JWKS document, inline or as a path) or, when unset, the vendor's
production keys shipped in vendor_keys.json (public keys only). After the first accepted lease the appliance
pins keys in its database and the anchors no longer matter (see service.py).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.lease import LeaseInvalid, keys_from_jwks

log = logging.getLogger(__name__)

VENDOR_KEYS_PATH = Path(__file__).with_name("vendor_keys.json")


@dataclass(frozen=True)
class Anchors:
    """Public keys by kid, where they came from, and why there are none when that is the case."""

    keys: dict[str, dict[str, Any]]
    source: str
    error: str | None = field(default=None)


def _parse(text: str) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise LeaseInvalid(f"not JSON: {exc}") from exc
    if not isinstance(document, dict | list):
        raise LeaseInvalid("a JWK Set is an object with a list of keys")
    keys = keys_from_jwks(document)
    if not keys:
        raise LeaseInvalid("the JWK Set has no keys")
    return keys


def load_anchors(setting: str | None) -> Anchors:
    """The trust anchors from the setting (JWKS JSON or a path to it), else the vendor's keys.

    A broken setting is not fatal: the appliance keeps running (in trial, or on its pinned keys) and the error
    is shown when an activation is refused.
    """
    if setting is None or not setting.strip():
        try:
            return Anchors(_parse(VENDOR_KEYS_PATH.read_text()), "vendor")
        except (OSError, LeaseInvalid) as exc:
            log.error("vendor license keys unreadable: %s", exc)
            return Anchors({}, "vendor", f"the vendor's license keys are unreadable: {exc}")
    text = setting.strip()
    if not text.startswith(("{", "[")):
        try:
            text = Path(text).read_text()
        except OSError as exc:
            log.error("LICENSE_PUBLIC_KEYS: cannot read %s: %s", setting, exc)
            return Anchors({}, "config", f"LICENSE_PUBLIC_KEYS: cannot read {setting}: {exc.strerror or exc}")
    try:
        keys = _parse(text)
    except LeaseInvalid as exc:
        log.error("LICENSE_PUBLIC_KEYS is not a usable JWK Set: %s", exc)
        return Anchors({}, "config", f"LICENSE_PUBLIC_KEYS is not a usable JWK Set: {exc}")
    log.warning("license keys come from LICENSE_PUBLIC_KEYS, not the vendor's: %s", ", ".join(sorted(keys)))
    return Anchors(keys, "config")
