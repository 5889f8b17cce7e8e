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
import type { Order, PaymentCreate } from "@tavolo/api";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { outboxStore, type OutboxEntry } from "../../../lib/outbox";
import { draftStore } from "../../../shared/order-draft";
import { PaymentScreen } from "../index";
import { order, orderItem } from "../../../shared/test-data/order-data";

let bill: Order;

async function serve(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "EUR", restaurant_name: "T", timezone: "UTC", version: "1" });
    if (path === "/api/orders/7") return json(bill);
    return json({ status: "ok" });
  }
  const body = await received(request);
  if (path === "/api/orders/7/pay") {
    const paid = new Set((body as PaymentCreate).item_ids);
    bill = order(bill.items.map((item) => (paid.has(item.id) ? orderItem({ ...item, paid_quantity: item.quantity }) : item)));
    return json(bill, 201);
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
      path: "/api/orders/7/pay",
      key: expect.any(String),
      body: { item_ids: [1, 2], method: "cash", tip: 100 },
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
});
