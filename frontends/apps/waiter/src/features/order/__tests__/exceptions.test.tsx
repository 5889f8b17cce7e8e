// Discounts, comps and voids on the order screen, against the stub appliance: a waiter needs a manager's PIN
// typed on the phone (POST /api/auth/approvals), whose one-time token goes in X-Manager-Approval; a manager
// does not. Refusals are shown in words.
// First: it installs the stub appliance before the app's modules load.
import { appliance, json, received, renderAt, resetScreenState } from "../../../shared/test-data/screen-harness";
import type { Discount, DiscountCreate, Order } from "@tavolo/api";
import { cleanup, screen, waitFor } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { sessionStore } from "../../../lib/session";
import { order, orderItem } from "../../../shared/test-data/order-data";
import { parsePercent } from "../api/exceptions";
import { OrderScreen } from "../index";
import { categories, products } from "./menu-data";

const TOKEN = "approval-token-1";
const BOSS = { id: 9, username: "boss", display_name: "Boss", role: "manager" };

let current: Order;
/** Approval header of each write, by path, in order. */
let sent: { method: string; path: string; approval: string | null; body: unknown; bearer?: string | null }[];
let pinIsRight: boolean;
/** The phone's access token has expired: anything sent with it is refused until the session is renewed. */
let accessExpired: boolean;
let discountRefusal: { status: number; code: string; detail: string } | null;

async function serve(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
    if (path === "/api/products/categories") return json(categories);
    if (path === "/api/products/") return json(products);
    if (path === "/api/orders/7") return json(current);
    if (path === "/api/system/health") return json({ status: "ok" });
    return json({ detail: "not here", code: "NOT_FOUND" }, 404);
  }
  const approval = request.headers.get("X-Manager-Approval");
  const bearer = request.headers.get("Authorization");
  const body = await received(request);
  sent.push({ method: request.method, path, approval, body, bearer });
  if (path === "/api/auth/refresh") {
    accessExpired = false;
    return json({ access_token: "access-2", refresh_token: "refresh-2", token_type: "bearer", expires_in: 28800, user: waiter });
  }
  if (accessExpired && bearer === "Bearer access-1") {
    return json({ detail: "Token expired", code: "NOT_AUTHENTICATED" }, 401);
  }
  if (path === "/api/auth/approvals") {
    if (!pinIsRight) return json({ detail: "Wrong username or PIN", code: "APPROVAL_DENIED" }, 403);
    const asked = body as { action: string; order_id: number };
    return json({ approval_token: TOKEN, manager: BOSS, action: asked.action, order_id: asked.order_id, expires_in: 300 });
  }
  if (path === "/api/orders/7/discounts") {
    if (approval !== TOKEN && sessionStore.get()?.role !== "manager") {
      return json({ detail: "A manager must approve this", code: "MANAGER_APPROVAL_REQUIRED" }, 403);
    }
    if (discountRefusal) return json({ detail: discountRefusal.detail, code: discountRefusal.code }, discountRefusal.status);
    const asked = body as DiscountCreate;
    const item = current.items.find((i) => i.id === asked.item_id);
    const amount = asked.kind === "comp" ? (item?.line_total ?? current.total) : asked.kind === "percent" ? Math.round((current.total * (asked.value ?? 0)) / 10_000) : (asked.value ?? 0);
    const discount: Discount = {
      id: current.discounts.length + 1,
      order_id: 7,
      item_id: asked.item_id ?? null,
      kind: asked.kind,
      value: asked.value ?? 0,
      amount,
      reason: asked.reason,
      created_by_id: 1,
      approved_by_id: 9,
      created_at: "2026-01-01T12:10:00Z",
      removed_at: null,
      removed_by_id: null,
      removed_approved_by_id: null,
    };
    current = { ...current, discounts: [...current.discounts, discount], total: current.total - amount, due: current.due - amount };
    return json({ discount, order: current }, 201);
  }
  const voided = /^\/api\/orders\/7\/items\/(\d+)$/.exec(path);
  if (voided && request.method === "DELETE") {
    const reason = (body as { reason: string }).reason;
    current = order(
      current.items.map((i) => (i.id === Number(voided[1]) ? orderItem({ ...i, status: "cancelled", cancel_reason: reason }) : i)),
    );
    return json(current);
  }
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

function mount() {
  return renderAt("/order/7", <Route path="/order/:ref">{(params) => <OrderScreen orderRef={params.ref} />}</Route>);
}

async function typeManagerPin(user: UserEvent, username: string, pin: string) {
  await user.type(await screen.findByTestId("approval-username"), username);
  for (const digit of pin) await user.click(screen.getByTestId(`pin-key-${digit}`));
  await user.click(screen.getByTestId("approval-submit"));
}

const waiter = sessionStore.get();

beforeEach(() => {
  resetScreenState();
  current = order([
    orderItem({ id: 1, product_name: "Moussaka", unit_price: 1400, status: "served", printed: true }),
    orderItem({ id: 2, product_name: "Frappe", unit_price: 350, paid_quantity: 1 }),
  ]);
  sent = [];
  pinIsRight = true;
  accessExpired = false;
  discountRefusal = null;
  appliance.handler = serve;
  sessionStore.set(waiter);
});

afterEach(() => {
  cleanup();
  sessionStore.set(waiter);
  // A test that renewed the session leaves the next one the tokens the stub started with.
  localStorage.setItem("tavolo.access", "access-1");
  localStorage.setItem("tavolo.refresh", "refresh-1");
});

describe("a waiter's discount, comp or void", () => {
  it("comps an item once a manager typed their PIN on the phone, sending the one-time token", async () => {
    const { user } = mount();
    // A paid item cannot be changed: it has no actions.
    await screen.findByTestId("item-1");
    expect(screen.queryByTestId("item-actions-2")).toBeNull();
    await user.click(screen.getByTestId("item-actions-1"));
    await user.click(screen.getByTestId("comp-item-1"));
    const submit = screen.getByTestId("discount-submit");
    expect(submit).toBeDisabled();
    expect(submit).toHaveTextContent("Give a reason");
    await user.type(screen.getByTestId("discount-reason"), "cold food");
    expect(submit).toHaveTextContent("Comp Moussaka: ask a manager");
    await user.click(submit);

    await typeManagerPin(user, "boss", "9999");
    await waitFor(() => expect(screen.queryByTestId("exception-sheet")).toBeNull());
    expect(sent.map(({ bearer: _, ...write }) => write)).toEqual([
      {
        method: "POST",
        path: "/api/auth/approvals",
        approval: null,
        body: { username: "boss", pin: "9999", action: "discount", order_id: 7 },
      },
      {
        method: "POST",
        path: "/api/orders/7/discounts",
        approval: TOKEN,
        body: { kind: "comp", reason: "cold food", item_id: 1 },
      },
    ]);
    expect(appliance.writes[1]?.key).toEqual(expect.any(String));
    expect(screen.getByRole("status")).toHaveTextContent("Comped Moussaka: €14.00 (approved by Boss)");
    expect(screen.getByTestId("item-discount-1")).toHaveTextContent("Comp (−€14.00): cold food");
  });

  it("says a wrong manager PIN in words, clears it, and sends no discount", async () => {
    pinIsRight = false;
    const { user } = mount();
    await user.click(await screen.findByTestId("item-actions-1"));
    await user.click(screen.getByTestId("discount-item-1"));
    await user.type(screen.getByTestId("discount-value"), "10");
    await user.type(screen.getByTestId("discount-reason"), "birthday");
    expect(screen.getByTestId("discount-submit")).toHaveTextContent("Take 10% off Moussaka: ask a manager");
    await user.click(screen.getByTestId("discount-submit"));
    await typeManagerPin(user, "boss", "1111");

    expect(await screen.findByTestId("approval-error")).toHaveTextContent("Wrong manager username or PIN.");
    expect(screen.getByTestId("pin-display")).toHaveAttribute("data-length", "0");
    expect(sent.map((w) => w.path)).toEqual(["/api/auth/approvals"]);
  });

  it("renews an expired session of the phone before the approval, counting the manager's PIN once", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("item-actions-1"));
    await user.click(screen.getByTestId("comp-item-1"));
    await user.type(screen.getByTestId("discount-reason"), "cold food");
    await user.click(screen.getByTestId("discount-submit"));
    accessExpired = true;
    pinIsRight = false;
    await typeManagerPin(user, "boss", "1111");
    expect(await screen.findByTestId("approval-error")).toHaveTextContent("Wrong manager username or PIN.");
    // Refused for the token (the PIN never looked at), renewed, then one look at the PIN: never two.
    const renewed = sent.findIndex((w) => w.path === "/api/auth/refresh");
    expect(renewed).toBeGreaterThan(0);
    expect(sent.slice(0, renewed).every((w) => w.bearer === "Bearer access-1")).toBe(true);
    expect(sent.slice(renewed + 1).map((w) => [w.path, w.bearer])).toEqual([["/api/auth/approvals", "Bearer access-2"]]);
  });

  it("voids an unpaid item with a reason under an approval for a void", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("item-actions-1"));
    await user.click(screen.getByTestId("void-item-1"));
    expect(screen.queryByTestId("discount-value")).toBeNull();
    await user.type(screen.getByTestId("discount-reason"), "ordered twice");
    await user.click(screen.getByTestId("discount-submit"));
    await typeManagerPin(user, "boss", "9999");

    await waitFor(() => expect(screen.getByTestId("item-1")).toHaveAttribute("data-status", "cancelled"));
    expect(sent.map(({ method, path, approval, body }) => [method, path, approval, body])).toEqual([
      ["POST", "/api/auth/approvals", null, { username: "boss", pin: "9999", action: "void", order_id: 7 }],
      ["DELETE", "/api/orders/7/items/1", TOKEN, { reason: "ordered twice" }],
    ]);
  });

  it("shows a refusal after the approval in words, and retries under the same approval without a second PIN", async () => {
    discountRefusal = { status: 422, code: "DISCOUNT_TOO_LARGE", detail: "too large" };
    const { user } = mount();
    await user.click(await screen.findByTestId("discount-order"));
    await user.click(screen.getByTestId("discount-kind-amount"));
    await user.type(screen.getByTestId("discount-value"), "99");
    await user.type(screen.getByTestId("discount-reason"), "regular");
    await user.click(screen.getByTestId("discount-submit"));
    await typeManagerPin(user, "boss", "9999");

    expect(await screen.findByTestId("discount-error")).toHaveTextContent("That is more than is left to discount.");
    expect(screen.getByTestId("approval-held")).toHaveTextContent("Approved by Boss");
    discountRefusal = null;
    await user.clear(screen.getByTestId("discount-value"));
    await user.type(screen.getByTestId("discount-value"), "2,50");
    expect(screen.getByTestId("discount-submit")).toHaveTextContent("Take €2.50 off the bill");
    await user.click(screen.getByTestId("discount-submit"));
    await waitFor(() => expect(screen.queryByTestId("exception-sheet")).toBeNull());
    const discounts = sent.filter((w) => w.path === "/api/orders/7/discounts");
    expect(discounts.map((w) => [w.approval, w.body])).toEqual([
      [TOKEN, { kind: "amount", value: 9900, reason: "regular" }],
      [TOKEN, { kind: "amount", value: 250, reason: "regular" }],
    ]);
    expect(sent.filter((w) => w.path === "/api/auth/approvals")).toHaveLength(1);
    expect(screen.getByTestId("order-discount-1")).toHaveTextContent("Bill discount: regular");
  });
});

describe("a manager's discount", () => {
  it("needs no approval step: the manager's own session is the approval", async () => {
    sessionStore.set({ ...waiter!, role: "manager" });
    const { user } = mount();
    await user.click(await screen.findByTestId("discount-order"));
    await user.type(screen.getByTestId("discount-value"), "12,5");
    await user.type(screen.getByTestId("discount-reason"), "event");
    expect(screen.getByTestId("discount-submit")).toHaveTextContent("Take 12.5% off the bill");
    await user.click(screen.getByTestId("discount-submit"));
    await waitFor(() => expect(screen.queryByTestId("exception-sheet")).toBeNull());
    expect(screen.queryByTestId("approval-username")).toBeNull();
    expect(sent.map(({ path, approval, body }) => [path, approval, body])).toEqual([
      ["/api/orders/7/discounts", null, { kind: "percent", value: 1250, reason: "event" }],
    ]);
  });
});

describe("parsePercent", () => {
  it("reads a typed percentage as basis points, from 0.01 to 100", () => {
    expect(parsePercent("10")).toBe(1000);
    expect(parsePercent("12,5")).toBe(1250);
    expect(parsePercent("0.01")).toBe(1);
    expect(parsePercent("100")).toBe(10_000);
    expect(parsePercent("100.5")).toBeNull();
    expect(parsePercent("0")).toBeNull();
    expect(parsePercent("1.234")).toBeNull();
    expect(parsePercent("ten")).toBeNull();
  });
});
