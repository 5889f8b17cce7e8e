import type { PaymentMethodInfo } from "@tavolo/api";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PayForm, type PayRequest } from "../components/pay-form";
import type { PayPart } from "../model/split";

afterEach(cleanup);

function method(code: string, name: string, kind: PaymentMethodInfo["kind"], sort_order: number): PaymentMethodInfo {
  return { id: sort_order, code, name, kind, is_active: true, sort_order, created_at: "2026-01-01T00:00:00Z" };
}

const METHODS = [
  method("cash", "Cash", "cash", 10),
  method("card", "Card", "card", 20),
  method("upi", "UPI", "upi", 30),
  method("voucher", "Gift voucher", "other", 40),
];

const ITEMS_PART: PayPart = { label: "1 item", amount: 450, splitPart: null, items: [{ item_id: 1, quantity: 1 }] };
const SHARE: PayPart = { label: "2/4", amount: 2501, splitPart: "2/4", items: null };

function show(part: PayPart | null = ITEMS_PART, problem: string | null = null, upiUnavailable: string | null = null) {
  const onPay = vi.fn<(request: PayRequest) => Promise<boolean>>().mockResolvedValue(true);
  const onUpi = vi.fn<(part: PayPart) => void>();
  render(
    <PayForm
      part={part}
      problem={problem}
      methods={METHODS}
      currency="EUR"
      busy={false}
      onPay={onPay}
      upiUnavailable={upiUnavailable}
      onUpi={onUpi}
    />,
  );
  return { onPay, onUpi, user: userEvent.setup() };
}

const submitButton = () => screen.getByTestId("pay-submit");

describe("PayForm methods", () => {
  it("offers the appliance's methods by name", async () => {
    const { user } = show();
    expect(screen.getByTestId("pay-method-cash")).toHaveTextContent("Cash");
    expect(screen.getByTestId("pay-method-voucher")).toHaveTextContent("Gift voucher");
    await user.click(screen.getByTestId("pay-method-voucher"));
    expect(screen.getByTestId("pay-method-voucher")).toHaveAttribute("aria-pressed", "true");
    expect(submitButton()).toHaveTextContent("Pay €4.50");
  });

  it("opens the UPI QR of the part at once instead of choosing UPI for the Pay button", async () => {
    const { user, onUpi, onPay } = show(SHARE);
    const upi = screen.getByTestId("pay-method-upi");
    expect(upi).toBeEnabled();
    await user.click(upi);
    expect(onUpi).toHaveBeenCalledWith(SHARE);
    expect(onPay).not.toHaveBeenCalled();
    expect(submitButton()).toHaveTextContent("Choose how it is paid");
  });

  it("greys UPI out with its reason when the gateway cannot be used, and while nothing is chosen", async () => {
    const { user, onUpi } = show(SHARE, null, "Razorpay unreachable — use cash or card");
    const upi = screen.getByTestId("pay-method-upi");
    expect(upi).toBeDisabled();
    expect(upi).toHaveTextContent("Razorpay unreachable — use cash or card");
    await user.click(upi);
    expect(onUpi).not.toHaveBeenCalled();
    cleanup();
    show(null);
    expect(screen.getByTestId("pay-method-upi")).toBeDisabled();
  });

  it("needs something to pay", () => {
    show(null);
    expect(submitButton()).toBeDisabled();
    expect(submitButton()).toHaveTextContent("Choose what is paid");
  });

  it("needs a method", async () => {
    const { user } = show();
    expect(submitButton()).toHaveTextContent("Choose how it is paid");
    await user.click(screen.getByTestId("pay-method-card"));
    expect(submitButton()).toBeEnabled();
  });

  it("shows the screen's reason when the part cannot be paid as it stands", () => {
    show(ITEMS_PART, "These items come to more than what is left: pay by amount");
    expect(submitButton()).toBeDisabled();
    expect(submitButton()).toHaveTextContent("more than what is left");
  });

  it("sends the part with the method, the tip and no cash handed over by card", async () => {
    const { onPay, user } = show(SHARE);
    await user.click(screen.getByTestId("pay-method-card"));
    expect(screen.queryByTestId("pay-tendered")).toBeNull();
    await user.click(submitButton());
    expect(onPay).toHaveBeenCalledWith({ part: SHARE, method: METHODS[1], tip: 0, tendered: null, change: 0 });
  });
});

describe("PayForm tips", () => {
  it("offers 0/5/10/15 % of the part, rounded to the cent, and a typed tip", async () => {
    const { onPay, user } = show(SHARE);
    expect(screen.getByTestId("pay-tip-0")).toHaveAttribute("aria-pressed", "true");
    // 5 % of 25.01 is 1.2505 → 1.25; 10 % → 2.501 → 2.50; 15 % → 3.7515 → 3.75.
    expect(screen.getByTestId("pay-tip-5")).toHaveTextContent("€1.25");
    expect(screen.getByTestId("pay-tip-10")).toHaveTextContent("€2.50");
    expect(screen.getByTestId("pay-tip-15")).toHaveTextContent("€3.75");
    await user.click(screen.getByTestId("pay-tip-10"));
    await user.click(screen.getByTestId("pay-method-card"));
    expect(submitButton()).toHaveTextContent("Pay €27.51 (tip €2.50)");
    await user.click(submitButton());
    expect(onPay).toHaveBeenLastCalledWith(expect.objectContaining({ tip: 250 }));
  });

  it("takes a typed tip instead of a chip and says when it is not an amount", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-method-card"));
    await user.type(screen.getByTestId("tip-input"), "2 50");
    expect(screen.getByTestId("tip-error")).toHaveTextContent("not an amount");
    expect(screen.getByTestId("pay-tip-0")).toHaveAttribute("aria-pressed", "false");
    expect(submitButton()).toBeDisabled();
    await user.clear(screen.getByTestId("tip-input"));
    await user.type(screen.getByTestId("tip-input"), "0,50");
    expect(submitButton()).toHaveTextContent("Pay €5.00");
    await user.click(submitButton());
    expect(onPay).toHaveBeenCalledWith(expect.objectContaining({ tip: 50 }));
    // Taken: the choices are cleared for the next guest.
    expect(screen.getByTestId("pay-tip-0")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("pay-method-card")).toHaveAttribute("aria-pressed", "false");
  });

  it("asks before taking a tip of more than half the amount paid", async () => {
    const { onPay, user } = show();
    await user.click(screen.getByTestId("pay-method-card"));
    await user.type(screen.getByTestId("tip-input"), "3");
    await user.click(submitButton());
    expect(onPay).not.toHaveBeenCalled();
    expect(screen.getByTestId("tip-confirm-prompt")).toHaveTextContent("€3.00 is more than half of the €4.50");
    expect(submitButton()).toBeDisabled();
    await user.click(screen.getByTestId("tip-change"));
    expect(screen.getByTestId("tip-input")).toHaveFocus();
    await user.click(submitButton());
    await user.click(screen.getByTestId("tip-confirm"));
    expect(onPay).toHaveBeenCalledWith(expect.objectContaining({ tip: 300 }));
  });
});

describe("PayForm cash", () => {
  it("shows the change for the cash handed over, tip included", async () => {
    const { onPay, user } = show(SHARE);
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.click(screen.getByTestId("pay-tip-5"));
    await user.type(screen.getByTestId("pay-tendered"), "30");
    // 30.00 - 25.01 - 1.25 = 3.74
    expect(screen.getByTestId("pay-change")).toHaveAttribute("data-amount", "374");
    expect(screen.getByTestId("pay-change")).toHaveTextContent("€3.74");
    await user.click(submitButton());
    expect(onPay).toHaveBeenCalledWith({ part: SHARE, method: METHODS[0], tip: 125, tendered: 3000, change: 374 });
  });

  it("refuses cash that does not cover the part and the tip", async () => {
    const { onPay, user } = show(SHARE);
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.type(screen.getByTestId("pay-tendered"), "25");
    expect(screen.queryByTestId("pay-change")).toBeNull();
    expect(screen.getByTestId("pay-tendered-short")).toHaveTextContent("€0.01 short");
    expect(submitButton()).toBeDisabled();
    await user.clear(screen.getByTestId("pay-tendered"));
    await user.type(screen.getByTestId("pay-tendered"), "25,01");
    expect(screen.getByTestId("pay-change")).toHaveAttribute("data-amount", "0");
    await user.click(submitButton());
    expect(onPay).toHaveBeenCalledWith(expect.objectContaining({ tendered: 2501, change: 0 }));
  });

  it("pays cash without a tendered amount as exact", async () => {
    const { onPay, user } = show(SHARE);
    await user.click(screen.getByTestId("pay-method-cash"));
    await user.click(submitButton());
    expect(onPay).toHaveBeenCalledWith(expect.objectContaining({ tendered: null, change: 0 }));
  });
});
