import type { UseQueryResult } from "@tanstack/react-query";
import { FormError } from "@tavolo/ui";
import { describeError } from "../../../shared/errors";
import { formatClock } from "../../../shared/format";
import { describeEvent, type AuditEvent } from "../model/history";

interface OrderHistoryProps {
  history: UseQueryResult<AuditEvent[]>;
  currency: string;
  timeZone: string | undefined;
  now: number;
}

/** Everything that happened to the order, oldest first: when, who, what. */
export function OrderHistory({ history, currency, timeZone, now }: OrderHistoryProps) {
  return (
    <section className="order-section" aria-labelledby="order-history-title">
      <h3 id="order-history-title" className="order-section__title">
        History
      </h3>
      {history.error ? (
        <FormError>The history could not be loaded: {describeError(history.error)}</FormError>
      ) : history.isPending ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol className="order-history" data-testid="order-history">
          {history.data.map((event) => {
            const line = describeEvent(event, currency);
            return (
              <li key={event.id} className="order-history__line" data-tone={line.tone} data-action={event.action}>
                <time className="order-history__time" dateTime={event.at}>
                  {formatClock(event.at, timeZone, now)}
                </time>
                <span className="order-history__text">
                  <strong>{event.actor_name ?? "The appliance"}</strong> {line.what}
                  {line.detail && <span className="order-history__detail">{line.detail}</span>}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
