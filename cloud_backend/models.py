"""Imports every domain's models so metadata (Alembic, tests) sees all tables."""

from cloud_backend.alerts.models import Alert
from cloud_backend.audit.models import AuditEvent
from cloud_backend.auth.models import LoginFailure, Sysadmin
from cloud_backend.billing.models import Renewal, WebhookEvent
from cloud_backend.db import Base
from cloud_backend.jobs.models import JobRun
from cloud_backend.keys.models import SigningKeyRecord
from cloud_backend.sites.models import Heartbeat, Site
from cloud_backend.system.models import SystemState

__all__ = [
    "Alert",
    "AuditEvent",
    "Base",
    "Heartbeat",
    "JobRun",
    "LoginFailure",
    "Renewal",
    "SigningKeyRecord",
    "Site",
    "Sysadmin",
    "SystemState",
    "WebhookEvent",
]
