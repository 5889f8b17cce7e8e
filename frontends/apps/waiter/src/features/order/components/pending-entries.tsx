// This order's writes still in the outbox: the waiter must see that they have not reached the kitchen yet,
// and why, when the appliance refused one on replay.
import { Button } from "@tavolo/ui";
import { discard, type OutboxEntry } from "../../../lib/outbox";

interface PendingEntriesProps {
  entries: OutboxEntry[];
  /** Put a refused round back into the draft, to fix the refused line and send again. */
  onRestore: (entry: OutboxEntry) => void;
}

export function PendingEntries({ entries, onRestore }: PendingEntriesProps) {
  if (entries.length === 0) return null;
  return (
    <section className="ord-section" aria-labelledby="ord-pending-title">
      <h2 className="ord-section__title" id="ord-pending-title">
        Not sent yet
      </h2>
      <ul className="ord-list">
        {entries.map((entry) => (
          <li
            key={entry.id}
            className={entry.state === "failed" ? "ord-pending ord-pending--failed" : "ord-pending"}
            data-testid="pending-entry"
            data-state={entry.state}
          >
            <div className="ord-pending__text">
              <span className="ord-pending__label">{entry.label}</span>
              {entry.state === "failed" ? (
                <span className="ord-pending__error" role="alert">
                  Refused: {entry.error?.detail ?? "the appliance refused it"}
                </span>
              ) : (
                <span className="ord-muted">{entry.state === "sending" ? "Sending…" : "Waiting to send"}</span>
              )}
            </div>
            {entry.state === "failed" && (
              <div className="ord-pending__actions">
                {entry.kind === "items" && (
                  <Button variant="secondary" onClick={() => onRestore(entry)} data-testid="pending-restore">
                    To draft
                  </Button>
                )}
                <Button variant="danger" onClick={() => discard(entry.id)} data-testid="pending-discard">
                  Discard
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
