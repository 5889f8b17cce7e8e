// The order screen while the license pauses new items: the draft is kept, sending is off with the reason,
// paying stays on. First: it installs the stub appliance before the app's modules load.
import { appliance, json, renderAt, resetScreenState } from "../../../shared/test-data/screen-harness";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { order, orderItem } from "../../../shared/test-data/order-data";
import { OrderScreen } from "../index";
import { categories, products } from "./menu-data";

let allowsOrders: boolean;

function serve(request: Request): Response {
  const path = new URL(request.url).pathname;
  if (request.method !== "GET") return json({ detail: "refused", code: "LICENSE_EXPIRED" }, 402);
  if (path === "/api/license") {
    return json(
      allowsOrders
        ? { state: "active", code: "ACTIVE", allows_orders: true, reason: "" }
        : { state: "restricted", code: "TRIAL_ENDED", allows_orders: false, reason: "" },
    );
  }
  if (path === "/api/system/info") {
    return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
  }
  if (path === "/api/products/categories") return json(categories);
  if (path === "/api/products/") return json(products);
  if (path === "/api/orders/7") return json(order([orderItem({ id: 101 })]));
  if (path === "/api/tables/") return json([]);
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

async function reviewOneItem() {
  const { user, client } = renderAt(
    "/order/7",
    <Route path="/order/:ref">{(params) => <OrderScreen orderRef={params.ref} />}</Route>,
  );
  await screen.findByTestId("item-101");
  await waitFor(() => expect(client.getQueryData(["license"])).toBeDefined());
  await user.click(await screen.findByTestId("category-2"));
  await user.click(screen.getByTestId("product-1"));
  await user.click(screen.getByTestId("review-draft"));
}

beforeEach(() => {
  resetScreenState();
  appliance.handler = serve;
});

afterEach(cleanup);

describe("OrderScreen while new orders are paused", () => {
  it("keeps the draft and switches sending off with the reason, while paying stays on", async () => {
    allowsOrders = false;
    await reviewOneItem();
    const send = await screen.findByTestId("send-draft");
    expect(await screen.findByText(/New orders are paused: the free trial has ended\./)).toBeInTheDocument();
    expect(send).toBeDisabled();
    expect(screen.getAllByTestId("review-line")).toHaveLength(1);
    expect(localStorage.getItem("tavolo.draft.7")).not.toBeNull();
    expect(screen.getByTestId("go-pay")).toBeEnabled();
    expect(appliance.writes).toEqual([]);
  });

  it("sends as usual while the license allows orders", async () => {
    allowsOrders = true;
    await reviewOneItem();
    expect(await screen.findByTestId("send-draft")).toBeEnabled();
    expect(screen.queryByText(/New orders are paused/)).toBeNull();
  });
});
