// UPI on the payment screen against a stub appliance: the QR of a share, its live status, Cancel, the reasons
// UPI cannot be used, and a QR left open shown again instead of a second one for the same money.
// First: it installs the stub appliance before the app's modules load.
import { appliance, json, received, renderAt, resetScreenState } from "../../../shared/test-data/screen-harness";
import type { Order, Payment, UpiAvailability, UpiRequest, UpiRequestCreate } from "@tavolo/api";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { order, orderItem } from "../../../shared/test-data/order-data";
import { countdown } from "../components/upi-panel";
import { PaymentScreen } from "../index";

const METHODS = [
  { id: 1, code: "cash", name: "Cash", kind: "cash", is_active: true, sort_order: 10, created_at: "2026-01-01T00:00:00Z" },
  { id: 3, code: "upi", name: "UPI", kind: "upi", is_active: true, sort_order: 30, created_at: "2026-01-01T00:00:00Z" },
];
const PAYLOAD = "upi://pay?pa=tavolo.fake@upi&pn=Tavolo&tr=qr_1&am=5.00&cu=INR";
const POLL_WAIT = { timeout: 4_000 };

let bill: Order;
let status: UpiAvailability;
let requests: UpiRequest[];
/** What the create route answers instead of a QR, when set. */
let refuse: { status: number; code: string; detail: string } | null;

function upiRequest(id: number, body: UpiRequestCreate, overrides: Partial<UpiRequest> = {}): UpiRequest {
  return {
    id,
    order_id: 7,
    amount: body.amount ?? bill.due,
    split_part: body.split_part ?? null,
    gateway: "fake",
    qr_id: `qr_${id}`,
    image_url: null,
    payload: PAYLOAD,
    status: "pending",
    razorpay_payment_id: null,
    credited_amount: null,
    payment_id: null,
    unapplied_reason: null,
    created_by_id: 1,
    created_at: new Date().toISOString(),
    closes_at: new Date(Date.now() + 15 * 60_000).toISOString(),
    paid_at: null,
    ended_at: null,
    acknowledged_at: null,
    last_error: null,
    ...overrides,
  };
}

/** The guest's bank credits the QR: the appliance records the payment on the bill and the request is paid. */
function guestPays(id: number): void {
  const row = requests.find((r) => r.id === id)!;
  const payment: Payment = {
    id: bill.payments.length + 1,
    order_id: 7,
    method: "upi",
    amount: row.amount,
    tip: 0,
    tendered: null,
    change_due: 0,
    reference: "pay_fake1",
    split_part: row.split_part,
    created_by_id: 1,
    created_at: "2026-01-01T12:30:00Z",
    item_ids: [],
    items: [],
    refunds: [],
    refunded: 0,
  };
  const paid = bill.paid_total + row.amount;
  bill = order(bill.items, {
    guests: bill.guests,
    payments: [...bill.payments, payment],
    paid_total: paid,
    due: bill.total - paid,
    status: "partially_paid",
    updated_at: "2026-01-01T12:31:00Z",
  });
  requests = requests.map((r) => (r.id === id ? { ...r, status: "paid", payment_id: payment.id, razorpay_payment_id: "pay_fake1" } : r));
}

async function serve(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "INR", restaurant_name: "T", timezone: "UTC", version: "1" });
    if (path === "/api/orders/7") return json(bill);
    if (path === "/api/payment-methods") return json(METHODS);
    if (path === "/api/upi/status") return json(status);
    if (path === "/api/upi/") return json(requests);
    const one = /^\/api\/upi\/(\d+)$/.exec(path);
    if (one) return json(requests.find((r) => r.id === Number(one[1])));
    return json({ status: "ok" });
  }
  if (path === "/api/orders/7/split") return json({ detail: "no", code: "NOT_FOUND" }, 404);
  const body = await received(request);
  if (path === "/api/orders/7/upi") {
    if (refuse) return json({ detail: refuse.detail, code: refuse.code }, refuse.status);
    const made = upiRequest(requests.length + 1, body as UpiRequestCreate);
    requests = [made, ...requests];
    return json(made, 201);
  }
  const cancelled = /^\/api\/upi\/(\d+)\/cancel$/.exec(path);
  if (cancelled) {
    requests = requests.map((r) => (r.id === Number(cancelled[1]) ? { ...r, status: "cancelled" } : r));
    return json(requests.find((r) => r.id === Number(cancelled[1])));
  }
  return json({ detail: "no", code: "NOT_FOUND" }, 404);
}

function mount() {
  return renderAt(
    "/order/7/pay",
    <Route path="/order/:ref/pay">{(params) => <PaymentScreen orderRef={params.ref} />}</Route>,
  );
}

/** An even split of 1000 between two guests: two shares of 500. */
async function evenSplitOfTwo() {
  const screenUser = mount();
  await screenUser.user.click(await screen.findByTestId("split-mode-even"));
  await waitFor(() => expect(screen.getByTestId("split-part-1")).toHaveAttribute("aria-pressed", "true"));
  return screenUser;
}

beforeEach(() => {
  resetScreenState();
  bill = order([orderItem({ id: 1, unit_price: 400 }), orderItem({ id: 2, unit_price: 600 })], { guests: 2 });
  status = { available: true, gateway: "fake", code: null, reason: null };
  requests = [];
  refuse = null;
  appliance.handler = serve;
});

afterEach(cleanup);

describe("UPI on the payment screen", () => {
  it("shows the QR of the chosen share with its amount, then marks the share paid when the credit comes in", async () => {
    const { user } = await evenSplitOfTwo();
    await waitFor(() => expect(screen.getByTestId("pay-method-upi")).toBeEnabled());
    await user.click(screen.getByTestId("pay-method-upi"));

    const qr = await screen.findByTestId("upi-qr");
    expect(qr).toHaveAttribute("data-payload", PAYLOAD);
    expect(screen.getByTestId("upi-amount")).toHaveAttribute("data-amount", "500");
    expect(screen.getByTestId("upi-status")).toHaveAttribute("data-status", "pending");
    expect(screen.getByTestId("upi-expiry")).toHaveTextContent(/Closes in 1[45]:\d\d/);
    expect(appliance.writes).toEqual([
      { path: "/api/orders/7/upi", key: expect.any(String), body: { amount: 500, split_part: "1/2" } },
    ]);

    guestPays(1);
    await waitFor(() => expect(screen.queryByTestId("upi-panel")).toBeNull(), POLL_WAIT);
    await waitFor(() => expect(screen.getByTestId("split-part-1")).toHaveAttribute("data-paid", "true"));
    // The screen moves on to the next share, ready for the next guest.
    expect(screen.getByTestId("split-part-2")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("pay-due")).toHaveAttribute("data-amount", "500");
    expect(screen.getByText(/Paid 1\/2: ₹5\.00 by UPI/)).toBeInTheDocument();
    // The phone never records a UPI payment itself: only the QR was asked for.
    expect(appliance.writes.map((w) => w.path)).toEqual(["/api/orders/7/upi"]);
  });

  it("cancels an open QR, then offers a new one", async () => {
    const { user } = await evenSplitOfTwo();
    await waitFor(() => expect(screen.getByTestId("pay-method-upi")).toBeEnabled());
    await user.click(screen.getByTestId("pay-method-upi"));
    await screen.findByTestId("upi-qr");
    await user.click(screen.getByTestId("upi-cancel"));
    await waitFor(() => expect(screen.getByTestId("upi-status")).toHaveAttribute("data-status", "cancelled"));
    expect(screen.queryByTestId("upi-cancel")).toBeNull();
    expect(appliance.writes.at(-1)?.path).toBe("/api/upi/1/cancel");

    await user.click(screen.getByTestId("upi-again"));
    await waitFor(() => expect(screen.getByTestId("upi-qr")).toHaveAttribute("data-qr-id", "qr_2"));
    const creates = appliance.writes.filter((w) => w.path === "/api/orders/7/upi");
    expect(creates).toHaveLength(2);
    // A new QR is a new intent: it must not replay the first one's answer.
    expect(creates[0]?.key).not.toBe(creates[1]?.key);
  });

  it("greys UPI out with Razorpay's trouble in words, and cash still works", async () => {
    status = { available: false, gateway: "razorpay", code: "UPI_UNAVAILABLE", reason: "Razorpay timed out" };
    await evenSplitOfTwo();
    await waitFor(() =>
      expect(screen.getByTestId("pay-method-upi")).toHaveTextContent("Razorpay unreachable — use cash or card"),
    );
    expect(screen.getByTestId("pay-method-upi")).toBeDisabled();
    expect(screen.getByTestId("pay-method-cash")).toBeEnabled();
  });

  it("says in words why the appliance could not make the QR", async () => {
    refuse = { status: 503, code: "UPI_UNAVAILABLE", detail: "Razorpay could not be reached" };
    const { user } = await evenSplitOfTwo();
    await waitFor(() => expect(screen.getByTestId("pay-method-upi")).toBeEnabled());
    await user.click(screen.getByTestId("pay-method-upi"));
    expect(await screen.findByTestId("upi-error")).toHaveTextContent("Razorpay cannot be reached right now: take cash or card.");
    expect(screen.queryByTestId("upi-qr")).toBeNull();
    expect(screen.getByTestId("upi-status")).toHaveAttribute("data-status", "none");
  });

  it("shows a QR left open again instead of asking for the same money twice", async () => {
    requests = [upiRequest(9, { amount: 500, split_part: "1/2" })];
    const { user } = await evenSplitOfTwo();
    expect(await screen.findByTestId("upi-open-9")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("pay-method-upi")).toBeEnabled());
    await user.click(screen.getByTestId("pay-method-upi"));
    await waitFor(() => expect(screen.getByTestId("upi-qr")).toHaveAttribute("data-qr-id", "qr_9"));
    expect(appliance.writes).toEqual([]);
  });
});

describe("countdown", () => {
  it("counts minutes and seconds down to the QR's close, never below zero", () => {
    const closes = "2026-01-01T12:15:00Z";
    expect(countdown(closes, Date.parse("2026-01-01T12:00:00Z"))).toBe("15:00");
    expect(countdown(closes, Date.parse("2026-01-01T12:14:51Z"))).toBe("0:09");
    expect(countdown(closes, Date.parse("2026-01-01T12:16:00Z"))).toBe("0:00");
  });
});
