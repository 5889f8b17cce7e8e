// Everything the phone still owes the appliance: what each queued change is, why it has not gone yet, and
// the refused ones to read and discard.
import { Button, EmptyState, formatElapsed, useNow } from "@tavolo/ui";
import { useConnection } from "../../../lib/connection";
import { blockedEntries, discard, isOwnEntry, useOutbox, type OutboxEntry } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";
import { entryStatus } from "../model/describe";
import { tryAgainNow } from "./connection-banner";
import "./offline.css";

function laterOfSameOrder(entries: OutboxEntry[], open: OutboxEntry): number {
  return entries.filter((entry) => entry.orderRef === open.orderRef && entry.id !== open.id).length;
}

export function OutboxPanel() {
  const all = useOutbox();
  const userId = useUser()?.id ?? null;
  const { reachable } = useConnection();
  const now = useNow(30_000);
  // Blocking depends on the whole queue; what is listed is only this waiter's (another's labels, tables and
  // refusals are theirs to see when they log in).
  const blocked = blockedEntries(all);
  const entries = all.filter((entry) => isOwnEntry(entry, userId));
  const waiting = entries.some((entry) => entry.state === "queued" && !blocked.has(entry.id));

  return (
    <section className="off-panel" aria-label="Changes waiting to be sent" data-testid="outbox-panel">
      {entries.length === 0 ? (
        <EmptyState title="Nothing waiting">Every change has reached the appliance.</EmptyState>
      ) : (
        <ul className="off-panel__list">
          {entries.map((entry) => {
            const failed = entry.state === "failed";
            const orphans = failed && entry.kind === "open" ? laterOfSameOrder(entries, entry) : 0;
            return (
              <li
                key={entry.id}
                className={failed ? "off-entry off-entry--failed" : "off-entry"}
                data-testid="outbox-entry"
                data-state={entry.state}
              >
                <div className="off-entry__text">
                  <span className="off-entry__label">{entry.label}</span>
                  <span className="off-entry__status" role={failed ? "alert" : undefined}>
                    {entryStatus(entry, blocked.get(entry.id))}
                  </span>
                  <span className="off-entry__time">
                    {formatElapsed(entry.createdAt, now) === "just now"
                      ? "queued just now"
                      : `queued ${formatElapsed(entry.createdAt, now)} ago`}
                    {orphans > 0 ? ` · discarding also drops ${orphans} later change${orphans === 1 ? "" : "s"}` : ""}
                  </span>
                </div>
                {failed && (
                  <Button variant="danger" onClick={() => discard(entry.id)} data-testid="outbox-discard">
                    Discard
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {waiting && (
        <Button variant="primary" size="large" block onClick={tryAgainNow} data-testid="outbox-retry">
          {reachable ? "Retry now" : "Check connection and retry"}
        </Button>
      )}
    </section>
  );
}
