"""Who is calling: bearer access token → active sysadmin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from cloud_backend.auth import service
from cloud_backend.auth.models import Sysadmin
from cloud_backend.db import DbSession
from cloud_backend.deps import SecretKeyDep
from shared.auth import AUTH_ERRORS as AUTH_ERRORS
from shared.auth import BearerCredentials, read_access_token, still_valid
from shared.auth import NotAuthenticated as NotAuthenticated
from shared.auth import TokenExpiredError as TokenExpiredError
from shared.auth import TokenInvalid as TokenInvalid
from shared.auth import TokenRevoked as TokenRevoked
from shared.auth import bearer as bearer


def current_sysadmin(db: DbSession, secret_key: SecretKeyDep, credentials: BearerCredentials) -> Sysadmin:
    """The active sysadmin behind the access token; deactivation revokes tokens at once."""
    token = read_access_token(credentials, secret_key=secret_key, role="sysadmin")
    return still_valid(service.find(db, token.subject_id), token)


CurrentSysadmin = Annotated[Sysadmin, Depends(current_sysadmin)]
