// Order fixtures shaped by the generated types.
import type { Order, OrderItem } from "@tavolo/api";

export function orderItem(overrides: Partial<OrderItem> & Pick<OrderItem, "id">): OrderItem {
  const base = {
    order_id: 7,
    product_id: 1,
    product_name: "Νερό",
    quantity: 1,
    unit_price: 100,
    selected_options: [],
    removed_ingredients: [],
    choices: [],
    note: null,
    seat: null,
    course: 1,
    fired_at: "2026-01-01T12:00:00Z" as string | null,
    status: "pending" as OrderItem["status"],
    printed: false,
    printer_zone_id: null,
    round: 1,
    added_by_id: 1,
    added_at: "2026-01-01T12:00:00Z",
    cancelled_by_id: null,
    cancelled_at: null,
    cancel_reason: null,
    paid_quantity: 0,
    tax_rate_bp: 0,
    ...overrides,
  };
  return {
    ...base,
    line_total: base.unit_price * base.quantity,
    is_paid: base.paid_quantity >= base.quantity,
    // As the appliance derives it: a held item has not been fired (items of a held course have no fired_at).
    held: overrides.held ?? (base.fired_at === null && base.status !== "cancelled"),
  };
}

export function order(items: OrderItem[], overrides: Partial<Order> = {}): Order {
  const live = items.filter((item) => item.status !== "cancelled");
  const total = live.reduce((sum, item) => sum + item.line_total, 0);
  const paid = live.filter((item) => item.is_paid).reduce((sum, item) => sum + item.line_total, 0);
  return {
    id: 7,
    table_id: 3,
    table_number: 7,
    table_label: "T7",
    waiter_id: 1,
    waiter_name: "Maria",
    status: paid === 0 ? "open" : paid === total ? "paid" : "partially_paid",
    guests: 2,
    rounds: Math.max(0, ...items.map((item) => item.round)),
    opened_at: "2026-01-01T11:55:00Z",
    closed_at: null,
    cancelled_at: null,
    cancelled_by_id: null,
    cancel_reason: null,
    updated_at: "2026-01-01T12:00:00Z",
    items,
    payments: [],
    total,
    paid_total: paid,
    due: total - paid,
    tips_total: 0,
    refunded_total: 0,
    merged_into_id: null,
    discounts: [],
    // Tax-inclusive prices, no service charge, no discount: the payable total is the items' total.
    totals: {
      subtotal: total,
      discounts: 0,
      service_charge: 0,
      service_charge_bp: 0,
      tax_mode: "inclusive",
      tax_total: 0,
      taxes: [],
      total,
      paid,
      balance: total - paid,
      lines: live.map((item) => ({
        item_id: item.id,
        gross: item.line_total,
        discount: 0,
        service_charge: 0,
        tax: 0,
        payable: item.line_total,
      })),
    },
    fired_course: Math.max(1, ...items.filter((item) => !item.held).map((item) => item.course)),
    ...overrides,
  };
}
