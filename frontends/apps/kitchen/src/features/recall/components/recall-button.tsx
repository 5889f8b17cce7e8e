import { Banner, Button, Sheet, Spinner } from "@tavolo/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { applyTicketResult, type Ticket } from "../../../lib/board";
import { describeError } from "../../../lib/flash";
import { boardStore } from "../../../lib/live";
import { lastBumped, recallTicket } from "../api/recall-api";
import "./recall.css";

function clock(iso: string | null): string {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function summary(ticket: Ticket): string {
  return ticket.items
    .filter((item) => item.status !== "cancelled")
    .map((item) => `${item.quantity}× ${item.product_name}`)
    .join(", ");
}

/** "Recall": the last bumped tickets, newest first; one tap brings a ticket back to the board. */
export function RecallButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" data-testid="recall-open" onClick={() => setOpen(true)}>
        ↶ Recall
      </Button>
      {open && <RecallSheet onClose={() => setOpen(false)} />}
    </>
  );
}

function RecallSheet({ onClose }: { onClose: () => void }) {
  const bumped = useQuery({ queryKey: ["bumped"], queryFn: lastBumped, staleTime: 0, gcTime: 0, retry: false });
  const recall = useMutation({
    mutationFn: recallTicket,
    onSuccess: (ticket) => {
      boardStore.set((board) => applyTicketResult(board, ticket));
      onClose();
    },
  });
  return (
    <Sheet open onClose={onClose} title="Recall a bumped ticket" dismissible={!recall.isPending} data-testid="recall-sheet">
      {recall.isError && (
        <Banner tone="error" title="Not recalled">
          {describeError(recall.error)}
        </Banner>
      )}
      {bumped.isPending ? (
        <Spinner />
      ) : bumped.isError ? (
        <Banner tone="error" title="The bumped tickets could not be loaded">
          {describeError(bumped.error)}
        </Banner>
      ) : bumped.data.length === 0 ? (
        <p className="kds-recall__empty">No bumped tickets yet.</p>
      ) : (
        <ul className="kds-recall">
          {bumped.data.map((ticket) => (
            <li key={ticket.id} className="kds-recall__row">
              <div className="kds-recall__text">
                <strong className="kds-recall__table">{ticket.table_label}</strong>
                <span className="kds-recall__meta">
                  {ticket.round === 1 ? "NEW" : `+ADDED · round ${ticket.round}`} · {ticket.waiter_name}
                  {ticket.zone ? ` · ${ticket.zone.name}` : ""} · bumped {clock(ticket.bumped_at)}
                </span>
                <span className="kds-recall__items">{summary(ticket)}</span>
              </div>
              <Button
                variant="primary"
                size="large"
                data-testid={`recall-${ticket.id}`}
                busy={recall.isPending && recall.variables === ticket.id}
                disabled={recall.isPending}
                onClick={() => recall.mutate(ticket.id)}
              >
                Recall
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Sheet>
  );
}
