import { describe, expect, it } from "vitest";
import { parseAmount } from "../../../lib/money";
import { guestOrder, orderItem, payment } from "../../../test/order-data";
import {
  countdown,
  defaultParts,
  evenShare,
  myItemsAmount,
  myItemsAsked,
  myShare,
  payBody,
  priceShare,
  sameName,
  unpaidAmount,
  type ShareChoice,
} from "../model/share";
import { latestPayment } from "../model/status";

const choice = (share: ShareChoice["share"], extra: Partial<ShareChoice> = {}): ShareChoice => ({
  share,
  parts: 2,
  amountText: "",
  ...extra,
});

describe("my items", () => {
  const items = [
    orderItem(1, "Anna", 55000),
    orderItem(2, "anna ", 12000),
    orderItem(3, "Nikos", 90000),
    orderItem(4, null, 5000),
    orderItem(5, "Anna", 30000, { quantity: 2, paid_quantity: 2 }),
  ];

  it("adds up the lines ordered under my name, whatever its case, and leaves out what is paid", () => {
    expect(myItemsAmount(items, "ANNA")).toBe(67000);
    expect(myItemsAmount(items, "Nikos")).toBe(90000);
    expect(myItemsAmount(items, "Maria")).toBe(0);
  });

  it("counts only the unpaid units of a line a waiter paid in part", () => {
    expect(unpaidAmount(orderItem(1, "Anna", 30000, { quantity: 3, paid_quantity: 1 }))).toBe(20000);
    expect(unpaidAmount(orderItem(1, "Anna", 0, { state: "cancelled" }))).toBe(0);
  });

  it("matches Greek names as the appliance does, final sigma and all", () => {
    expect(sameName("ΝΊΚΟΣ", "Νίκος")).toBe(true);
    expect(sameName("Νίκοσ", "Νίκος")).toBe(true);
    expect(sameName(null, "Νίκος")).toBe(false);
  });
});

describe("an even split", () => {
  it("defaults to as many shares as names ordered, and never fewer than two", () => {
    const three = [1, 2, 3, 4].map((id) => orderItem(id, ["Anna", "anna", "Nikos", "Maria"][id - 1]!, 1));
    expect(defaultParts(three)).toBe(3);
    expect(defaultParts([orderItem(1, "Anna", 1)])).toBe(2);
    expect(defaultParts([orderItem(1, "Anna", 1), orderItem(2, "Nikos", 0, { state: "cancelled" })])).toBe(2);
    expect(defaultParts([])).toBe(2);
  });

  it("shows the first (largest) share, as the appliance allocates the odd paise", () => {
    expect(evenShare(2950, 4)).toBe(738);
    expect(evenShare(3000, 3)).toBe(1000);
    expect(evenShare(3000, 1)).toBe(1500);
  });
});

describe("pricing a share", () => {
  const order = guestOrder([orderItem(1, "Anna", 55000), orderItem(2, "Nikos", 45000)], { open_for: 60000 });

  it("cuts every share to what no open QR already asks for", () => {
    expect(priceShare(choice("mine"), order, "Anna", "INR")).toEqual({ ok: true, amount: 55000 });
    expect(priceShare(choice("even", { parts: 2 }), order, "Anna", "INR")).toEqual({ ok: true, amount: 50000 });
    expect(priceShare(choice("rest"), order, "Anna", "INR")).toEqual({ ok: true, amount: 60000 });
    const small = { ...order, payments: { ...order.payments, open_for: 30000 } };
    expect(priceShare(choice("mine"), small, "Anna", "INR")).toEqual({ ok: true, amount: 30000 });
  });

  it("never shows my items twice: what I pay or paid for them is taken off, as the appliance takes it off", () => {
    const requests = [payment(1, { nickname: "ANNA", amount: 55000 })];
    const paying = { ...order, payments: { ...order.payments, requests } };
    expect(myShare(paying, "Anna")).toEqual({ amount: 0, asked: 55000 });
    expect(priceShare(choice("mine"), paying, "Anna", "INR")).toEqual({ ok: false, reason: "none" });
    // Nikos's QR, a waiter's, an expired one of mine and an even share of mine do not count.
    const others = [
      payment(2, { nickname: "Nikos", amount: 45000 }),
      payment(3, { by_guest: false, nickname: null, amount: 10000 }),
      payment(4, { nickname: "Anna", status: "expired" }),
      payment(5, { nickname: "Anna", share: "1/2", amount: 50000 }),
    ];
    expect(myItemsAsked(others, "Anna")).toBe(0);
    // Anna paid her moussaka, then ordered a coffee: only the coffee (the appliance subtracts the same way).
    const more = guestOrder(
      [orderItem(1, "Anna", 55000), orderItem(2, "Nikos", 45000), orderItem(3, "Anna", 8000)],
      { open_for: 53000, requests: [payment(1, { nickname: "Anna", amount: 55000, status: "paid" })] },
    );
    expect(priceShare(choice("mine"), more, "Anna", "INR")).toEqual({ ok: true, amount: 8000 });
    expect(payBody(choice("mine"), more, "Anna", "INR")).toEqual({ nickname: "Anna", share: "mine" });
  });

  it("has nothing to ask for a name that ordered nothing", () => {
    expect(priceShare(choice("mine"), order, "Maria", "INR")).toEqual({ ok: false, reason: "none" });
  });

  it("reads a typed amount by the currency's decimals and refuses more than is left", () => {
    expect(priceShare(choice("amount", { amountText: "250,50" }), order, "Anna", "INR")).toEqual({
      ok: true,
      amount: 25050,
    });
    expect(priceShare(choice("amount", { amountText: "" }), order, "Anna", "INR")).toEqual({
      ok: false,
      reason: "none",
    });
    expect(priceShare(choice("amount", { amountText: "2.505" }), order, "Anna", "INR")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(priceShare(choice("amount", { amountText: "600.01" }), order, "Anna", "INR")).toEqual({
      ok: false,
      reason: "too-much",
    });
  });

  it("sends only the fields each share takes", () => {
    expect(payBody(choice("mine"), order, "Anna", "INR")).toEqual({ nickname: "Anna", share: "mine" });
    expect(payBody(choice("rest"), order, "Anna", "INR")).toEqual({ nickname: "Anna", share: "rest" });
    expect(payBody(choice("even", { parts: 3 }), order, "Anna", "INR")).toEqual({
      nickname: "Anna",
      share: "even",
      parts: 3,
    });
    expect(payBody(choice("amount", { amountText: "100" }), order, "Anna", "INR")).toEqual({
      nickname: "Anna",
      share: "amount",
      amount: 10000,
    });
  });
});

describe("typed money", () => {
  it("follows the currency's decimals", () => {
    expect(parseAmount("12", "INR")).toBe(1200);
    expect(parseAmount("12.5", "EUR")).toBe(1250);
    expect(parseAmount("1200", "JPY")).toBe(1200);
    expect(parseAmount("12.5", "JPY")).toBeNull();
    expect(parseAmount("12 50", "INR")).toBeNull();
    expect(parseAmount("-3", "INR")).toBeNull();
  });
});

describe("a payment's state", () => {
  it("counts down to the QR's closing time", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(countdown("2026-01-01T12:14:05Z", now)).toBe("14:05");
    expect(countdown("2026-01-01T11:59:00Z", now)).toBe("0:00");
  });

  it("takes the socket's paid over a read that still said pending, and an ended read over the socket", () => {
    const pending = payment(7);
    const paid = payment(7, { status: "paid" });
    const expired = payment(7, { status: "expired" });
    expect(latestPayment(pending, [paid], 7)).toBe(paid);
    expect(latestPayment(expired, [pending], 7)).toBe(expired);
    expect(latestPayment(pending, [], 7)).toBe(pending);
    expect(latestPayment(undefined, [paid], 7)).toBe(paid);
    expect(latestPayment(undefined, [payment(8)], 7)).toBeUndefined();
  });
});
