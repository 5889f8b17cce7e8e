import { describe, expect, it } from "vitest";
import { describeEvent, type AuditEvent } from "../model/history";

function event(action: string, data: AuditEvent["data"], actor = "Maria"): AuditEvent {
  return {
    id: 1,
    action,
    actor_id: 2,
    actor_name: actor,
    at: "2026-12-01T20:00:00Z",
    data,
    entity_id: 1,
    entity_type: "order",
    order_id: 1,
  };
}

describe("describeEvent", () => {
  it("names what was added, with options and removed ingredients, and its value", () => {
    const line = describeEvent(
      event("order.items_added", {
        round: 2,
        amount: 2350,
        items: [
          { name: "Pasta", quantity: 2, options: ["Large"], removed: ["onion"], choices: [] },
          { name: "Beer", quantity: 1, options: [], removed: [], choices: [] },
        ],
      }),
      "EUR",
    );
    expect(line.what).toBe("added 2 × Pasta (Large, no onion), 1 × Beer");
    expect(line.detail).toContain("round 2");
    expect(line.detail).toContain("23.50");
    expect(line.tone).toBe("add");
  });

  it("gives a cancelled item's reason and its approver when someone else approved", () => {
    const line = describeEvent(
      event("order.item_cancelled", {
        name: "Beer",
        quantity: 1,
        amount: 450,
        reason: "Spilled",
        approved_by_name: "Boss",
      }),
      "EUR",
    );
    expect(line.what).toBe("cancelled 1 × Beer");
    expect(line.detail).toContain("reason: Spilled");
    expect(line.detail).toContain("approved by Boss");
    expect(line.tone).toBe("cancel");
  });

  it("says how much was paid, how, and for which items", () => {
    const line = describeEvent(
      event("order.paid", { amount: 1200, method: "card", tip: 100, items: [{ name: "Pasta", quantity: 1 }] }),
      "EUR",
    );
    expect(line.what).toMatch(/^took .*12\.00 by card$/);
    expect(line.detail).toContain("tip");
    expect(line.detail).toContain("for 1 × Pasta");
  });

  it("names both waiters of a reassignment", () => {
    const line = describeEvent(event("order.reassigned", { from_waiter_name: "Ann", to_waiter_name: "Bob" }), "EUR");
    expect(line.what).toBe("handed the order from Ann to Bob");
  });

  it("says a waiter took over a table the guests opened", () => {
    const line = describeEvent(event("order.taken", { from_waiter_name: "QR guests", to_waiter_name: "Bob" }), "EUR");
    expect(line.what).toBe("took the table over from QR guests");
  });

  it("still shows an event it does not know, by its action", () => {
    expect(describeEvent(event("upi.requested", {}), "EUR").what).toBe("upi requested");
  });
});
