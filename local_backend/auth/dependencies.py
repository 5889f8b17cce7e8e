"""Who is calling: bearer access token → active user, and the role checks routes declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.concurrency import run_in_threadpool

from local_backend.db import DbSession
from local_backend.deps import SecretKeyDep
from local_backend.staff import service as staff
from local_backend.staff.models import ROLES, User
from shared.auth import AUTH_ERRORS as AUTH_ERRORS
from shared.auth import BearerCredentials, read_access_token, still_valid
from shared.auth import NotAuthenticated as NotAuthenticated
from shared.auth import TokenExpiredError as TokenExpiredError
from shared.auth import TokenInvalid as TokenInvalid
from shared.auth import TokenRevoked as TokenRevoked
from shared.auth import bearer as bearer
from shared.errors import Forbidden


class ManagerRequired(Forbidden):
    code = "MANAGER_REQUIRED"
    default_detail = "Only a manager may do this"


async def current_user(db: DbSession, secret_key: SecretKeyDep, credentials: BearerCredentials) -> User:
    """The active user behind the access token; deactivation or a PIN reset revokes tokens at once."""
    token = read_access_token(credentials, secret_key=secret_key, roles=ROLES)
    # Every request authenticates: answer from the staff cache (invalidated by any committed change to users)
    # on the event loop, and only go to the database, in a worker thread, when it is stale.
    user = staff.cached_user(db, token.subject_id)
    if user is None:
        user = await run_in_threadpool(staff.find_user, db, token.subject_id)
    return still_valid(user, token)


async def require_manager(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_manager:
        raise ManagerRequired()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
ManagerUser = Annotated[User, Depends(require_manager)]
