// The kitchen board as state: what the socket said (a snapshot, then events in sequence) and what the screen's
// own requests answered. Events carry whole state (a full ticket, an item's status and times), so applying one
// twice, or one already contained in the snapshot, changes nothing; events at or below the last applied
// sequence number are ignored anyway.
import type { Schemas } from "@tavolo/api";

export type Ticket = Schemas["TicketRead"];
export type KitchenItem = Schemas["KitchenItemRead"];
export type ItemStatus = KitchenItem["status"];
export type Zone = Schemas["ZoneRead"];
/** The screen as the socket's snapshot describes it (local_backend/kitchen/service.py screen_view). */
export type ScreenView = Pick<Schemas["ScreenRead"], "id" | "name" | "zone_ids" | "expo"> & { zones: Zone[] };

/** A message of /ws/kitchen (local_backend/kitchen/router.py): `type`, `seq`, and the payload. */
export interface KitchenMessage {
  type: string;
  seq?: number;
  epoch?: string;
  data?: unknown;
}

export interface SnapshotData {
  screen: ScreenView;
  tickets: Ticket[];
}

/** kitchen.item_status: an item's new status and times. */
export interface ItemStatusData {
  item_id: number;
  ticket_id: number | null;
  status: ItemStatus;
  preparing_at: string | null;
  ready_at: string | null;
  served_at: string | null;
}

/** kitchen.item_voided: a manager cancelled the item. */
export interface ItemVoidedData {
  item_id: number;
  ticket_id: number;
}

export interface BoardState {
  /** Null until the first snapshot: nothing to show yet. */
  screen: ScreenView | null;
  /** Open tickets, oldest first (as the appliance orders them: sent, then id), so cards never jump around. */
  tickets: Ticket[];
  epoch: string | null;
  /** The last sequence number applied; a reconnect resumes after it (`since=epoch:seq`). */
  seq: number;
}

export const EMPTY_BOARD: BoardState = { screen: null, tickets: [], epoch: null, seq: 0 };

const RANK: Record<ItemStatus, number> = { pending: 0, preparing: 1, ready: 2, served: 3, cancelled: 4 };
const TO_MAKE: ReadonlySet<ItemStatus> = new Set(["pending", "preparing"]);
const OPEN: ReadonlySet<ItemStatus> = new Set(["pending", "preparing", "ready"]);

function byAge(a: Ticket, b: Ticket): number {
  const sent = Date.parse(a.sent_at) - Date.parse(b.sent_at);
  return sent !== 0 && !Number.isNaN(sent) ? sent : a.id - b.id;
}

/**
 * A ticket stays on the board while it has an item to make or to run. One whose items were all cancelled
 * stays too, struck through, until the kitchen bumps it: a cook may be holding the plate. One left with no items
 * at all (they were moved to another table's ticket) goes.
 */
function stillOpen(ticket: Ticket): boolean {
  if (ticket.bumped_at !== null || ticket.items.length === 0) return false;
  return ticket.items.some((item) => OPEN.has(item.status)) || ticket.items.every((i) => i.status === "cancelled");
}

function putTicket(tickets: Ticket[], ticket: Ticket): Ticket[] {
  const rest = tickets.filter((t) => t.id !== ticket.id);
  if (!stillOpen(ticket)) return rest.length === tickets.length ? tickets : rest;
  return [...rest, ticket].sort(byAge);
}

function dropTicket(tickets: Ticket[], ticketId: number): Ticket[] {
  const rest = tickets.filter((t) => t.id !== ticketId);
  return rest.length === tickets.length ? tickets : rest;
}

/** Change one item wherever it is (its ticket first); the ticket leaves when nothing of it is left to do. */
function patchItem(
  tickets: Ticket[],
  itemId: number,
  ticketId: number | null,
  change: (item: KitchenItem) => KitchenItem,
): Ticket[] {
  const index = tickets.findIndex(
    (t) => (ticketId === null || t.id === ticketId) && t.items.some((item) => item.id === itemId),
  );
  const ticket = tickets[index];
  if (!ticket) return tickets;
  let changed = false;
  const items = ticket.items.map((item) => {
    if (item.id !== itemId) return item;
    const next = change(item);
    changed ||= next !== item;
    return next;
  });
  if (!changed) return tickets;
  const updated = { ...ticket, items };
  if (!stillOpen(updated)) return dropTicket(tickets, ticket.id);
  return tickets.map((t) => (t.id === ticket.id ? updated : t));
}

function isTicket(data: unknown): data is Ticket {
  const t = data as Ticket | null;
  return typeof t === "object" && t !== null && typeof t.id === "number" && Array.isArray(t.items);
}

function applyEvent(tickets: Ticket[], message: KitchenMessage): Ticket[] {
  switch (message.type) {
    // ticket_updated: the bill moved (transfer, merge, items moved); the same ticket with its new table, order or items.
    case "kitchen.ticket_new":
    case "kitchen.ticket_recalled":
    case "kitchen.ticket_fired":
    case "kitchen.ticket_updated":
      return isTicket(message.data) ? putTicket(tickets, message.data) : tickets;
    case "kitchen.ticket_bumped":
      return isTicket(message.data) ? dropTicket(tickets, message.data.id) : tickets;
    case "kitchen.item_status": {
      const data = message.data as ItemStatusData;
      return patchItem(tickets, data.item_id, data.ticket_id ?? null, (item) =>
        item.status === data.status &&
        item.preparing_at === data.preparing_at &&
        item.ready_at === data.ready_at &&
        item.served_at === data.served_at
          ? item
          : {
              ...item,
              status: data.status,
              preparing_at: data.preparing_at,
              ready_at: data.ready_at,
              served_at: data.served_at,
            },
      );
    }
    case "kitchen.item_voided": {
      const data = message.data as ItemVoidedData;
      return patchItem(tickets, data.item_id, data.ticket_id ?? null, (item) =>
        item.status === "cancelled" ? item : { ...item, status: "cancelled", held: false },
      );
    }
    default:
      return tickets;
  }
}

/** The board after one socket message. */
export function applyMessage(state: BoardState, message: KitchenMessage): BoardState {
  if (message.type === "snapshot") {
    const data = message.data as SnapshotData;
    return {
      screen: data.screen,
      tickets: [...data.tickets].sort(byAge),
      epoch: message.epoch ?? null,
      seq: message.seq ?? 0,
    };
  }
  if (message.type === "resumed") {
    // The missed events follow; the board is still right up to `seq`.
    return { ...state, epoch: message.epoch ?? state.epoch };
  }
  // Before a snapshot there is nothing to apply an event to; at or below `seq` it is already in.
  if (state.screen === null || message.seq === undefined || message.seq <= state.seq) return state;
  const tickets = applyEvent(state.tickets, message);
  return { ...state, tickets, seq: message.seq };
}

/** The answer to this screen's own item request: applied at once, but never moving an item backwards (the
 * socket may already have delivered a later change). */
export function applyItemResult(state: BoardState, item: KitchenItem): BoardState {
  const tickets = patchItem(state.tickets, item.id, null, (current) =>
    RANK[item.status] > RANK[current.status] ? { ...current, ...item } : current,
  );
  return tickets === state.tickets ? state : { ...state, tickets };
}

/** The answer to this screen's bump or recall: the whole ticket as it is now. */
export function applyTicketResult(state: BoardState, ticket: Ticket): BoardState {
  const tickets = putTicket(state.tickets, ticket);
  return tickets === state.tickets ? state : { ...state, tickets };
}

// -- what the screen shows -----------------------------------------------------------------------------------

export type Urgency = "normal" | "warn" | "late";

const DEFAULT_WARN_MINUTES = 5;
const DEFAULT_LATE_MINUTES = 10;

export function isHeldTicket(ticket: Ticket): boolean {
  const live = ticket.items.filter((item) => item.status !== "cancelled");
  return live.length > 0 && live.every((item) => item.held);
}

/** The guests who ordered a ticket's items from the table's QR code, once each in item order (none: a waiter's
 * order). The printed ticket says GUEST ORDER for the same items; the screen must not be the one that hides it. */
export function guestNicknames(ticket: Ticket): string[] {
  return [...new Set(ticket.items.flatMap((item) => (item.guest_nickname ? [item.guest_nickname] : [])))];
}

/** How late a ticket is: its timer runs from `fired_at` against its zone's thresholds. A ticket whose items are
 * all held is not being made yet, so it cannot be late. */
export function urgencyOf(ticket: Ticket, now: number): Urgency {
  if (isHeldTicket(ticket)) return "normal";
  const minutes = (now - Date.parse(ticket.fired_at)) / 60_000;
  if (Number.isNaN(minutes)) return "normal";
  const warn = ticket.zone?.kds_warn_minutes ?? DEFAULT_WARN_MINUTES;
  const late = ticket.zone?.kds_late_minutes ?? DEFAULT_LATE_MINUTES;
  if (minutes >= late) return "late";
  if (minutes >= warn) return "warn";
  return "normal";
}

/** A kitchen timer: "0:42", "12:05", "1:02:09". */
export function formatTimer(since: string, now: number): string {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return "";
  const total = Math.max(0, Math.floor((now - start) / 1000));
  const seconds = String(total % 60).padStart(2, "0");
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}:${seconds}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}:${seconds}`;
}

/** Whether a tap moves the item on: only fired items still to make. */
export function nextStatus(item: KitchenItem): "preparing" | "ready" | null {
  if (item.held) return null;
  if (item.status === "pending") return "preparing";
  if (item.status === "preparing") return "ready";
  return null;
}

export interface AllDayLine {
  name: string;
  count: number;
}

/** "All day": how many of each product are still to make across the open tickets (held courses excluded). */
export function allDay(tickets: readonly Ticket[]): AllDayLine[] {
  const counts = new Map<string, number>();
  for (const ticket of tickets) {
    for (const item of ticket.items) {
      if (item.held || !TO_MAKE.has(item.status)) continue;
      counts.set(item.product_name, (counts.get(item.product_name) ?? 0) + item.quantity);
    }
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
