"""UPI payments through Razorpay QR codes: POST /api/orders/{id}/upi, and /api/upi for status, cancel and alerts.

Creating a QR waits for the gateway, so that route is not a TavoloRoute route (which would hold the app's single
writer during the call): it authenticates on a short read session, and UpiManager calls the gateway holding
nothing and writes through the group writer afterwards. Settling is never behind the license: no LicenseRequired.
`POST /api/upi/fake/{qr_id}/pay` exists only with UPI_GATEWAY=fake (demo and tests): it "pays" a fake QR.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.config import Settings
from local_backend.db import DbSession, TavoloRoute, auth_read_session
from local_backend.orders import service as orders
from local_backend.staff.models import User
from local_backend.upi import service
from local_backend.upi.gateway import FakeUpiGateway
from local_backend.upi.manager import UpiManager
from local_backend.upi.schemas import UpiAvailabilityRead, UpiRequestCreate, UpiRequestRead
from shared.errors import NotFound, error_responses

MAX_ID = 2_147_483_647
OrderId = Annotated[int, Path(ge=1, le=MAX_ID)]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


def get_upi(request: Request) -> UpiManager:
    manager: UpiManager = request.app.state.upi
    return manager


UpiDep = Annotated[UpiManager, Depends(get_upi)]


async def _user_then_release(request: Request, user: CurrentUser) -> User:
    # End the read transaction before waiting on the gateway; the user's loaded fields stay usable.
    request.state.db.close()
    return user


GatewayCaller = Annotated[User, Depends(_user_then_release)]


class FakeQrNotFound(NotFound):
    code = "UPI_FAKE_QR_NOT_FOUND"
    default_detail = "No open fake QR with this id"


class FakePaid(BaseModel):
    qr_id: str
    payment_id: str
    amount: int


def build_router(settings: Settings) -> APIRouter:
    """The UPI routes, and the lifespan that runs the poller (started after the app's own startup)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        manager = UpiManager(app.state.database, settings)
        app.state.upi = manager
        await manager.start()
        try:
            yield
        finally:
            await manager.stop()

    creating = APIRouter(tags=["upi"], dependencies=[Depends(auth_read_session)])

    @creating.post(
        "/api/orders/{order_id}/upi",
        status_code=201,
        response_model=UpiRequestRead,
        responses=error_responses(*AUTH_ERRORS, *service.CREATE_ERRORS),
    )
    async def create_upi_request(
        order_id: OrderId, body: UpiRequestCreate, request: Request, user: GatewayCaller, upi: UpiDep
    ) -> Any:
        """A UPI QR for the bill or part of it (default: what is left); the appliance polls until it is paid."""
        return await upi.create(request, order_id=order_id, amount=body.amount, split_part=body.split_part, by=user)

    upi_router = APIRouter(prefix="/api/upi", tags=["upi"], route_class=TavoloRoute)

    @upi_router.get("/status", response_model=UpiAvailabilityRead, responses=error_responses(*AUTH_ERRORS))
    def upi_status(_: CurrentUser, upi: UpiDep) -> Any:
        """Whether UPI can be offered now, and why not (not configured, or Razorpay failing)."""
        return upi.status()

    @upi_router.get(
        "/",
        response_model=list[UpiRequestRead],
        responses=error_responses(*AUTH_ERRORS, orders.OrderNotFound, orders.NotOrderOwner),
    )
    def list_upi_requests(
        user: CurrentUser,
        db: DbSession,
        order_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
        attention: Annotated[bool, Query(description="Only overpaid/failed ones not yet acknowledged")] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Any:
        """An order's UPI requests (whoever may act on it), or every request / the alerts (manager), newest first."""
        return service.list_requests(db, order_id=order_id, attention=attention, by=user, limit=limit)

    @upi_router.get(
        "/{request_id}", response_model=UpiRequestRead, responses=error_responses(*AUTH_ERRORS, *service.READ_ERRORS)
    )
    def get_upi_request(request_id: RequestId, user: CurrentUser, db: DbSession) -> Any:
        """One UPI request and its status (pending, paid, overpaid, expired, cancelled, failed)."""
        return service.get_request(db, request_id=request_id, by=user)

    @upi_router.post(
        "/{request_id}/cancel",
        response_model=UpiRequestRead,
        responses=error_responses(*AUTH_ERRORS, *service.CANCEL_ERRORS),
    )
    async def cancel_upi_request(request_id: RequestId, user: CurrentUser, db: DbSession, upi: UpiDep) -> Any:
        """Stop waiting for this QR; it is closed at the gateway and money sent meanwhile is still recorded."""
        await upi.cancel(db, request_id=request_id, by=user)
        return service.get_request(db, request_id=request_id, by=user)

    @upi_router.post(
        "/{request_id}/acknowledge",
        response_model=UpiRequestRead,
        responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.ACK_ERRORS),
    )
    def acknowledge_upi_request(request_id: RequestId, user: ManagerUser, db: DbSession) -> Any:
        """Clear the alert of an overpaid or failed request once it was dealt with (manager)."""
        return service.acknowledge(db, request_id=request_id, by=user)

    router = APIRouter(lifespan=lifespan)
    router.include_router(creating)
    if settings.upi_gateway == "fake":
        fake_router = APIRouter(prefix="/api/upi/fake", tags=["upi"], route_class=TavoloRoute)

        @fake_router.post(
            "/{qr_id}/pay", response_model=FakePaid, responses=error_responses(*AUTH_ERRORS, FakeQrNotFound)
        )
        def fake_pay(qr_id: Annotated[str, Path(min_length=1, max_length=64)], _: CurrentUser, upi: UpiDep) -> Any:
            """(fake gateway only) A guest pays this QR; the poller then records it like a real credit."""
            gateway = upi.gateway
            credit = gateway.pay(qr_id) if isinstance(gateway, FakeUpiGateway) else None
            if credit is None:
                raise FakeQrNotFound()
            upi.wake(force=True)
            return FakePaid(qr_id=qr_id, payment_id=credit.payment_id, amount=credit.amount)

        # Before upi_router, whose /{request_id} routes would otherwise see "fake" first.
        router.include_router(fake_router)
    router.include_router(upi_router)
    return router
