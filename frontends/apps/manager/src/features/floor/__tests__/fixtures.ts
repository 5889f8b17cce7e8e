import type { Table } from "@tavolo/api";

export function table(overrides: Partial<Table>): Table {
  return {
    id: 1,
    number: 1,
    label: "T1",
    seats: 4,
    group_id: null,
    group_name: null,
    is_active: true,
    is_mine: false,
    by_guests: false,
    assistant_ids: [],
    state: "free",
    order_id: null,
    waiter_id: null,
    waiter_name: null,
    guests: null,
    opened_at: null,
    item_count: 0,
    total: 0,
    paid_total: 0,
    due: 0,
    pos_x: 0,
    pos_y: 0,
    ...overrides,
  };
}
