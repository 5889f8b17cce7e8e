// The order screen against a stub appliance behind `fetch`: the real api client, query cache and outbox.
// First: it installs the stub appliance before the app's modules load.
import {
  appliance,
  json,
  received,
  renderAt,
  resetScreenState,
  setOutbox,
} from "../../../shared/test-data/screen-harness";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Route } from "wouter";
import { outboxStore, retryNow, submit } from "../../../lib/outbox";
import { OrderScreen } from "../index";
import { draftStore, resetDraftStores } from "../hooks/use-draft";
import { addToDraft } from "../model/draft";
import { categories, products } from "./menu-data";
import { order, orderItem } from "../../../shared/test-data/order-data";
import type { Order, Schemas } from "@tavolo/api";

const current = order([
  orderItem({ id: 101, status: "preparing", printed: true }),
  orderItem({ id: 102, product_name: "Σουβλάκι", unit_price: 380, quantity: 2, round: 2, note: "well done" }),
  orderItem({ id: 103, status: "cancelled", cancel_reason: "wrong table", round: 2 }),
]);
let itemsReply: () => Response | Promise<Response>;

/** A reply the test releases when it wants: the send is "under way" until then. */
function deferred() {
  let release: (response: Response) => void = () => {};
  const reply = new Promise<Response>((resolve) => {
    release = resolve;
  });
  return { reply: () => reply, release };
}

function serve(request: Request): Response | Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.method === "GET") {
    if (path === "/api/system/info") return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
    if (path === "/api/products/categories") return json(categories);
    if (path === "/api/products/") return json(products);
    if (path === "/api/orders/7") return json(current);
    if (path === "/api/tables/") return json([]);
    if (path === "/api/system/health") return json({ status: "ok" });
  }
  // A payment on its way: the appliance is busy, so it stays queued.
  if (request.method === "POST" && path === "/api/orders/7/pay") return json({ detail: "busy", code: "BUSY" }, 503);
  if (request.method === "POST" && path === "/api/orders/7/items") return received(request).then(() => itemsReply());
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

function mount(path = "/order/7") {
  return renderAt(path, <Route path="/order/:ref">{(params) => <OrderScreen orderRef={params.ref} />}</Route>);
}

beforeEach(() => {
  resetScreenState();
  appliance.handler = serve;
  itemsReply = () => json({ order_id: 7, order_status: "open", round: 3, items: [] }, 201);
});

afterEach(cleanup);

describe("OrderScreen", () => {
  it("shows sent items by round with kitchen state, printed mark and totals", async () => {
    mount();
    const first = await screen.findByTestId("item-101");
    expect(first).toHaveAttribute("data-status", "preparing");
    expect(first).toHaveAttribute("data-printed", "true");
    expect(within(first).getByText("✓ Printed")).toBeInTheDocument();
    expect(screen.getByTestId("item-102")).toHaveTextContent("“well done”");
    expect(screen.getByTestId("item-103")).toHaveClass("ord-item--cancelled");
    expect(screen.getByText("Round 2")).toBeInTheDocument();
    expect(screen.getByTestId("order-total")).toHaveAttribute("data-amount", "860");
    expect(screen.getByTestId("order-due")).toHaveAttribute("data-amount", "860");
    expect(screen.getByRole("heading", { name: "T7" })).toBeInTheDocument();
  });

  it("quick-adds plain products, reviews the draft and sends it in one request", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    await user.click(screen.getByTestId("product-1"));
    expect(screen.getAllByTestId("draft-line")).toHaveLength(1);
    expect(screen.getByTestId("draft-line")).toHaveTextContent("2×");

    await user.type(screen.getByTestId("menu-search"), "σουβλ");
    await user.click(await screen.findByTestId("product-2"));
    await user.click(screen.getByTestId("choice-41"));
    await user.click(screen.getByTestId("add-to-draft"));
    expect(screen.getAllByTestId("draft-line")).toHaveLength(2);
    expect(localStorage.getItem("tavolo.draft.7")).not.toBeNull();

    await user.click(screen.getByTestId("review-draft"));
    expect(screen.getAllByTestId("review-line")).toHaveLength(2);
    expect(screen.getByTestId("review-total")).toHaveAttribute("data-amount", String(2 * 100 + 350));
    await user.click(screen.getByTestId("send-draft"));

    await waitFor(() => expect(screen.queryAllByTestId("draft-line")).toHaveLength(0));
    expect(appliance.writes).toHaveLength(1);
    expect(appliance.writes[0]?.key).toBeTruthy();
    expect(appliance.writes[0]?.body).toEqual({
      items: [
        expect.objectContaining({ product_id: 1, quantity: 2, course: 1 }),
        expect.objectContaining({ product_id: 2, quantity: 1, choice_ids: [41] }),
      ],
    });
    expect(localStorage.getItem("tavolo.draft.7")).toBeNull();
  });

  it("keeps the draft and marks the refused line when the appliance says no", async () => {
    itemsReply = () => json({ detail: "items[0]: Νερό is not available", code: "PRODUCT_UNAVAILABLE" }, 409);
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    await user.click(screen.getByTestId("review-draft"));
    await user.click(screen.getByTestId("send-draft"));

    expect(await screen.findByTestId("send-error")).toHaveTextContent("Νερό is not available");
    expect(screen.getAllByTestId("draft-line")).toHaveLength(1);
    expect(screen.getByTestId("draft-line")).toHaveTextContent("Νερό is not available");
  });

  it("keeps the draft through a reload", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    cleanup();
    resetDraftStores();

    mount();
    expect(await screen.findByTestId("draft-line")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("draft-line")).toHaveTextContent("1× Νερό"));
  });

  it("queues the round when the appliance cannot be reached and shows it as waiting", async () => {
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    appliance.handler = () => {
      throw new TypeError("Failed to fetch");
    };
    await user.click(screen.getByTestId("review-draft"));
    await user.click(screen.getByTestId("send-draft"));

    const entry = await screen.findByTestId("pending-entry");
    expect(entry).toHaveTextContent("Send 1 item · T7");
    expect(entry).toHaveTextContent("Waiting to send");
    expect(screen.queryAllByTestId("draft-line")).toHaveLength(0);
  });

  it("takes an order on a table opened offline and moves to the real order once the open is replayed", async () => {
    // Reads work, writes do not reach the appliance (a flaky Wi-Fi that lets small GETs through is common).
    const offlineWrites = (request: Request) => {
      if (request.method === "POST") throw new TypeError("Failed to fetch");
      return serve(request);
    };
    appliance.handler = offlineWrites;
    const opened = await submit({
      kind: "open",
      orderRef: "",
      tableId: 3,
      path: "/api/orders/",
      body: { table_id: 3, guests: 2 },
      label: "Open T7",
    });
    expect(opened.status).toBe("queued");
    const ref = opened.status === "queued" ? opened.entry.orderRef : "";
    expect(ref).toMatch(/^tmp-/);

    const { user, history } = mount(`/order/${ref}`);
    expect(screen.getByText("Not on the appliance yet")).toBeInTheDocument();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    await user.click(screen.getByTestId("review-draft"));
    await user.click(screen.getByTestId("send-draft"));
    await waitFor(() => expect(screen.getAllByTestId("pending-entry")).toHaveLength(2));
    expect(outboxStore.get()[1]).toMatchObject({ kind: "items", orderRef: ref, path: "/api/orders/{order}/items" });

    appliance.handler = (request) => {
      const path = new URL(request.url).pathname;
      if (request.method === "POST" && path === "/api/orders/") return json(current, 201);
      return serve(request);
    };
    retryNow();

    await waitFor(() => expect(history.at(-1)).toBe("/order/7"));
    await waitFor(() => expect(screen.queryAllByTestId("pending-entry")).toHaveLength(0));
    expect(appliance.writes.map((write) => write.path)).toEqual(["/api/orders/7/items"]);
    expect(await screen.findByTestId("item-101")).toBeInTheDocument();
  });

  it("drops the sent lines from the draft once the round is stored, so a reload mid-send cannot send them twice", async () => {
    const slow = deferred();
    itemsReply = slow.reply;
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    await user.click(screen.getByTestId("review-draft"));
    await user.click(screen.getByTestId("send-draft"));

    // The request is out and unanswered; the round is in the outbox and nowhere else.
    await waitFor(() => expect(appliance.writes).toHaveLength(1));
    expect(outboxStore.get()).toHaveLength(1);
    expect(localStorage.getItem("tavolo.draft.7")).toBeNull();
    // The review stays up, showing what is on its way, until the appliance answers.
    expect(screen.getAllByTestId("review-line")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Back" })).toBeDisabled();
    await user.click(screen.getByTestId("sheet-backdrop"));
    expect(screen.getByTestId("draft-review")).toBeInTheDocument();

    // The phone reloads: the draft is empty and the round shows as not sent yet (the outbox replays it).
    cleanup();
    resetDraftStores();
    mount();
    expect(await screen.findByTestId("pending-entry")).toBeInTheDocument();
    expect(screen.queryAllByTestId("draft-line")).toHaveLength(0);

    slow.release(json({ order_id: 7, order_status: "open", round: 3, items: [] }, 201));
    await waitFor(() => expect(outboxStore.get()).toHaveLength(0));
    expect(appliance.writes).toHaveLength(1);
  });

  it("puts a refused round back into the draft, merged with what was added meanwhile", async () => {
    const slow = deferred();
    itemsReply = slow.reply;
    const { user } = mount();
    await user.click(await screen.findByTestId("category-2"));
    await user.click(screen.getByTestId("product-1"));
    await user.click(screen.getByTestId("review-draft"));
    await user.click(screen.getByTestId("send-draft"));
    await waitFor(() => expect(appliance.writes).toHaveLength(1));

    // Taken down while the round was on its way (another screen, a quick add): it must survive the refusal.
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 1, quantity: 2, course: 1 }));
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 3, quantity: 1, course: 2, choice_ids: [44] }));
    slow.release(json({ detail: "items[0]: Νερό is not available", code: "PRODUCT_UNAVAILABLE" }, 409));

    expect(await screen.findByTestId("send-error")).toHaveTextContent("Νερό is not available");
    const lines = screen.getAllByTestId("review-line");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent("3× Νερό");
    expect(lines[0]).toHaveTextContent("Νερό is not available");
    expect(lines[1]).toHaveTextContent("1× Μουσακάς");
    expect(screen.getByRole("button", { name: "Back" })).toBeEnabled();
    expect(outboxStore.get()).toHaveLength(0);
  });

  it("shows no amounts, not zero, while the bill has never been loaded", async () => {
    appliance.handler = (request) => {
      if (new URL(request.url).pathname === "/api/orders/7") throw new TypeError("Failed to fetch");
      return serve(request);
    };
    mount();
    expect(await screen.findByText(/The appliance cannot be reached/)).toBeInTheDocument();
    for (const id of ["order-total", "order-due"]) {
      expect(screen.getByTestId(id)).toHaveTextContent("—");
      expect(screen.getByTestId(id)).not.toHaveAttribute("data-amount");
    }
  });

  it("takes payments still in the outbox off the amount due, as the payment screen does", async () => {
    setOutbox([
      {
        id: "pay-1",
        kind: "pay",
        orderRef: "7",
        tableId: 3,
        path: "/api/orders/7/pay",
        body: { item_ids: [101], method: "cash", tip: 0 },
        label: "Pay €1.00 cash · T7",
        createdAt: Date.now(),
        state: "queued",
        attempts: 1,
        userId: 1,
      },
    ]);
    mount();
    await screen.findByTestId("item-101");
    expect(screen.getByTestId("order-total")).toHaveAttribute("data-amount", "860");
    expect(screen.getByTestId("order-due")).toHaveAttribute("data-amount", "760");
  });
});

describe("OrderScreen courses", () => {
  let bill: Order;
  let fireReply: (course: number) => Response | Promise<Response>;

  /** The bill once `course` is fired, as the appliance answers it: held items up to it get their fired_at. */
  function fireUpTo(course: number): Order {
    bill = order(
      bill.items.map((item) =>
        item.held && item.course <= course ? orderItem({ ...item, fired_at: "2026-01-01T12:30:00Z", held: false }) : item,
      ),
      { fired_course: course },
    );
    return bill;
  }

  function serveCourses(request: Request): Response | Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/api/orders/7") return json(bill);
    if (request.method === "POST" && path === "/api/orders/7/fire") {
      return received(request).then((body) => fireReply((body as Schemas["CourseFire"]).course));
    }
    return serve(request);
  }

  beforeEach(() => {
    bill = order([
      orderItem({ id: 201, product_name: "Τζατζίκι", status: "preparing", printed: true }),
      orderItem({ id: 202, product_name: "Μουσακάς", course: 2, fired_at: null }),
      orderItem({ id: 203, product_name: "Μπακλαβάς", course: 3, quantity: 2, fired_at: null }),
    ]);
    fireReply = (course) => json(fireUpTo(course));
    appliance.handler = serveCourses;
  });

  it("shows held items greyed with their course, and a Fire button per held course", async () => {
    mount();
    const main = await screen.findByTestId("item-202");
    expect(main).toHaveAttribute("data-held", "true");
    expect(main).toHaveClass("ord-item--held");
    expect(main).toHaveTextContent("Held · course 2");
    expect(main).toHaveTextContent("Prints when fired");
    expect(screen.getByTestId("item-203")).toHaveTextContent("Held · course 3");
    expect(screen.getByTestId("item-201")).toHaveAttribute("data-held", "false");
    expect(screen.getByTestId("item-201")).not.toHaveTextContent("Held");

    expect(screen.getByTestId("fire-course-2")).toHaveTextContent("Fire course 2");
    expect(screen.getByTestId("held-course-2")).toHaveTextContent("1× Μουσακάς");
    expect(screen.getByTestId("held-course-3")).toHaveTextContent("2× Μπακλαβάς");
    // Firing course 3 releases course 2 too (the appliance fires every held course up to it): say so.
    expect(screen.getByTestId("held-course-3")).toHaveTextContent("Also fires course 2");
    expect(screen.queryByTestId("fire-course-1")).toBeNull();
  });

  it("shows no Fire button when nothing is held", async () => {
    bill = order([orderItem({ id: 201 }), orderItem({ id: 202, course: 2 })]);
    mount();
    expect(await screen.findByTestId("item-202")).toHaveAttribute("data-held", "false");
    expect(screen.queryByTestId("held-courses")).toBeNull();
  });

  it("fires a course once however often it is tapped, and lights its items up", async () => {
    const slow = deferred();
    fireReply = () => slow.reply();
    const { user } = mount();
    const fire = await screen.findByTestId("fire-course-2");
    await user.click(fire);
    await waitFor(() => expect(appliance.writes).toHaveLength(1));
    // On its way: a second tap (or the next course's button) sends nothing more.
    expect(fire).toBeDisabled();
    expect(screen.getByTestId("fire-course-3")).toBeDisabled();
    await user.click(fire);
    await user.click(screen.getByTestId("fire-course-3"));
    expect(appliance.writes).toHaveLength(1);
    expect(appliance.writes[0]).toEqual({ path: "/api/orders/7/fire", key: expect.any(String), body: { course: 2 } });

    slow.release(json(fireUpTo(2)));
    await waitFor(() => expect(screen.getByTestId("item-202")).toHaveAttribute("data-held", "false"));
    expect(screen.getByTestId("item-202")).not.toHaveTextContent("Held");
    expect(screen.getByTestId("item-203")).toHaveAttribute("data-held", "true");
    expect(screen.queryByTestId("fire-course-2")).toBeNull();
    expect(screen.getByTestId("fire-course-3")).toBeEnabled();
    expect(screen.getByText("Course 2 fired")).toBeInTheDocument();
    expect(outboxStore.get()).toEqual([]);
  });

  it("queues a fire while the appliance cannot be reached, and does not queue it twice", async () => {
    const { user } = mount();
    const fire = await screen.findByTestId("fire-course-2");
    // Reads still come from the cache; the write does not get through.
    appliance.handler = (request) => {
      if (request.method === "POST") throw new TypeError("Failed to fetch");
      return serveCourses(request);
    };
    await user.click(fire);

    const entry = await screen.findByTestId("pending-entry");
    expect(entry).toHaveTextContent("Fire course 2 · T7");
    expect(entry).toHaveTextContent("Waiting to send");
    expect(screen.getByTestId("held-course-2")).toHaveTextContent("Fire waiting to send");
    expect(screen.getByTestId("item-202")).toHaveAttribute("data-held", "true");
    expect(fire).toBeDisabled();
    await user.click(fire);
    expect(outboxStore.get().map((queued) => [queued.kind, queued.body])).toEqual([["fire", { course: 2 }]]);

    appliance.handler = serveCourses;
    retryNow();
    await waitFor(() => expect(screen.queryAllByTestId("pending-entry")).toHaveLength(0));
    expect(appliance.writes.map((write) => write.body)).toEqual([{ course: 2 }]);
  });

  it("takes NOTHING_TO_FIRE (fired on another phone meanwhile) as done and shows the order as it now is", async () => {
    const { user } = mount();
    const fire = await screen.findByTestId("fire-course-2");
    fireUpTo(2); // the manager fired it a moment ago
    fireReply = () => json({ detail: "Nothing of course 2 is held on order 7", code: "NOTHING_TO_FIRE" }, 409);
    await user.click(fire);

    await waitFor(() => expect(screen.getByTestId("item-202")).toHaveAttribute("data-held", "false"));
    expect(screen.queryByTestId("fire-error")).toBeNull();
    expect(screen.queryByTestId("pending-entry")).toBeNull();
    expect(outboxStore.get()).toEqual([]);
  });

  it("says why when the appliance refuses a fire, and lets the waiter try again", async () => {
    fireReply = () => json({ detail: "Order 7 is closed", code: "ORDER_NOT_OPEN" }, 409);
    const { user } = mount();
    await user.click(await screen.findByTestId("fire-course-2"));
    expect(await screen.findByTestId("fire-error")).toHaveTextContent("Order 7 is closed");
    expect(screen.getByTestId("fire-course-2")).toBeEnabled();
    expect(screen.getByTestId("item-202")).toHaveAttribute("data-held", "true");
    expect(outboxStore.get()).toEqual([]);
  });

  it("tells in the review which courses of the round the kitchen will hold", async () => {
    bill = order([orderItem({ id: 201 })]);
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 1, quantity: 1, course: 1 }));
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 3, quantity: 1, course: 2 }));
    const { user } = mount();
    await screen.findByTestId("item-201");
    await user.click(screen.getByTestId("review-draft"));
    expect(screen.getByTestId("review-held")).toHaveTextContent("Course 2 will wait until you fire it.");
    const [water, moussaka] = screen.getAllByTestId("review-line");
    expect(moussaka).toHaveTextContent("course 2 · held until fired");
    expect(water).not.toHaveTextContent("held");
  });

  it("holds nothing in the review once the order's course is fired, or a fire for it is queued", async () => {
    bill = order([orderItem({ id: 201 }), orderItem({ id: 204, course: 2 })], { fired_course: 2 });
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 3, quantity: 1, course: 2 }));
    const { user } = mount();
    await screen.findByTestId("item-204");
    await user.click(screen.getByTestId("review-draft"));
    expect(screen.queryByTestId("review-held")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Back" }));

    bill = order([orderItem({ id: 201 })]);
    draftStore("7").set((lines) => addToDraft(lines, { product_id: 3, quantity: 1, course: 3 }));
    setOutbox([
      {
        id: "fire-1",
        kind: "fire",
        orderRef: "7",
        tableId: 3,
        path: "/api/orders/7/fire",
        body: { course: 2 },
        label: "Fire course 2 · T7",
        createdAt: Date.now(),
        state: "queued",
        attempts: 1,
        userId: 1,
      },
    ]);
    cleanup();
    mount();
    await screen.findByTestId("item-201");
    await user.click(screen.getByTestId("review-draft"));
    expect(screen.getByTestId("review-held")).toHaveTextContent("Course 3 will wait until you fire it.");
  });
});
