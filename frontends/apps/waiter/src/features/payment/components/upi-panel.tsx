// The UPI QR of one part of the bill, big on the phone for the guest to scan: the amount, a live status (the
// request is polled every 2 s while open, and re-read at once when a live order event changes the bill), the
// time left before the QR closes, and Cancel. The appliance records the payment itself when Razorpay reports
// the credit; the phone only watches, then hands over to the screen, which moves on to the next part.
//
// The QR picture: no QR encoder is among the app's dependencies, so the phone shows the gateway's own QR image
// (Razorpay's image_url). A gateway that gives only the upi:// string (the fake one of the demo) gets the
// string and the amount shown instead, which a guest's UPI app can still take as a link.
import { newIdempotencyKey, type UpiRequest } from "@tavolo/api";
import { Banner, Button, Money, Sheet, Spinner, useNow } from "@tavolo/ui";
import { useEffect, useRef, useState } from "react";
import { cancelUpiRequest, createUpiRequest, upiRefusalText, useUpiRequest } from "../api/upi";

export interface UpiPart {
  label: string;
  amount: number;
  splitPart: string | null;
}

export interface UpiPanelProps {
  orderId: number;
  part: UpiPart;
  /** A pending QR already made for this part (the waiter came back to it): shown instead of a new one. */
  existing: UpiRequest | null;
  currency: string;
  /** The order's updated_at: a live order event changes it, and the status is read again at once. */
  orderVersion: string;
  onPaid: (request: UpiRequest) => void;
  /** The sheet goes away; `request` is the QR as last seen (null if none was made). */
  onClose: (request: UpiRequest | null) => void;
}

const STATUS_TEXT: Record<UpiRequest["status"], string> = {
  pending: "Waiting for the guest to pay",
  paid: "Paid",
  overpaid: "Money came in but the bill could not take it: a manager has been alerted",
  expired: "The QR expired before it was paid",
  cancelled: "Cancelled: this QR takes no more payments",
  failed: "Razorpay could not confirm this QR: a manager has been alerted",
};

/** "14:05" for what is left until `closesAt`; "0:00" once past. */
export function countdown(closesAt: string, now: number): string {
  const left = Math.max(0, Math.floor((Date.parse(closesAt) - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}

export function UpiPanel({ orderId, part, existing, currency, orderVersion, onPaid, onClose }: UpiPanelProps) {
  const [created, setCreated] = useState<UpiRequest | null>(existing);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(existing === null);
  const [cancelling, setCancelling] = useState(false);
  // One key per QR the waiter asks for: React running the effect twice, or a retry, gets the same QR back.
  const [key, setKey] = useState(newIdempotencyKey);
  const now = useNow(1_000);
  const request = useUpiRequest(created?.id ?? null, created ?? undefined, orderVersion);
  const current = request.data ?? created;
  const reported = useRef(false);

  useEffect(() => {
    if (!creating) return;
    let stale = false;
    createUpiRequest(orderId, part, key).then(
      (made) => {
        if (stale) return;
        setCreated(made);
        setCreating(false);
      },
      (caught: unknown) => {
        if (stale) return;
        setError(upiRefusalText(caught));
        setCreating(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [creating, orderId, part, key]);

  useEffect(() => {
    if (current?.status === "paid" && !reported.current) {
      reported.current = true;
      onPaid(current);
    }
  }, [current, onPaid]);

  async function cancel() {
    if (!current || cancelling) return;
    setCancelling(true);
    setError(null);
    try {
      const ended = await cancelUpiRequest(current.id);
      setCreated(ended);
      await request.refetch();
    } catch (caught) {
      setError(upiRefusalText(caught));
      // Paid in the same moment, perhaps: look again rather than guess.
      void request.refetch();
    } finally {
      setCancelling(false);
    }
  }

  function again() {
    setCreated(null);
    setError(null);
    setKey(newIdempotencyKey());
    setCreating(true);
  }

  const status = current?.status ?? (creating ? "creating" : "none");
  const pending = current?.status === "pending";
  const ended = current !== null && !pending;
  const expiresIn = current && pending ? countdown(current.closes_at, now) : null;

  return (
    <Sheet
      open
      onClose={() => onClose(current)}
      dismissible={!cancelling}
      title={`UPI · ${part.label}`}
      data-testid="upi-panel"
      footer={
        <>
          {pending && (
            <Button variant="danger" size="large" busy={cancelling} onClick={() => void cancel()} data-testid="upi-cancel">
              Cancel QR
            </Button>
          )}
          {(ended || (!current && !creating)) && current?.status !== "paid" && (
            <Button variant="primary" size="large" onClick={again} data-testid="upi-again">
              New QR
            </Button>
          )}
          <Button variant="secondary" size="large" onClick={() => onClose(current)} data-testid="upi-close">
            {pending ? "Hide" : "Close"}
          </Button>
        </>
      }
    >
      <div className="upi">
        <p className="upi__amount">
          <Money amount={current?.amount ?? part.amount} currency={currency} data-testid="upi-amount" />
        </p>
        {error && (
          <Banner tone="error" title="UPI" data-testid="upi-error">
            {error}
          </Banner>
        )}
        {creating && (
          <div className="upi__qr upi__qr--waiting">
            <Spinner label="Making the QR" />
          </div>
        )}
        {current && (
          <>
            <div
              className={`upi__qr${pending ? "" : " upi__qr--ended"}`}
              data-testid="upi-qr"
              data-qr-id={current.qr_id}
              data-payload={current.payload ?? undefined}
            >
              {current.image_url ? (
                <img className="upi__image" src={current.image_url} alt={`UPI QR for ${part.label}`} />
              ) : (
                <div className="upi__text">
                  <p className="upi__text-note">Scan with any UPI app, or open:</p>
                  {current.payload ? (
                    <a className="upi__payload" href={current.payload} data-testid="upi-payload">
                      {current.payload}
                    </a>
                  ) : (
                    <p className="upi__text-note">The gateway gave no QR picture: take cash or card.</p>
                  )}
                </div>
              )}
            </div>
            <p className={`upi__status upi__status--${current.status}`} data-testid="upi-status" data-status={status} role="status">
              {pending && <span className="upi__dot" aria-hidden="true" />}
              {STATUS_TEXT[current.status]}
            </p>
            {expiresIn && (
              <p className="upi__expiry" data-testid="upi-expiry">
                Closes in {expiresIn}
              </p>
            )}
            {pending && (
              <p className="upi__hint">Hiding this leaves the QR open for the guest; cancel it if they pay another way.</p>
            )}
          </>
        )}
        {!current && !creating && (
          <p className="upi__status" data-testid="upi-status" data-status="none">
            No QR
          </p>
        )}
      </div>
    </Sheet>
  );
}
