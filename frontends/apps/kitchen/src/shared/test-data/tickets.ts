// Tickets and socket messages as the appliance sends them, for the tests.
import type { KitchenItem, KitchenMessage, ScreenView, Ticket } from "../../lib/board";

export const SENT_AT = "2026-03-01T12:00:00Z";
export const T0 = Date.parse(SENT_AT);

export const KITCHEN_ZONE = { id: 1, name: "Kitchen", kds_warn_minutes: 5, kds_late_minutes: 10 };
export const BAR_ZONE = { id: 2, name: "Bar", kds_warn_minutes: 3, kds_late_minutes: 6 };

export const SCREEN: ScreenView = { id: 4, name: "Hot line", zone_ids: [1], expo: false, zones: [KITCHEN_ZONE] };

export function item(id: number, overrides: Partial<KitchenItem> = {}): KitchenItem {
  return {
    id,
    product_name: "Moussaka",
    quantity: 1,
    options: [],
    removed: [],
    choices: [],
    note: null,
    seat: null,
    course: 1,
    status: "pending",
    held: false,
    fired_at: SENT_AT,
    preparing_at: null,
    ready_at: null,
    served_at: null,
    ...overrides,
  };
}

export function ticket(id: number, items: KitchenItem[], overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    order_id: 100 + id,
    table_label: `T${id}`,
    waiter_name: "Maria",
    round: 1,
    zone_id: KITCHEN_ZONE.id,
    zone: KITCHEN_ZONE,
    sent_at: SENT_AT,
    fired_at: SENT_AT,
    bumped_at: null,
    items,
    ...overrides,
  };
}

export function snapshot(tickets: Ticket[], seq = 10, epoch = "ep1"): KitchenMessage {
  return { type: "snapshot", epoch, seq, data: { screen: SCREEN, tickets } };
}

export function event(type: string, seq: number, data: unknown): KitchenMessage {
  return { type, seq, data };
}
