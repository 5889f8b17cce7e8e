import type { Payment, SplitPart } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { order, orderItem } from "../../../shared/test-data/order-data";
import { parseAmount, tipNeedsConfirmation } from "../model/amount";
import {
  allocate,
  changeDue,
  evenParts,
  openEvenShares,
  percentOf,
  seatParts,
  selectionPart,
  unitsAmount,
  wholePart,
} from "../model/split";

function payment(overrides: Partial<Payment> & Pick<Payment, "id" | "amount">): Payment {
  return {
    order_id: 7,
    method: "cash",
    tip: 0,
    tendered: null,
    change_due: 0,
    reference: null,
    split_part: null,
    created_by_id: 1,
    created_at: "2026-01-01T12:00:00Z",
    item_ids: [],
    items: [],
    refunds: [],
    refunded: 0,
    ...overrides,
  };
}

function part(label: string, amount: number, weights: number[] = [amount]): SplitPart {
  return {
    label,
    amount,
    items: weights.map((w, i) => ({ item_id: i + 1, quantity: 1, amount: w, shared: false })),
  };
}

// Shares the appliance's ledger.allocate gives (tests/local_backend pins the server side): the first
// (amount mod n) parts get the extra minor unit.
describe("allocate", () => {
  it("splits evenly with the remainder on the first parts, summing exactly", () => {
    expect(allocate(10001, [1, 1, 1, 1])).toEqual([2501, 2500, 2500, 2500]);
    expect(allocate(10003, [1, 1, 1, 1])).toEqual([2501, 2501, 2501, 2500]);
    expect(allocate(1, [1, 1, 1])).toEqual([1, 0, 0]);
  });

  it("splits in proportion by largest remainder", () => {
    expect(allocate(1000, [1, 2])).toEqual([333, 667]);
    expect(allocate(100, [0, 0])).toEqual([50, 50]);
    expect(allocate(5, [])).toEqual([]);
  });

  it("always sums to the amount", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let run = 0; run < 500; run += 1) {
      const amount = next() % 1_000_000;
      const weights = Array.from({ length: 1 + (next() % 9) }, () => next() % 5000);
      const shares = allocate(amount, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      expect(shares.every((s) => s >= 0)).toBe(true);
    }
  });
});

describe("evenParts", () => {
  it("shows the appliance's shares exactly when it computed them", () => {
    const server = [part("1/4", 2501), part("2/4", 2500), part("3/4", 2500), part("4/4", 2500)];
    // A server answer that differs from the phone's own rule still wins: the screen shows what the server says.
    server[3] = part("4/4", 2500);
    const parts = evenParts(4, 10001, [], [], server);
    expect(parts.map((p) => [p.label, p.amount, p.paid])).toEqual([
      ["1/4", 2501, null],
      ["2/4", 2500, null],
      ["3/4", 2500, null],
      ["4/4", 2500, null],
    ]);
  });

  it("marks the paid and queued shares and splits what is left over the others", () => {
    const paid = payment({ id: 1, amount: 2501, split_part: "1/4", tip: 100 });
    // After 1/4 was paid the appliance is asked for the 2 shares left after the queued 2/4 too.
    const server = [part("1/2", 2500), part("2/2", 2500)];
    const parts = evenParts(4, 5000, [paid], ["2/4"], server);
    expect(parts.map((p) => [p.n, p.amount, p.paid === null ? "open" : p.paid === "queued" ? "queued" : "paid"])).toEqual([
      [1, 2501, "paid"],
      [2, 0, "queued"],
      [3, 2500, "open"],
      [4, 2500, "open"],
    ]);
    expect(openEvenShares(4, [paid], ["2/4"])).toBe(2);
  });

  it("works the shares out on the phone the appliance's way when it has no answer", () => {
    const parts = evenParts(3, 1000, [], [], null);
    expect(parts.map((p) => p.amount)).toEqual([334, 333, 333]);
    // A share of another split (another guest count) or a refunded one does not count as paid here.
    const other = payment({ id: 2, amount: 500, split_part: "1/2" });
    const refunded = payment({ id: 3, amount: 300, split_part: "1/3", refunded: 300 });
    expect(openEvenShares(3, [other, refunded], [])).toBe(3);
  });
});

describe("seatParts", () => {
  const server = [part("seat 1", 3000, [2000, 1000]), part("seat 2", 1000), part("seat 3", 2000)];

  it("is the appliance's split exactly while no seat is paid", () => {
    expect(seatParts(server, 6000, [], []).map((p) => p.amount)).toEqual([3000, 1000, 2000]);
  });

  it("fits what is left over the seats not paid yet, by their value", () => {
    // Seat 1 paid 3000 by amount; the appliance then fits the 3000 left over all three seats (1500/500/1000),
    // but seat 2 and 3 still owe their own 1000 and 2000.
    const after = [part("seat 1", 1500, [2000, 1000]), part("seat 2", 500, [1000]), part("seat 3", 1000, [2000])];
    const paid = payment({ id: 1, amount: 3000, split_part: "seat 1" });
    const parts = seatParts(after, 3000, [paid], []);
    expect(parts.map((p) => [p.label, p.amount, p.paid === null])).toEqual([
      ["seat 1", 3000, false],
      ["seat 2", 1000, true],
      ["seat 3", 2000, true],
    ]);
  });
});

describe("parts to pay", () => {
  const bill = order([
    orderItem({ id: 1, unit_price: 450, quantity: 4 }),
    orderItem({ id: 2, unit_price: 300, paid_quantity: 1 }),
    orderItem({ id: 3, unit_price: 999, status: "cancelled" }),
  ]);

  it("pays units of a line: 2 of 4 beers", () => {
    expect(selectionPart(bill, new Map([[1, 2]]))).toEqual({
      label: "2 items",
      amount: 900,
      splitPart: null,
      items: [{ item_id: 1, quantity: 2 }],
    });
  });

  it("pays the whole bill by its items when they are the balance, else by amount", () => {
    expect(wholePart(bill, 1800, new Map())).toMatchObject({ amount: 1800, items: [{ item_id: 1, quantity: 4 }] });
    expect(wholePart(bill, 900, new Map([[1, 2]]))).toMatchObject({ amount: 900, items: [{ item_id: 1, quantity: 2 }] });
    // Part was paid by amount: the units add up to more than the balance.
    expect(wholePart(bill, 1000, new Map())).toEqual({ label: "the whole bill", amount: 1000, splitPart: null, items: null });
  });
});

describe("tips and change", () => {
  it("takes a percentage to the nearest cent, halves up", () => {
    expect(percentOf(2501, 5)).toBe(125);
    expect(percentOf(2501, 10)).toBe(250);
    expect(percentOf(2510, 5)).toBe(126);
    expect(percentOf(0, 15)).toBe(0);
  });

  it("gives change only when the cash covers the amount and the tip", () => {
    expect(changeDue(3000, 2501, 125)).toBe(374);
    expect(changeDue(2626, 2501, 125)).toBe(0);
    expect(changeDue(2625, 2501, 125)).toBeNull();
  });
});

describe("parseAmount", () => {
  it("reads typed amounts without floating point errors", () => {
    expect(parseAmount("2.55", "EUR")).toBe(255);
    expect(parseAmount("2,5", "EUR")).toBe(250);
    expect(parseAmount("", "EUR")).toBe(0);
    expect(parseAmount("3", "JPY")).toBe(3);
    expect(parseAmount("1.234", "EUR")).toBeNull();
    expect(parseAmount("-1", "EUR")).toBeNull();
  });

  it("accepts a comma or a point and rejects spaces inside a number", () => {
    expect(parseAmount("2,50", "EUR")).toBe(250);
    expect(parseAmount(" 2,50 ", "EUR")).toBe(250);
    expect(parseAmount("2 50", "EUR")).toBeNull();
    expect(parseAmount("2, 50", "EUR")).toBeNull();
  });
});

describe("tipNeedsConfirmation", () => {
  it("asks above half of the amount paid, not at half or without a tip", () => {
    expect(tipNeedsConfirmation(226, 450)).toBe(true);
    expect(tipNeedsConfirmation(225, 450)).toBe(false);
    expect(tipNeedsConfirmation(0, 0)).toBe(false);
  });
});

describe("item units are priced as the appliance charges them", () => {
  // 4 beers at 4.50 with a 10 % discount and 13 % exclusive tax: the line's share is 18.31, not 18.00.
  const beers = orderItem({ id: 1, product_name: "Beer", unit_price: 450, quantity: 4 });
  const base = order([beers]);
  const bill = {
    ...base,
    totals: {
      ...base.totals,
      lines: [{ item_id: 1, gross: 1800, discount: 180, service_charge: 0, tax: 211, payable: 1831 }],
    },
  };

  it("spreads the line's payable over its units so that all of them sum to it", () => {
    // orders/pricing.py: through(n) = payable * n // quantity; units after `after` cost through(after+n) - through(after).
    expect(unitsAmount(bill, beers, 0, 2)).toBe(915);
    expect(unitsAmount(bill, beers, 2, 2)).toBe(916);
    expect(unitsAmount(bill, beers, 0, 1) + unitsAmount(bill, beers, 1, 3)).toBe(1831);
  });

  it("charges a selection of 2 of 4 beers what the appliance will, not the unit price", () => {
    expect(selectionPart(bill, new Map([[1, 2]])).amount).toBe(915);
    const halfPaid = { ...bill, items: [{ ...beers, paid_quantity: 2 }] };
    expect(selectionPart(halfPaid, new Map([[1, 2]])).amount).toBe(916);
  });
});
