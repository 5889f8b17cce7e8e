import { appliance, json, sent } from "../../../test/stub-appliance";
import { act, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLang } from "../../../lib/i18n";
import { tableStore } from "../../../lib/live";
import type { GuestOrder } from "../../../lib/types";
import { guestOrder, orderItem, payment } from "../../../test/order-data";
import { renderWithQueries } from "../../../test/render";
import { OrderScreen } from "../../order";
import { rememberPayment } from "../model/remembered";

type Handler = (request: Request) => Response | Promise<Response>;

/** The appliance of these tests: one answer per "METHOD /path"; anything else is a test mistake. */
function route(handlers: Record<string, Handler>) {
  appliance.mockImplementation(async (request) => {
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const handler = handlers[key];
    return handler ? handler(request) : json(500, { code: "NOT_IN_TEST", detail: key });
  });
}

// Anna ordered ₹550, Nikos ₹450: a bill of ₹1000, nothing asked for yet.
function tableOrder(payments: Partial<GuestOrder["payments"]> = {}): GuestOrder {
  return guestOrder([orderItem(1, "Anna", 55000), orderItem(2, "Nikos", 45000)], payments);
}

function show(order: GuestOrder | null) {
  act(() => tableStore.set({ cart: null, order }));
}

function renderScreen(token = "tok") {
  return renderWithQueries(<OrderScreen token={token} currency="INR" nickname="anna" />);
}

describe("paying my share by UPI", () => {
  beforeEach(() => {
    appliance.mockReset();
    setLang("en");
    rememberPayment("tok", null);
    show(tableOrder());
  });

  it("shows who ordered each line and what it costs", () => {
    renderScreen();
    const rows = screen.getAllByTestId("order-item");
    expect(within(rows[0]!).getByTestId("order-item-meta")).toHaveTextContent("Anna (you)");
    expect(within(rows[0]!).getByTestId("order-item-meta")).toHaveTextContent("₹550.00");
    expect(within(rows[1]!).getByTestId("order-item-who")).toHaveTextContent(/^Nikos$/);
  });

  it("offers my items, an even split between the names at the table, and the rest", async () => {
    const user = renderScreen();
    expect(screen.getByTestId("pay-share-mine-amount")).toHaveAttribute("data-amount", "55000");
    expect(screen.getByTestId("pay-share-rest-amount")).toHaveAttribute("data-amount", "100000");
    expect(screen.getByTestId("pay-create")).toBeDisabled();
    await user.click(screen.getByTestId("pay-share-even"));
    expect(screen.getByTestId("pay-parts")).toHaveAttribute("data-value", "2");
    expect(screen.getByTestId("pay-share-even-amount")).toHaveTextContent("about ₹500.00 each");
    await user.click(screen.getByTestId("pay-parts-plus"));
    expect(screen.getByTestId("pay-share-even-amount")).toHaveTextContent("about ₹333.34 each");
    expect(screen.getByTestId("pay-create")).toHaveTextContent("Pay ₹333.34 by UPI");
    await user.click(screen.getByTestId("pay-share-amount"));
    await user.type(screen.getByTestId("pay-amount-input"), "2000");
    expect(screen.getByTestId("pay-amount-problem")).toHaveTextContent("more than is left to pay (₹1,000.00)");
    expect(screen.getByTestId("pay-create")).toBeDisabled();
  });

  it("hides my items when nothing unpaid is under my name", () => {
    show(guestOrder([orderItem(1, "Anna", 55000, { paid_quantity: 1 }), orderItem(2, "Nikos", 45000)]));
    renderScreen();
    expect(screen.queryByTestId("pay-share-mine")).toBeNull();
    expect(screen.getByTestId("pay-share-rest")).toBeInTheDocument();
  });

  it("says quietly why guests cannot pay, with nothing to tap", () => {
    show(tableOrder({ available: false, reason: "Paying by UPI is not possible right now; please ask the staff" }));
    renderScreen();
    expect(screen.getByTestId("pay-unavailable")).toHaveTextContent("please ask the staff");
    expect(screen.queryByTestId("pay-create")).toBeNull();
    act(() => setLang("el"));
    expect(screen.getByTestId("pay-unavailable")).toHaveTextContent("ρωτήστε το προσωπικό");
  });

  it("makes the QR with an idempotency key, then shows the amount, the UPI link, the QR and the time", async () => {
    const made = payment(7);
    route({
      "POST /api/guest/tok/payments": () => json(201, made),
      "GET /api/guest/tok/payments/7": () => json(200, made),
    });
    const user = renderScreen();
    await user.click(screen.getByTestId("pay-share-mine"));
    expect(screen.getByTestId("pay-create")).toHaveTextContent("Pay ₹550.00 by UPI");
    await user.click(screen.getByTestId("pay-create"));

    const panel = await screen.findByTestId("pay-panel");
    expect(panel).toHaveAttribute("data-status", "pending");
    expect(screen.getByTestId("pay-amount")).toHaveAttribute("data-amount", "55000");
    expect(screen.getByTestId("pay-open-upi")).toHaveAttribute("href", made.payload);
    expect(screen.getByTestId("pay-open-upi")).toHaveTextContent("Open UPI app");
    expect(screen.getByTestId("pay-expiry")).toHaveTextContent(/Closes in 1[45]:\d\d/);
    const qr = await screen.findByTestId("pay-qr-image");
    expect(qr).toHaveAttribute("src", expect.stringContaining("data:image/svg+xml"));
    expect(sessionStorage.getItem("tavolo.guest.payment.tok")).toBe("7");

    const [create] = await sent();
    expect(create).toMatchObject({
      method: "POST",
      path: "/api/guest/tok/payments",
      auth: null,
      body: { nickname: "anna", share: "mine" },
    });
    const key = appliance.mock.calls[0]![0].headers.get("Idempotency-Key");
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns to paid when the socket brings the bill with the QR paid", async () => {
    rememberPayment("tok", 7);
    route({ "GET /api/guest/tok/payments/7": () => json(200, payment(7)) });
    const user = renderScreen();
    expect(await screen.findByTestId("pay-status")).toHaveAttribute("data-status", "pending");
    route({ "GET /api/guest/tok/payments/7": () => json(200, payment(7, { status: "paid" })) });
    show(tableOrder({ open_for: 45000, requests: [payment(7, { status: "paid" })] }));
    const status = await screen.findByText("Paid ₹550.00 — thank you");
    expect(status).toHaveAttribute("data-status", "paid");
    expect(screen.queryByTestId("pay-open-upi")).toBeNull();
    // This phone's own payment is in its panel, not again in the table's list.
    expect(screen.queryByTestId("pay-request")).toBeNull();
    await user.click(screen.getByTestId("pay-done"));
    expect(screen.queryByTestId("pay-panel")).toBeNull();
    expect(screen.getByTestId("pay-request")).toHaveTextContent("You paid ₹550.00");
    // Paid for: my items are not offered again, the rest is.
    expect(screen.queryByTestId("pay-share-mine")).toBeNull();
    expect(screen.getByTestId("pay-share-rest-amount")).toHaveAttribute("data-amount", "45000");
    expect(sessionStorage.getItem("tavolo.guest.payment.tok")).toBeNull();
  });

  it("says when the QR expired and offers to try again", async () => {
    rememberPayment("tok", 7);
    route({ "GET /api/guest/tok/payments/7": () => json(200, payment(7, { status: "expired" })) });
    const user = renderScreen();
    expect(await screen.findByTestId("pay-status")).toHaveTextContent("expired before it was paid");
    await user.click(screen.getByTestId("pay-again"));
    expect(screen.getByTestId("pay-share-mine")).toBeInTheDocument();
  });

  it("cancels an open QR", async () => {
    rememberPayment("tok", 7);
    route({
      "GET /api/guest/tok/payments/7": () => json(200, payment(7)),
      "POST /api/guest/tok/payments/7/cancel": () => json(200, payment(7, { status: "cancelled" })),
    });
    const user = renderScreen();
    await user.click(await screen.findByTestId("pay-cancel"));
    await vi.waitFor(() => expect(screen.getByTestId("pay-status")).toHaveAttribute("data-status", "cancelled"));
    expect(screen.getByTestId("pay-status")).toHaveTextContent("was cancelled");
    expect(screen.getByTestId("pay-again")).toBeInTheDocument();
  });

  it("still shows the result after a reload, once the bill has closed", async () => {
    sessionStorage.setItem("tavolo.guest.payment.reloaded", "9");
    show(guestOrder([]));
    route({ "GET /api/guest/reloaded/payments/9": () => json(200, payment(9, { status: "paid", amount: 45000 })) });
    renderScreen("reloaded");
    expect(await screen.findByTestId("pay-status")).toHaveTextContent("Paid ₹450.00 — thank you");
    expect(screen.queryByText("Nothing has been ordered at this table yet.")).toBeNull();
  });

  it("forgets a payment the appliance no longer knows", async () => {
    sessionStorage.setItem("tavolo.guest.payment.old", "3");
    route({ "GET /api/guest/old/payments/3": () => json(404, { code: "GUEST_PAYMENT_NOT_FOUND", detail: "gone" }) });
    renderScreen("old");
    await vi.waitFor(() => expect(screen.getByTestId("pay-share-mine")).toBeInTheDocument());
    expect(sessionStorage.getItem("tavolo.guest.payment.old")).toBeNull();
  });

  it("explains a refusal in the guest's words, in Greek too", async () => {
    route({
      "POST /api/guest/tok/payments": () => json(409, { code: "GUEST_NOTHING_OF_YOURS", detail: "No unpaid items" }),
    });
    const user = renderScreen();
    await user.click(screen.getByTestId("pay-share-mine"));
    await user.click(screen.getByTestId("pay-create"));
    expect(await screen.findByTestId("pay-error")).toHaveTextContent("Nothing unpaid was ordered under your name");
    act(() => setLang("el"));
    expect(screen.getByTestId("pay-error")).toHaveTextContent("Δεν υπάρχει τίποτα απλήρωτο με το όνομά σας");
    expect(screen.queryByTestId("pay-panel")).toBeNull();
  });

  it("retries a lost answer with the same key, and asks anew after a refusal", async () => {
    appliance.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    route({ "POST /api/guest/tok/payments": () => json(503, { code: "UPI_UNAVAILABLE", detail: "down" }) });
    const user = renderScreen();
    await user.click(screen.getByTestId("pay-share-rest"));
    await user.click(screen.getByTestId("pay-create"));
    expect(await screen.findByTestId("pay-error")).toHaveTextContent("Cannot reach the restaurant's system");
    await user.click(screen.getByTestId("pay-create"));
    await vi.waitFor(() => expect(screen.getByTestId("pay-error")).toHaveTextContent("not possible right now"));
    await user.click(screen.getByTestId("pay-create"));
    await vi.waitFor(() => expect(appliance).toHaveBeenCalledTimes(3));
    const keys = appliance.mock.calls.map(([request]) => request.headers.get("Idempotency-Key"));
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it("lists every QR of the bill for the whole table", () => {
    show(
      tableOrder({
        open_for: 0,
        requests: [
          payment(1, { nickname: "Nikos", amount: 45000 }),
          payment(2, { nickname: "Nikos", amount: 10000, status: "paid", share: "1/3" }),
          payment(3, { by_guest: false, nickname: null, share: "1/2", amount: 30000 }),
          payment(4, { by_guest: false, nickname: null, share: null, amount: 20000, status: "paid" }),
          payment(5, { nickname: "ANNA", amount: 5000, share: "the rest" }),
        ],
      }),
    );
    renderScreen();
    const rows = screen.getAllByTestId("pay-request").map((row) => row.textContent);
    expect(rows).toEqual([
      "Nikos is paying ₹450.00 (their items)",
      "Nikos paid ₹100.00",
      "UPI QR shown by the waiter · ₹300.00",
      "Paid by UPI at the table · ₹200.00",
      "You are paying ₹50.00 (the rest)",
    ]);
    expect(screen.getByTestId("pay-all-asked")).toBeInTheDocument();
    expect(screen.queryByTestId("pay-create")).toBeNull();
    act(() => setLang("el"));
    expect(screen.getAllByTestId("pay-request")[0]).toHaveTextContent("Nikos πληρώνει ₹450.00 (όσα παρήγγειλε)");
  });
});
