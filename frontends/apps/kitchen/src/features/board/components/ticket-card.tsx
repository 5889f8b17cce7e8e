import { Button } from "@tavolo/ui";
import { formatTimer, guestNicknames, isHeldTicket, urgencyOf, type Ticket, type Urgency } from "../../../lib/board";
import { useBump } from "../hooks/use-board-actions";
import { TicketItem } from "./ticket-item";

const URGENCY_LABEL: Record<Urgency, string> = { normal: "On time", warn: "Warning", late: "Late" };
/** A course fired by the waiter after the round was sent moves the ticket's timer on. Items sent with their
 * course already fired get the send's own time (within milliseconds of the ticket's): not a firing. */
const FIRED_AFTER_MS = 250;

export interface TicketCardProps {
  ticket: Ticket;
  now: number;
  /** An expo (or multi-zone) screen says which zone each ticket is for. */
  showZone: boolean;
}

export function TicketCard({ ticket, now, showZone }: TicketCardProps) {
  const { busy, bump } = useBump(ticket);
  const held = isHeldTicket(ticket);
  const urgency = urgencyOf(ticket, now);
  const fired = Date.parse(ticket.fired_at) - Date.parse(ticket.sent_at) > FIRED_AFTER_MS;
  const guests = guestNicknames(ticket);
  return (
    <article
      className={`kds-ticket kds-ticket--${urgency}${held ? " kds-ticket--held" : ""}`}
      data-testid={`ticket-${ticket.id}`}
      data-state={urgency}
      aria-label={`${ticket.table_label}${guests.length ? ", guest order" : ""}, ${URGENCY_LABEL[urgency].toLowerCase()}`}
    >
      <header className="kds-ticket__header">
        <div className="kds-ticket__line">
          <h2 className="kds-ticket__table">{ticket.table_label}</h2>
          <span className="kds-ticket__timer" data-testid={`timer-${ticket.id}`}>
            {held ? "HOLD" : formatTimer(ticket.fired_at, now)}
          </span>
        </div>
        <div className="kds-ticket__line kds-ticket__meta">
          <span className="kds-ticket__waiter">{ticket.waiter_name}</span>
          <span className="kds-ticket__round">
            {ticket.round === 1 ? "NEW" : `+ADDED · round ${ticket.round}`}
            {fired && " · FIRED"}
          </span>
          <span className="kds-ticket__urgency">{held ? "Held" : URGENCY_LABEL[urgency]}</span>
        </div>
        {showZone && <div className="kds-ticket__zone">{ticket.zone?.name ?? `Zone ${ticket.zone_id}`}</div>}
      </header>
      {guests.length > 0 && (
        <div className="kds-ticket__guest" data-testid={`guest-${ticket.id}`}>
          <span className="kds-ticket__guest-mark">Guest order</span>
          <span className="kds-ticket__guest-names">{guests.join(", ")}</span>
        </div>
      )}
      <ul className="kds-ticket__items">
        {ticket.items.map((item) => (
          <TicketItem key={item.id} item={item} />
        ))}
      </ul>
      <footer className="kds-ticket__footer">
        <Button
          variant="primary"
          size="large"
          block
          busy={busy}
          className="kds-ticket__bump"
          data-testid={`bump-${ticket.id}`}
          onClick={bump}
        >
          Bump {ticket.table_label}
        </Button>
      </footer>
    </article>
  );
}
