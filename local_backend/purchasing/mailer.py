"""The mailer: sends the email outbox through the configured SMTP server, retrying while it cannot be reached.

Why this shape:
- **Queued, never sent in a request.** A request only writes an outbox row (in its own transaction) and wakes
  the mailer once that commit is on disk. The restaurant's internet is often down; a manager's tap must not wait
  for a server on the other side of it, nor hold the app's single writer meanwhile.
- **One asyncio task, smtplib in a worker thread.** The task reads what is due on a read session, sends each
  email with the standard library's smtplib in a thread (holding no transaction), and records the outcome through
  the group writer. Nothing on the event loop waits for the network.
- **Retries until the server takes it.** A server that cannot be reached (no route, DNS down, refused, timed
  out, or a 4xx "try later") leaves the email queued with the error and the next try SMTP_RETRY_BASE_SECONDS
  later, doubling up to SMTP_RETRY_MAX_SECONDS, for as long as it takes: the internet coming back is what sends
  it. A 5xx refusal (bad address, authentication, no STARTTLS) will not change by waiting: the email is `failed`,
  with the server's answer, for the manager to fix and send again.
- **Claimed before sending.** Each attempt first moves the row's next attempt past the SMTP timeout (in a write
  that only succeeds if the row is still due), so a second app on the same database file never sends the same
  email too, and an attempt cut off by a crash is retried once that lease ends. A crash between the server's
  "250 OK" and recording it can send an email twice; never sending one is the worse failure.
- **No secret in the log.** The password is a SecretStr, read only to log in; errors are logged and stored with
  the server's reply, which never contains it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import partial
from typing import TypeVar

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from local_backend.audit import service as audit
from local_backend.config import Settings
from local_backend.db import Database
from local_backend.purchasing.models import EmailOutbox, PurchaseOrder
from shared.clock import ensure_utc, utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

BATCH = 20
IDLE_SECONDS = 300.0
MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A due outbox row as plain values, safe to hand to the sending thread."""

    id: int
    purchase_order_id: int | None
    to_address: str
    subject: str
    body: str
    attachment_name: str | None
    attachment_csv: str | None
    attempts: int


class Permanent(Exception):
    """The server refused the email in a way waiting will not change (5xx, authentication, no STARTTLS)."""


def build_message(settings: Settings, email: Outgoing) -> EmailMessage:
    message = EmailMessage()
    sender = settings.smtp_from or ""
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    # Never None: make_msgid would then ask the resolver for this machine's name, on the event loop.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "tavolo.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(email.body)
    if email.attachment_csv is not None:
        message.add_attachment(email.attachment_csv, subtype="csv", filename=email.attachment_name or "order.csv")
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Hand one message to the SMTP server (blocking: call it in a worker thread). Raises Permanent for a refusal
    that retrying cannot fix; any other exception means "try again later"."""
    assert settings.smtp_host is not None  # noqa: S101 - the mailer runs only when SMTP is configured
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_username, password)
            smtp.send_message(message)
    except smtplib.SMTPNotSupportedError as exc:
        raise Permanent(f"the server does not support it: {exc}") from exc
    except UnicodeError as exc:
        # smtplib logs in with ASCII only, and a non-ASCII address needs SMTPUTF8: settings to fix, not to wait out.
        raise Permanent(f"cannot be said in ASCII (a password or address with accents?): {exc}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise Permanent(f"recipient refused: {_replies(exc.recipients)}") from exc
        raise
    except smtplib.SMTPConnectError:
        raise  # a greeting refused at connect is the server's state now, not the email's: try later
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise Permanent(f"{exc.smtp_code} {_text(exc.smtp_error)}") from exc
        raise


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _replies(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{who}: {code} {_text(reply)}" for who, (code, reply) in recipients.items())


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    else:
        text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:MAX_ERROR]


class Mailer:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()

    @property
    def configured(self) -> bool:
        return self.settings.smtp_configured

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones: base, 2 x base, 4 x base ... up to the max."""
        base, cap = self.settings.smtp_retry_base_seconds, self.settings.smtp_retry_max_seconds
        return float(min(cap, base * 2 ** min(max(attempts - 1, 0), 30)))

    # -- lifecycle ----------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if not self.configured:
            log.info("email not configured (no SMTP_HOST/SMTP_FROM): purchase orders are printed or exported only")
            return
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="email-outbox")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """Look at the outbox now. Safe from any thread: sync routes may run in a worker thread, and an
        asyncio.Event may only be set on its own loop."""
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while True:
            try:
                delay = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("email outbox round failed")
                delay = self.settings.smtp_retry_max_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(delay, 0.01))
            self._wake.clear()

    # -- one round ----------------------------------------------------------------------------------------------

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.database.read_session() as db:
            return work(db)

    async def tick(self) -> float:
        """Send what is due; returns the seconds until the next email falls due (IDLE_SECONDS when none is queued)."""
        due = await run_in_threadpool(self._read, _due)
        for email in due:
            if not await self.database.writer.run(partial(self._claim, email=email)):
                continue  # another mailer on this database took it, or it was cancelled meanwhile
            try:
                message = build_message(self.settings, email)
            except (ValueError, TypeError) as exc:  # a From or To no email header can hold: fix the settings
                await self.database.writer.run(partial(_failed, email=email, error=describe(exc)))
                continue
            try:
                # Abandoned on shutdown rather than waited for: a dead link must not hold up a restart.
                await anyio.to_thread.run_sync(deliver, self.settings, message, abandon_on_cancel=True)
            except Permanent as exc:
                log.warning("email %s to %s refused: %s", email.id, email.to_address, exc)
                await self.database.writer.run(partial(_failed, email=email, error=str(exc)))
            except Exception as exc:
                attempts = email.attempts + 1
                wait = self.backoff(attempts)
                log.warning(
                    "email %s to %s not sent (attempt %s: %s); next try in %.1f s",
                    email.id,
                    email.to_address,
                    attempts,
                    describe(exc),
                    wait,
                )
                await self.database.writer.run(partial(_later, email=email, error=describe(exc), wait=wait))
            else:
                log.info("email %s sent to %s", email.id, email.to_address)
                await self.database.writer.run(partial(_sent, email=email))
        if len(due) == BATCH:
            return 0.0
        next_at = await run_in_threadpool(self._read, _next_due)
        if next_at is None:
            return IDLE_SECONDS
        return max(0.0, (next_at - utcnow()).total_seconds())

    def _claim(self, db: Session, email: Outgoing) -> bool:
        """Take the email for this attempt: count it and move its next try past the time an attempt can last."""
        now = utcnow()
        lease = timedelta(seconds=4 * self.settings.smtp_timeout_seconds + 30)
        result = db.execute(
            update(EmailOutbox)
            .where(EmailOutbox.id == email.id, EmailOutbox.status == "queued", EmailOutbox.next_attempt_at <= now)
            .values(attempts=EmailOutbox.attempts + 1, next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))


def _due(db: Session) -> list[Outgoing]:
    rows = db.scalars(
        select(EmailOutbox)
        .where(EmailOutbox.status == "queued", EmailOutbox.next_attempt_at <= utcnow())
        .order_by(EmailOutbox.next_attempt_at, EmailOutbox.id)
        .limit(BATCH)
    ).all()
    return [
        Outgoing(
            id=row.id,
            purchase_order_id=row.purchase_order_id,
            to_address=row.to_address,
            subject=row.subject,
            body=row.body,
            attachment_name=row.attachment_name,
            attachment_csv=row.attachment_csv,
            attempts=row.attempts,
        )
        for row in rows
    ]


def _next_due(db: Session) -> datetime | None:
    moment = db.scalar(
        select(EmailOutbox.next_attempt_at)
        .where(EmailOutbox.status == "queued")
        .order_by(EmailOutbox.next_attempt_at)
        .limit(1)
    )
    return ensure_utc(moment) if moment is not None else None


def _row(db: Session, email: Outgoing) -> EmailOutbox | None:
    return db.get(EmailOutbox, email.id, populate_existing=True)


def _set_order_status(db: Session, row: EmailOutbox) -> None:
    """The order shows its latest email's status: only the newest email of an order may set it."""
    if row.purchase_order_id is None:
        return
    newest = db.scalar(
        select(EmailOutbox.id)
        .where(EmailOutbox.purchase_order_id == row.purchase_order_id)
        .order_by(EmailOutbox.id.desc())
        .limit(1)
    )
    if newest == row.id:
        db.execute(
            update(PurchaseOrder)
            .where(PurchaseOrder.id == row.purchase_order_id)
            .values(email_status=row.status)
            .execution_options(synchronize_session=False)
        )


def _sent(db: Session, email: Outgoing) -> None:
    row = _row(db, email)
    if row is None:
        return
    # Recorded as sent even if the order was cancelled meanwhile: the supplier has it, and the record says so.
    row.status = "sent"
    row.sent_at = utcnow()
    row.last_error = None
    db.flush()
    _set_order_status(db, row)
    audit.record(
        db,
        action="purchasing.email_sent",
        entity_type="purchase_order",
        entity_id=row.purchase_order_id,
        data={"email_id": row.id, "to": row.to_address, "attempts": row.attempts},
    )


def _failed(db: Session, email: Outgoing, error: str) -> None:
    row = _row(db, email)
    if row is None or row.status != "queued":
        return
    row.status = "failed"
    row.last_error = error[:MAX_ERROR]
    db.flush()
    _set_order_status(db, row)
    audit.record(
        db,
        action="purchasing.email_failed",
        entity_type="purchase_order",
        entity_id=row.purchase_order_id,
        data={"email_id": row.id, "to": row.to_address, "attempts": row.attempts, "error": row.last_error},
    )


def _later(db: Session, email: Outgoing, error: str, wait: float) -> None:
    row = _row(db, email)
    if row is None or row.status != "queued":
        return
    row.last_error = error
    row.next_attempt_at = utcnow() + timedelta(seconds=wait)
