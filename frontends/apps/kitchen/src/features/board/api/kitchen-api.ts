import { unwrap } from "@tavolo/api";
import { api } from "../../../lib/api";
import type { KitchenItem, Ticket } from "../../../lib/board";

export function setItemStatus(itemId: number, status: "preparing" | "ready"): Promise<KitchenItem> {
  return unwrap(
    api.POST("/api/kitchen/items/{item_id}/status", { params: { path: { item_id: itemId } }, body: { status } }),
  );
}

export function bumpTicket(ticketId: number): Promise<Ticket> {
  return unwrap(api.POST("/api/kitchen/tickets/{ticket_id}/bump", { params: { path: { ticket_id: ticketId } } }));
}
