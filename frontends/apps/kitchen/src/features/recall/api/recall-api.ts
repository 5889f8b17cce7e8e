import { unwrap } from "@tavolo/api";
import { api } from "../../../lib/api";
import type { Ticket } from "../../../lib/board";

/** How many bumped tickets the recall list offers. */
export const RECALL_LIMIT = 10;

export function lastBumped(): Promise<Ticket[]> {
  return unwrap(api.GET("/api/kitchen/tickets", { params: { query: { bumped: true, limit: RECALL_LIMIT } } }));
}

export function recallTicket(ticketId: number): Promise<Ticket> {
  return unwrap(api.POST("/api/kitchen/tickets/{ticket_id}/recall", { params: { path: { ticket_id: ticketId } } }));
}
