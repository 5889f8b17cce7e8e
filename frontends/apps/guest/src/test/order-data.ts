// A table's order as the guest socket brings it, with the bill's UPI payments, for the component tests.
import type { GuestOrder, GuestOrderItem, GuestPayment } from "../lib/types";

export function orderItem(
  id: number,
  nickname: string | null,
  amount: number,
  extra: Partial<GuestOrderItem> = {},
): GuestOrderItem {
  return {
    id,
    product_name: "Μουσακάς",
    product_name_en: "Moussaka",
    quantity: 1,
    state: "received",
    guest: nickname !== null,
    nickname,
    amount,
    paid_quantity: 0,
    ...extra,
  };
}

export function guestOrder(items: GuestOrderItem[], payments: Partial<GuestOrder["payments"]> = {}): GuestOrder {
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  return {
    order_id: items.length > 0 ? 1 : null,
    items,
    submissions: [],
    total,
    paid: 0,
    due: total,
    payments: { available: true, reason: null, open_for: total, requests: [], ...payments },
  };
}

export function payment(id: number, extra: Partial<GuestPayment> = {}): GuestPayment {
  return {
    id,
    amount: 55000,
    status: "pending",
    by_guest: true,
    nickname: "Anna",
    share: "my items",
    payload: `upi://pay?pa=tavolo.fake@upi&pn=Tavolo&tr=qr_fake${id}&am=550.00&cu=INR`,
    image_url: null,
    closes_at: new Date(Date.now() + 15 * 60_000).toISOString(),
    paid_at: null,
    ...extra,
  };
}
