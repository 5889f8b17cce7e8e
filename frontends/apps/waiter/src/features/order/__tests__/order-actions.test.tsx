// The order's "⋯" actions (transfer, merge, move items) on the order screen, against the stub appliance.
// First: it installs the stub appliance before the app's modules load.
import { appliance, json, received, renderAt, resetScreenState, setOutbox } from "../../../shared/test-data/screen-harness";
import type { Order, Table } from "@tavolo/api";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { reportReachability } from "../../../lib/connection";
import { OrderScreen } from "../index";
import { categories, products } from "./menu-data";
import { order, orderItem } from "../../../shared/test-data/order-data";

function table(number: number, overrides: Partial<Table> = {}): Table {
  return {
    id: number + 100,
    number,
    label: `T${number}`,
    seats: 4,
    group_id: null,
    group_name: null,
    is_active: true,
    pos_x: 0,
    pos_y: 0,
    state: "free",
    order_id: null,
    waiter_id: null,
    waiter_name: null,
    guests: null,
    total: 0,
    paid_total: 0,
    due: 0,
    item_count: 0,
    opened_at: null,
    is_mine: false,
    by_guests: false,
    assistant_ids: [],
    ...overrides,
  } as Table;
}

const FLOOR = [
  table(7, { id: 3, state: "open", order_id: 7, is_mine: true, total: 1300 }),
  table(8),
  table(9, { is_active: false }),
  table(10, { state: "open", order_id: 20, is_mine: true, total: 900, waiter_name: "Maria" }),
  table(11, { state: "partially_paid", order_id: 21, is_mine: false, total: 500, waiter_name: "Nikos" }),
];

let current: Order;
let refusal: { status: number; code: string; detail: string } | null;

async function serve(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
    if (path === "/api/products/categories") return json(categories);
    if (path === "/api/products/") return json(products);
    if (path === "/api/orders/7") return json(current);
    if (path === "/api/tables/") return json(FLOOR);
    if (path === "/api/system/health") return json({ status: "ok" });
    return json({ detail: "not here", code: "NOT_FOUND" }, 404);
  }
  const body = (await received(request)) as Record<string, unknown>;
  if (refusal) return json({ detail: refusal.detail, code: refusal.code }, refusal.status);
  if (path === "/api/orders/7/transfer") {
    current = { ...current, table_id: Number(body.table_id), table_label: "T8", table_number: 8 };
    return json(current);
  }
  if (path === "/api/orders/7/merge") {
    current = order([...current.items, orderItem({ id: 301, order_id: 7, product_name: "Merged", unit_price: 900 })]);
    return json(current);
  }
  if (path === "/api/orders/7/items/move") return json(current);
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

function mount() {
  return renderAt("/order/7", <Route path="/order/:ref">{(params) => <OrderScreen orderRef={params.ref} />}</Route>);
}

beforeEach(() => {
  resetScreenState();
  appliance.handler = serve;
  refusal = null;
  current = order([
    orderItem({ id: 1, product_name: "Beer", unit_price: 400, quantity: 4 }),
    orderItem({ id: 2, product_name: "Salad", unit_price: 500, paid_quantity: 1 }),
  ]);
});

afterEach(cleanup);

async function openActions() {
  const view = mount();
  await screen.findByTestId("order-total");
  await view.user.click(screen.getByTestId("order-actions"));
  return view;
}

describe("Transfer", () => {
  it("offers only free tables in service and transfers after the confirmation", async () => {
    const { user } = await openActions();
    await user.click(screen.getByTestId("transfer-order"));
    expect(await screen.findByTestId("pick-table-8")).toBeInTheDocument();
    expect(screen.queryByTestId("pick-table-9")).toBeNull();
    expect(screen.queryByTestId("pick-table-10")).toBeNull();
    expect(screen.getByTestId("order-action-confirm")).toBeDisabled();

    await user.click(screen.getByTestId("pick-table-8"));
    expect(screen.getByTestId("order-action-confirm")).toHaveTextContent("Transfer T7 to T8");
    expect(appliance.writes).toEqual([]);
    await user.click(screen.getByTestId("order-action-confirm"));

    await waitFor(() => expect(screen.queryByTestId("order-actions-sheet")).toBeNull());
    expect(appliance.writes).toEqual([{ path: "/api/orders/7/transfer", key: expect.any(String), body: { table_id: 108 } }]);
    expect(screen.getByRole("status")).toHaveTextContent("The order is now on T8");
    expect(screen.getByRole("heading", { name: "T8" })).toBeInTheDocument();
  });

  it("says in words why the appliance refused, and keeps the sheet open", async () => {
    refusal = { status: 409, code: "TABLE_HAS_OPEN_ORDER", detail: "Table T8 already has open order 30" };
    const { user } = await openActions();
    await user.click(screen.getByTestId("transfer-order"));
    await user.click(await screen.findByTestId("pick-table-8"));
    await user.click(screen.getByTestId("order-action-confirm"));
    expect(await screen.findByTestId("order-action-error")).toHaveTextContent(
      "That table has an open order now (someone opened it meanwhile)",
    );
    expect(screen.getByTestId("order-actions-sheet")).toBeInTheDocument();
  });
});

describe("Merge", () => {
  it("offers the tables with an open order, own first, and merges the chosen one into this order", async () => {
    const { user } = await openActions();
    await user.click(screen.getByTestId("merge-order"));
    const tiles = await screen.findAllByRole("radio");
    expect(tiles.map((tile) => tile.getAttribute("data-testid"))).toEqual(["pick-table-10", "pick-table-11"]);
    expect(screen.getByTestId("pick-table-11")).toHaveTextContent("Nikos");
    await user.click(screen.getByTestId("pick-table-10"));
    expect(screen.getByTestId("order-action-confirm")).toHaveTextContent("Merge T10 into T7");
    await user.click(screen.getByTestId("order-action-confirm"));
    await waitFor(() => expect(screen.queryByTestId("order-actions-sheet")).toBeNull());
    expect(appliance.writes).toEqual([{ path: "/api/orders/7/merge", key: expect.any(String), body: { order_id: 20 } }]);
    expect(await screen.findByTestId("item-301")).toBeInTheDocument();
  });

  it("tells the waiter another waiter's order is not theirs to merge", async () => {
    refusal = { status: 403, code: "NOT_ORDER_OWNER", detail: "This order belongs to another waiter" };
    const { user } = await openActions();
    await user.click(screen.getByTestId("merge-order"));
    await user.click(await screen.findByTestId("pick-table-11"));
    await user.click(screen.getByTestId("order-action-confirm"));
    expect(await screen.findByTestId("order-action-error")).toHaveTextContent("belongs to another waiter");
  });
});

describe("Move items", () => {
  it("moves chosen unpaid units to another table's order", async () => {
    const { user } = await openActions();
    await user.click(screen.getByTestId("move-items"));
    // The paid salad cannot move.
    expect(screen.queryByTestId("move-item-2")).toBeNull();
    await user.click(await screen.findByTestId("move-inc-1"));
    await user.click(screen.getByTestId("move-inc-1"));
    expect(screen.getByTestId("move-units-1")).toHaveTextContent("2 of 4");
    await user.click(screen.getByTestId("pick-table-10"));
    expect(screen.getByTestId("order-action-confirm")).toHaveTextContent("Move 2 items to T10");
    await user.click(screen.getByTestId("order-action-confirm"));
    await waitFor(() => expect(screen.queryByTestId("order-actions-sheet")).toBeNull());
    expect(appliance.writes).toEqual([
      { path: "/api/orders/7/items/move", key: expect.any(String), body: { items: [{ item_id: 1, quantity: 2 }], to_order_id: 20 } },
    ]);
  });

  it("explains a move payments already cover", async () => {
    refusal = { status: 409, code: "ITEMS_COVERED_BY_PAYMENTS", detail: "Payments already cover all but 0" };
    const { user } = await openActions();
    await user.click(screen.getByTestId("move-items"));
    await user.click(await screen.findByTestId("move-item-1"));
    await user.click(screen.getByTestId("pick-table-10"));
    await user.click(screen.getByTestId("order-action-confirm"));
    expect(await screen.findByTestId("order-action-error")).toHaveTextContent("ask a manager to refund first");
  });
});

describe("When the actions cannot be used", () => {
  it("holds them while the appliance is out of reach", async () => {
    await openActions();
    reportReachability(false);
    expect(await screen.findByTestId("order-actions-blocked")).toHaveTextContent("cannot be reached");
    expect(screen.getByTestId("transfer-order")).toBeDisabled();
  });

  it("holds them while writes of this order are still queued", async () => {
    setOutbox([
      {
        id: "pay-1",
        kind: "pay",
        orderRef: "7",
        tableId: 3,
        path: "/api/orders/7/payments",
        body: { method: "cash", tip: 0, amount: 100 },
        label: "Pay",
        createdAt: Date.now(),
        state: "queued",
        attempts: 1,
        userId: 1,
      },
    ]);
    appliance.handler = (request) => (request.method === "POST" ? json({ detail: "busy", code: "BUSY" }, 503) : serve(request));
    await openActions();
    expect(screen.getByTestId("order-actions-blocked")).toHaveTextContent("still waiting to be sent");
    expect(screen.getByTestId("merge-order")).toBeDisabled();
  });
});
