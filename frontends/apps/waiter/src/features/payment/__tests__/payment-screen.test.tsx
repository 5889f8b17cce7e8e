// The payment screen against a stub appliance behind `fetch`: the real api client, query cache and outbox.
// First: it installs the stub appliance before the app's modules load.
import {
  appliance,
  json,
  received,
  renderAt,
  resetScreenState,
  setOutbox,
} from "../../../shared/test-data/screen-harness";
import type { Order, Payment, PaymentIn, PaymentMethodInfo, SplitCreate } from "@tavolo/api";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { outboxStore, type OutboxEntry } from "../../../lib/outbox";
import { sessionStore } from "../../../lib/session";
import { draftStore } from "../../../shared/order-draft";
import { PaymentScreen } from "../index";
import { order, orderItem } from "../../../shared/test-data/order-data";

let bill: Order;
/** What the stub's /split answers; by default nothing (a 404), as if the appliance could not split. */
let splitAnswer: ((body: SplitCreate) => { label: string; amount: number }[]) | null;
const splitAsked: SplitCreate[] = [];

const METHODS: PaymentMethodInfo[] = [
  { id: 1, code: "cash", name: "Cash", kind: "cash", is_active: true, sort_order: 10, created_at: "2026-01-01T00:00:00Z" },
  { id: 2, code: "card", name: "Card", kind: "card", is_active: true, sort_order: 20, created_at: "2026-01-01T00:00:00Z" },
  { id: 3, code: "upi", name: "UPI", kind: "upi", is_active: true, sort_order: 30, created_at: "2026-01-01T00:00:00Z" },
];

/** The bill after a payment, as the appliance's ledger keeps it: units paid by items, the balance by amount. */
function record(body: PaymentIn): Payment {
  const units = new Map((body.items ?? []).map((u) => [u.item_id, u.quantity ?? 1]));
  const items = bill.items.map((item) =>
    units.has(item.id) ? orderItem({ ...item, paid_quantity: item.paid_quantity + (units.get(item.id) ?? 0) }) : item,
  );
  const amount = body.items
    ? bill.items.reduce((sum, item) => sum + item.unit_price * (units.get(item.id) ?? 0), 0)
    : (body.amount ?? 0);
  const payment: Payment = {
    id: bill.payments.length + 1,
    order_id: 7,
    method: body.method,
    amount,
    tip: body.tip,
    tendered: body.tendered ?? null,
    change_due: body.tendered ? body.tendered - amount - body.tip : 0,
    reference: null,
    split_part: body.split_part ?? null,
    created_by_id: 1,
    created_at: "2026-01-01T12:30:00Z",
    item_ids: [...units.keys()],
    items: [...units].map(([item_id, quantity]) => ({ item_id, quantity, amount: 0 })),
    refunds: [],
    refunded: 0,
  };
  const payments = [...bill.payments, payment];
  const total = bill.total;
  const paid = payments.reduce((sum, p) => sum + p.amount - p.refunded, 0);
  const settled = paid >= total ? items.map((item) => orderItem({ ...item, paid_quantity: item.quantity })) : items;
  bill = order(settled, {
    guests: bill.guests,
    payments,
    paid_total: paid,
    due: total - paid,
    status: paid >= total ? "paid" : "partially_paid",
    updated_at: `2026-01-01T12:3${payments.length}:00Z`,
    tips_total: payments.reduce((sum, p) => sum + p.tip, 0),
  });
  return payment;
}

async function serve(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "EUR", restaurant_name: "T", timezone: "UTC", version: "1" });
    if (path === "/api/orders/7") return json(bill);
    if (path === "/api/payment-methods") return json(METHODS);
    if (path === "/api/upi/status") {
      return json({ available: false, gateway: null, code: "UPI_NOT_CONFIGURED", reason: "UPI is not set up" });
    }
    if (path === "/api/upi/") return json([]);
    return json({ status: "ok" });
  }
  if (path === "/api/orders/7/split") {
    const body = (await request.json()) as SplitCreate;
    splitAsked.push(body);
    if (!splitAnswer) return json({ detail: "no", code: "NOT_FOUND" }, 404);
    const parts = splitAnswer(body).map((p) => ({ ...p, items: [] }));
    const remaining = bill.due - parts.reduce((sum, p) => sum + p.amount, 0);
    return json({ order_id: 7, mode: body.mode, total: bill.total, paid_total: bill.paid_total, due: bill.due, parts, remaining });
  }
  const body = await received(request);
  if (path === "/api/orders/7/payments") {
    const payment = record(body as PaymentIn);
    return json({ payment, order: bill }, 201);
  }
  if (path === "/api/orders/7/close") return json({ ...bill, status: "closed" });
  return json({ detail: "no", code: "NOT_FOUND" }, 404);
}

function mount() {
  return renderAt(
    "/order/7/pay",
    <Route path="/order/:ref/pay">{(params) => <PaymentScreen orderRef={params.ref} />}</Route>,
  );
}

beforeEach(() => {
  resetScreenState();
  bill = order([orderItem({ id: 1, unit_price: 450 }), orderItem({ id: 2, unit_price: 600, quantity: 2 })]);
  appliance.handler = serve;
  splitAnswer = null;
  splitAsked.length = 0;
});

afterEach(cleanup);

/** Every item paid: the close is all that is left. */
function paidBill(): Order {
  return order([orderItem({ id: 1, unit_price: 450, paid_quantity: 1 }), orderItem({ id: 2, unit_price: 600, paid_quantity: 1 })]);
}

function queuedRound(state: OutboxEntry["state"] = "queued"): OutboxEntry {
  return {
    id: "items-1",
    kind: "items",
    orderRef: "7",
    tableId: 3,
    path: "/api/orders/7/items",
    body: { items: [{ product_id: 1, quantity: 2, course: 1 }, { product_id: 2, quantity: 1, course: 1 }] },
    label: "Send 3 items · T7",
    createdAt: Date.now(),
    state,
    attempts: 1,
    userId: 1,
  };
}

describe("PaymentScreen", () => {
  it("pays every item, shows nothing left and closes the order", async () => {
    const { user, history } = mount();
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "1650"));
    await user.click(screen.getByTestId("pay-select-all"));
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.type(screen.getByTestId("tip-input"), "1");
    await user.click(screen.getByTestId("pay-submit"));

    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "0"));
    expect(appliance.writes[0]).toEqual({
      path: "/api/orders/7/payments",
      key: expect.any(String),
      body: {
        method: "cash",
        tip: 100,
        items: [
          { item_id: 1, quantity: 1 },
          { item_id: 2, quantity: 2 },
        ],
      },
    });
    await user.click(screen.getByTestId("close-order"));
    await waitFor(() => expect(history.at(-1)).toBe("/"));
    expect(appliance.writes[1]).toEqual({ path: "/api/orders/7/close", key: expect.any(String), body: {} });
  });

  it("pays part of the bill and leaves the rest to pay", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("pay-item-2"));
    await user.click(screen.getByTestId("pay-method-card"));
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "450"));
    expect(screen.queryByTestId("pay-item-2")).toBeNull();
    expect(screen.queryByTestId("close-order")).toBeNull();
  });

  it("shows a payment queued offline as waiting and does not offer its items again", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("pay-item-1"));
    await user.click(screen.getByTestId("pay-method-cash"));
    appliance.handler = () => {
      throw new TypeError("Failed to fetch");
    };
    await user.click(screen.getByTestId("pay-submit"));

    expect(await screen.findByTestId("pay-waiting-1")).toHaveTextContent("Payment waiting to send");
    expect(screen.queryByTestId("pay-item-1")).toBeNull();
    expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "1200");
    expect(outboxStore.get()).toHaveLength(1);
  });

  it("does not close while a round of this order is still waiting to be sent", async () => {
    bill = paidBill();
    // Writes do not get through (the round stays in the outbox); reads do.
    appliance.handler = (request) => {
      if (request.method === "POST") throw new TypeError("Failed to fetch");
      return serve(request);
    };
    setOutbox([queuedRound()]);
    const { user } = mount();

    expect(await screen.findByTestId("close-blocked")).toHaveTextContent("3 items are still waiting to be sent");
    expect(screen.getByTestId("close-order")).toBeDisabled();
    await user.click(screen.getByTestId("close-order"));
    expect(outboxStore.get().map((entry) => entry.kind)).toEqual(["items"]);
    expect(appliance.writes).toEqual([]);
  });

  it("asks before closing over an unsent draft, and deletes the draft when told to close", async () => {
    bill = paidBill();
    draftStore("7").set([{ key: "a", item: { product_id: 1, quantity: 2, course: 1 } }]);
    const { user, history } = mount();

    expect(await screen.findByTestId("close-draft-warning")).toHaveTextContent("2 items never sent");
    await user.click(screen.getByTestId("close-order"));
    expect(screen.getByRole("dialog", { name: "Close with an unsent draft?" })).toBeInTheDocument();
    expect(appliance.writes).toEqual([]);

    await user.click(screen.getByTestId("close-keep"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(appliance.writes).toEqual([]);
    expect(localStorage.getItem("tavolo.draft.7")).not.toBeNull();

    await user.click(screen.getByTestId("close-order"));
    await user.click(screen.getByTestId("close-confirm"));
    await waitFor(() => expect(history.at(-1)).toBe("/"));
    expect(appliance.writes).toEqual([{ path: "/api/orders/7/close", key: expect.any(String), body: {} }]);
    expect(localStorage.getItem("tavolo.draft.7")).toBeNull();
    expect(draftStore("7").get()).toEqual([]);
  });

  it("splits evenly as the appliance computed, pays shares with tip and change, and splits the rest again", async () => {
    bill = order([orderItem({ id: 1, unit_price: 10001 })], { guests: 4 });
    // Not the phone's own rule (that would put the extra cent first): the screen must show the server's parts.
    splitAnswer = (body) => {
      const parts = body.mode === "even" ? body.parts : 1;
      const shares = parts === 4 ? [2500, 2500, 2500, 2501] : [2500, 2500, 2501].slice(3 - parts);
      return shares.map((amount, i) => ({ label: `${i + 1}/${parts}`, amount }));
    };
    const { user } = mount();
    await user.click(await screen.findByTestId("split-mode-even"));
    await waitFor(() => expect(screen.getByTestId("split-parts")).toHaveAttribute("data-source", "appliance"));
    expect(screen.getByTestId("split-guests")).toHaveAttribute("data-value", "4");
    const amounts = () => [1, 2, 3, 4].map((n) => screen.getByTestId(`split-part-${n}`).getAttribute("data-amount"));
    expect(amounts()).toEqual(["2500", "2500", "2500", "2501"]);
    expect(splitAsked).toEqual([{ mode: "even", parts: 4 }]);

    // Share 1/4 in cash: 10 % tip, 30.00 handed over, change shown before and after.
    expect(screen.getByTestId("split-part-1")).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.click(screen.getByTestId("pay-tip-10"));
    await user.type(screen.getByTestId("pay-tendered"), "30");
    expect(screen.getByTestId("pay-change")).toHaveAttribute("data-amount", "250");
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "7501"));
    expect(appliance.writes[0]).toEqual({
      path: "/api/orders/7/payments",
      key: expect.any(String),
      body: { method: "cash", tip: 250, amount: 2500, tendered: 3000, split_part: "1/4" },
    });
    expect(screen.getByTestId("pay-change-given")).toHaveAttribute("data-amount", "250");

    // The three shares left are the appliance's split of what is left; 1/4 shows as paid.
    await waitFor(() => expect(splitAsked.at(-1)).toEqual({ mode: "even", parts: 3 }));
    await waitFor(() => expect(amounts()).toEqual(["2500", "2500", "2500", "2501"]));
    expect(screen.getByTestId("split-part-1")).toHaveAttribute("data-paid", "true");
    expect(screen.getByTestId("split-part-1")).toHaveTextContent("Paid · Cash · tip €2.50");
    expect(screen.getByTestId("split-part-2")).toHaveAttribute("aria-pressed", "true");

    // The last share is chosen by tapping it: by card.
    await user.click(screen.getByTestId("split-part-4"));
    await user.click(screen.getByTestId("pay-method-card"));
    expect(screen.queryByTestId("pay-tendered")).toBeNull();
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "5000"));
    expect(appliance.writes[1]?.body).toEqual({ method: "card", tip: 0, amount: 2501, split_part: "4/4" });
    const rows = screen.getAllByTestId("payment-made");
    expect(rows.map((row) => row.getAttribute("data-amount"))).toEqual(["2500", "2501"]);
    expect(within(rows[0]!).getByText(/tip €2.50/)).toBeInTheDocument();
  });

  it("works the even shares out on the phone while the appliance cannot split", async () => {
    bill = order([orderItem({ id: 1, unit_price: 1000 })]);
    const { user } = mount();
    await user.click(await screen.findByTestId("split-mode-even"));
    await user.click(screen.getByTestId("split-guests-inc"));
    await waitFor(() => expect(screen.getByTestId("split-parts")).toHaveAttribute("data-source", "phone"));
    expect([1, 2, 3].map((n) => screen.getByTestId(`split-part-${n}`).getAttribute("data-amount"))).toEqual([
      "334",
      "333",
      "333",
    ]);
  });

  it("pays 2 of 4 beers by their units", async () => {
    bill = order([orderItem({ id: 1, product_name: "Beer", unit_price: 450, quantity: 4 })]);
    const { user } = mount();
    await user.click(await screen.findByTestId("pay-qty-inc-1"));
    await user.click(screen.getByTestId("pay-qty-inc-1"));
    expect(screen.getByTestId("pay-qty-1")).toHaveTextContent("2 of 4");
    expect(screen.getByTestId("pay-selected-total")).toHaveAttribute("data-amount", "900");
    await user.click(screen.getByTestId("pay-method-card"));
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "900"));
    expect(appliance.writes[0]?.body).toEqual({ method: "card", tip: 0, items: [{ item_id: 1, quantity: 2 }] });
    expect(screen.getByTestId("pay-qty-1")).toHaveTextContent("0 of 2");
  });

  it("pays a typed amount, then the whole rest by amount once units no longer add up", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("split-mode-amount"));
    for (const key of ["5", "0", "0"]) await user.click(screen.getByTestId(`amount-key-${key}`));
    expect(screen.getByTestId("pay-amount")).toHaveAttribute("data-amount", "500");
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "1150"));
    expect(appliance.writes[0]?.body).toEqual({ method: "cash", tip: 0, amount: 500 });

    await user.click(screen.getByTestId("split-mode-whole"));
    await user.click(screen.getByTestId("pay-method-card"));
    await user.click(screen.getByTestId("pay-submit"));
    await waitFor(() => expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "0"));
    expect(appliance.writes[1]?.body).toEqual({ method: "card", tip: 0, amount: 1150 });
    expect(screen.getByTestId("close-order")).toBeEnabled();
  });

  it("shows the appliance's methods, UPI greyed out with the reason while it is not set up", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("pay-item-1"));
    await waitFor(() => expect(screen.getByTestId("pay-method-upi")).toHaveTextContent("UPI is not set up — use cash or card"));
    expect(screen.getByTestId("pay-method-upi")).toBeDisabled();
    expect(screen.getByTestId("pay-method-card")).toBeEnabled();
  });

  it("shows how the total is made up: items, discounts, service charge, tax per rate", async () => {
    bill = {
      ...bill,
      totals: {
        ...bill.totals,
        subtotal: 1650,
        discounts: 150,
        service_charge: 150,
        service_charge_bp: 1000,
        tax_mode: "exclusive",
        taxes: [{ rate_bp: 500, base: 1650, net: 1650, tax: 83 }],
        tax_total: 83,
        total: 1733,
      },
    };
    mount();
    const totals = await screen.findByTestId("bill-totals");
    expect(within(totals).getByTestId("bill-subtotal")).toHaveAttribute("data-amount", "1650");
    expect(within(totals).getByTestId("bill-discounts")).toHaveAttribute("data-amount", "-150");
    expect(within(totals).getByTestId("bill-service-charge")).toHaveAttribute("data-amount", "150");
    expect(within(totals).getByTestId("bill-tax-500")).toHaveAttribute("data-amount", "83");
    expect(totals).toHaveTextContent("Service charge 10%");
    expect(totals).toHaveTextContent("Tax 5%");
    expect(within(totals).getByTestId("bill-total")).toHaveAttribute("data-amount", "1733");
  });

  it("lets a manager refund a payment with a reason, and a waiter only read it", async () => {
    record({ method: "card", tip: 0, amount: 450 });
    mount();
    expect(await screen.findByTestId("payment-made")).toBeInTheDocument();
    expect(screen.queryByTestId("payment-refund-1")).toBeNull();
    cleanup();

    const waiter = sessionStore.get();
    sessionStore.set({ ...waiter!, role: "manager" });
    try {
      appliance.handler = async (request) => {
        if (new URL(request.url).pathname === "/api/payments/1/refunds") {
          const body = (await received(request)) as { amount: number; reason: string };
          const payment = bill.payments[0]!;
          const refund = { id: 1, payment_id: 1, order_id: 7, amount: body.amount, reason: body.reason, method: "card", created_by_id: 1, created_at: "2026-01-01T13:00:00Z" };
          bill = { ...bill, payments: [{ ...payment, refunds: [refund], refunded: body.amount }] };
          return json({ refund, order: bill }, 201);
        }
        return serve(request);
      };
      const second = mount();
      await second.user.click(await screen.findByTestId("payment-refund-1"));
      await second.user.type(screen.getByTestId("refund-amount"), "1,50");
      expect(screen.getByTestId("refund-submit")).toBeDisabled();
      await second.user.type(screen.getByTestId("refund-reason"), "cold soup");
      await second.user.click(screen.getByTestId("refund-submit"));
      expect(await screen.findByTestId("payment-refund")).toHaveTextContent("Refunded €1.50: cold soup");
      expect(appliance.writes.at(-1)).toEqual({
        path: "/api/payments/1/refunds",
        key: expect.any(String),
        body: { amount: 150, reason: "cold soup" },
      });
    } finally {
      sessionStore.set(waiter);
    }
  });
});
