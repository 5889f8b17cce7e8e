import { EmptyState, useNow } from "@tavolo/ui";
import { useState } from "react";
import type { Ticket } from "../../../lib/board";
import { useBoard, useLink } from "../../../lib/live";
import { useColumns } from "../hooks/use-columns";
import { TicketCard } from "./ticket-card";
import "./board.css";

const TICK_MS = 1_000;

/** Tickets dealt into columns in turn: read left to right, oldest first, and a short card leaves no hole
 * under it (a grid row would be as tall as its tallest card). */
function deal(tickets: readonly Ticket[], columns: number): Ticket[][] {
  const out: Ticket[][] = Array.from({ length: columns }, () => []);
  tickets.forEach((ticket, index) => out[index % columns]?.push(ticket));
  return out;
}

/** The open tickets as cards, oldest first. */
export function BoardScreen() {
  const board = useBoard();
  const link = useLink();
  // One clock for every card's timer, not one interval per card.
  const now = useNow(TICK_MS);
  const [grid, setGrid] = useState<HTMLDivElement | null>(null);
  const columns = useColumns(grid);
  const screen = board.screen;
  if (screen === null) {
    return (
      <div className="kds-board kds-board--empty" data-testid="kds-board" data-ready="false">
        <EmptyState title={link.everLive ? "Reconnecting…" : "Connecting to the appliance…"} />
      </div>
    );
  }
  const showZone = screen.expo || screen.zones.length > 1;
  return (
    <div className="kds-board" data-testid="kds-board" data-ready="true" data-count={board.tickets.length}>
      <div className="kds-board__grid" ref={setGrid} style={{ gridTemplateColumns: `repeat(${columns}, 1fr)` }}>
        {board.tickets.length === 0 ? (
          <div className="kds-board__none">
            <EmptyState title="No open tickets" data-testid="kds-empty">
              New orders appear here the moment a waiter sends them.
            </EmptyState>
          </div>
        ) : (
          deal(board.tickets, columns).map((column, index) => (
            <div className="kds-board__column" key={index}>
              {column.map((ticket) => (
                <TicketCard key={ticket.id} ticket={ticket} now={now} showZone={showZone} />
              ))}
            </div>
          ))
        )}
      </div>
    </div>
  );
}
