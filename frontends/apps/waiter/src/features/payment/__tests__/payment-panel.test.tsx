import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PaymentPanel, type PayRequest } from "../components/payment-panel";
import { parseAmount, tipNeedsConfirmation } from "../model/amount";
import { order, orderItem } from "../../../shared/test-data/order-data";

afterEach(cleanup);

const bill = order([
  orderItem({ id: 1, unit_price: 450, seat: 1 }),
  orderItem({ id: 2, unit_price: 1200, quantity: 2, seat: 2 }),
  orderItem({ id: 3, unit_price: 300, seat: 2 }),
  orderItem({ id: 4, unit_price: 999, paid_quantity: 1 }),
  orderItem({ id: 5, unit_price: 777, status: "cancelled" }),
  orderItem({ id: 6, unit_price: 250 }),
]);

function show(pendingIds: ReadonlySet<number> = new Set()) {
  const onPay = vi.fn<(request: PayRequest) => Promise<boolean>>().mockResolvedValue(true);
  render(<PaymentPanel order={bill} currency="EUR" pendingIds={pendingIds} busy={false} onPay={onPay} />);
  return { onPay, user: userEvent.setup() };
}

const selectedTotal = () => screen.getByTestId("pay-selected-total").getAttribute("data-amount");

describe("PaymentPanel", () => {
  it("offers only unpaid live items", () => {
    show();
    expect(screen.getByTestId("pay-item-1")).toBeInTheDocument();
    expect(screen.queryByTestId("pay-item-4")).toBeNull();
    expect(screen.queryByTestId("pay-item-5")).toBeNull();
  });

  it("totals the selected items and selects all or none", async () => {
    const { user } = show();
    expect(selectedTotal()).toBe("0");
    await user.click(screen.getByTestId("pay-item-2"));
    await user.click(screen.getByTestId("pay-item-3"));
    expect(selectedTotal()).toBe("2700");
    expect(screen.getByTestId("pay-select-all")).not.toBeChecked();
    expect((screen.getByTestId("pay-select-all") as HTMLInputElement).indeterminate).toBe(true);

    await user.click(screen.getByTestId("pay-select-all"));
    expect(selectedTotal()).toBe(String(450 + 2400 + 300 + 250));
    expect(screen.getByTestId("pay-select-all")).toBeChecked();

    await user.click(screen.getByTestId("pay-select-all"));
    expect(selectedTotal()).toBe("0");
  });

  it("selects one seat's items", async () => {
    const { user } = show();
    await user.click(screen.getByTestId("pay-seat-2"));
    expect(selectedTotal()).toBe("2700");
  });

  it("needs a method before paying and sends the tip in minor units", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-item-1"));
    expect(screen.getByTestId("pay-submit")).toBeDisabled();
    await user.click(screen.getByTestId("pay-method-card"));
    await user.type(screen.getByTestId("tip-input"), "abc");
    expect(screen.getByTestId("pay-submit")).toBeDisabled();
    await user.clear(screen.getByTestId("tip-input"));
    await user.type(screen.getByTestId("tip-input"), "0,50");
    expect(screen.getByTestId("pay-submit")).toHaveTextContent("Pay €5.00");
    await user.click(screen.getByTestId("pay-submit"));
    expect(onPay).toHaveBeenCalledWith({ itemIds: [1], method: "card", tip: 50, amount: 450 });
    // Taken: the choices are cleared for the next guest.
    expect(selectedTotal()).toBe("0");
  });

  it("says a tip with a space inside is not an amount instead of guessing", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-item-1"));
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.type(screen.getByTestId("tip-input"), "2 50");
    expect(screen.getByTestId("tip-error")).toHaveTextContent("not an amount");
    expect(screen.getByTestId("tip-input")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("pay-submit")).toBeDisabled();
    await user.click(screen.getByTestId("pay-submit"));
    expect(onPay).not.toHaveBeenCalled();

    await user.clear(screen.getByTestId("tip-input"));
    await user.type(screen.getByTestId("tip-input"), "2.50");
    expect(screen.queryByTestId("tip-error")).toBeNull();
    expect(screen.getByTestId("pay-submit")).toHaveTextContent("Pay €7.00");
  });

  it("asks before taking a tip of more than half the amount paid", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-item-1"));
    await user.click(screen.getByTestId("pay-method-card"));
    await user.type(screen.getByTestId("tip-input"), "3");
    await user.click(screen.getByTestId("pay-submit"));
    expect(onPay).not.toHaveBeenCalled();
    expect(screen.getByTestId("tip-confirm-prompt")).toHaveTextContent("€3.00 is more than half of the €4.50");
    // A second tap on Pay is not the answer.
    expect(screen.getByTestId("pay-submit")).toBeDisabled();

    // Another tip is another question.
    await user.click(screen.getByTestId("tip-change"));
    expect(screen.queryByTestId("tip-confirm-prompt")).toBeNull();
    expect(screen.getByTestId("tip-input")).toHaveFocus();
    await user.clear(screen.getByTestId("tip-input"));
    await user.type(screen.getByTestId("tip-input"), "30");
    await user.click(screen.getByTestId("pay-submit"));
    await user.click(screen.getByTestId("tip-confirm"));
    expect(onPay).toHaveBeenCalledWith({ itemIds: [1], method: "card", tip: 3000, amount: 450 });
  });

  it("takes a tip of up to half the amount without asking", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-item-1"));
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.type(screen.getByTestId("tip-input"), "2,25");
    await user.click(screen.getByTestId("pay-submit"));
    expect(screen.queryByTestId("tip-confirm-prompt")).toBeNull();
    expect(onPay).toHaveBeenCalledWith({ itemIds: [1], method: "cash", tip: 225, amount: 450 });
  });

  it("keeps items of a payment waiting to send out of the selection", async () => {
    const { user } = show(new Set([1, 6]));
    expect(screen.queryByTestId("pay-item-1")).toBeNull();
    expect(screen.getByTestId("pay-waiting-1")).toHaveTextContent("Payment waiting to send");
    await user.click(screen.getByTestId("pay-select-all"));
    expect(selectedTotal()).toBe("2700");
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
    expect(parseAmount("2.50", "EUR")).toBe(250);
    expect(parseAmount(" 2,50 ", "EUR")).toBe(250);
    expect(parseAmount("2 50", "EUR")).toBeNull();
    expect(parseAmount("1 000", "EUR")).toBeNull();
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
