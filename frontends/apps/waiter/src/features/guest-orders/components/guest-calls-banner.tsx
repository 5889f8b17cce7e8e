// "T3 asks for the bill" / "T3 calls you": a guest pressed a button on the table's QR page (`guest.call`). Shown
// until the waiter taps OK; the phone vibrates when it arrives (lib/live.ts).
import { dismissGuestCall, guestCallStore, type GuestCall } from "../../../lib/live";
import { useStore } from "../../../lib/store";
import "./guest-orders.css";

export function callText(call: Pick<GuestCall, "tableLabel" | "kind">): string {
  return call.kind === "bill" ? `${call.tableLabel} asks for the bill` : `${call.tableLabel} calls you`;
}

export function GuestCallsBanner() {
  const calls = useStore(guestCallStore);
  if (calls.length === 0) return null;
  return (
    <section className="guest-calls" aria-label="Guests calling" data-testid="guest-calls-banner">
      <ul className="guest-orders__list">
        {calls.map((call) => (
          <li
            key={`${call.tableId}-${call.kind}`}
            className="guest-calls__item"
            role="alert"
            data-testid="guest-call"
            data-kind={call.kind}
          >
            <span className="guest-calls__text">{callText(call)}</span>
            <button
              type="button"
              className="guest-calls__dismiss"
              aria-label={`Dismiss: ${callText(call)}`}
              onClick={() => dismissGuestCall(call)}
            >
              OK
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
