import { describe, expect, it } from "vitest";
import { EMPTY_TABLE_STATE, applyCart, applyTableMessage, cartCount, newerCart } from "../table-state";
import type { GuestCart, GuestCartLine, GuestOrder } from "../types";

function line(id: number, nickname: string, quantity = 1): GuestCartLine {
  return {
    id,
    product_id: 1,
    product_name: "Μουσακάς",
    product_name_en: "Moussaka",
    quantity,
    options: [],
    removed: [],
    choices: [],
    note: null,
    nickname,
    unit_price: 1200,
    line_total: 1200 * quantity,
    added_at: "2025-01-01T12:00:00Z",
    available: true,
  };
}

function cart(version: number, lines: GuestCartLine[]): GuestCart {
  return { version, lines, total: lines.reduce((sum, l) => sum + l.line_total, 0) };
}

const ORDER: GuestOrder = {
  order_id: null,
  items: [],
  submissions: [],
  total: 0,
  paid: 0,
  due: 0,
  payments: { available: false, reason: null, open_for: 0, requests: [] },
};

describe("the newest cart wins", () => {
  it("takes a newer version", () => {
    const old = cart(3, [line(1, "Anna")]);
    const next = cart(4, [line(1, "Anna"), line(2, "Nikos")]);
    expect(newerCart(old, next)).toBe(next);
  });

  it("keeps the current cart when an older answer arrives late", () => {
    // Nikos's phone got Anna's socket update (v5) before the answer to its own add (v4).
    const current = cart(5, [line(1, "Anna"), line(2, "Nikos"), line(3, "Anna")]);
    const late = cart(4, [line(1, "Anna"), line(2, "Nikos")]);
    expect(newerCart(current, late)).toBe(current);
    const state = { cart: current, order: ORDER };
    expect(applyCart(state, late)).toBe(state);
    expect(applyTableMessage(state, { type: "cart", data: late })).toBe(state);
  });

  it("takes the first cart there is", () => {
    const first = cart(1, [line(1, "Anna")]);
    expect(applyCart(EMPTY_TABLE_STATE, first).cart).toBe(first);
  });

  it("lets a snapshot replace everything, whatever its version (a reconnect starts over)", () => {
    const state = { cart: cart(9, [line(1, "Anna")]), order: ORDER };
    const snapshot = cart(2, []);
    const after = applyTableMessage(state, { type: "snapshot", data: { cart: snapshot, order: ORDER } });
    expect(after.cart).toBe(snapshot);
  });

  it("replaces the order with every order message", () => {
    const order: GuestOrder = { ...ORDER, order_id: 7, total: 1200, due: 1200 };
    expect(applyTableMessage(EMPTY_TABLE_STATE, { type: "order", data: order }).order).toBe(order);
  });
});

describe("counting the cart", () => {
  it("adds up the quantities of every line", () => {
    expect(cartCount(cart(1, [line(1, "Anna", 2), line(2, "Nikos", 3)]))).toBe(5);
    expect(cartCount(null)).toBe(0);
  });
});
