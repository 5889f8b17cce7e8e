// One payment method as a big button. Methods come from the appliance (GET /api/payment-methods): cash, card,
// UPI and any a manager added; the button shows the method's own name.
import type { PaymentMethodInfo } from "@tavolo/api";
import { Button } from "@tavolo/ui";

export interface UpiChoice {
  /** Why UPI cannot be used now ("Razorpay unreachable — use cash or card"); null when it can. */
  unavailable: string | null;
  /** Nothing payable is chosen yet: the button waits for a part. */
  noPart: boolean;
  /** Show the QR of the part being paid. */
  onOpen: () => void;
}

export interface MethodButtonProps {
  method: PaymentMethodInfo;
  selected: boolean;
  onSelect: (code: string) => void;
  upi: UpiChoice;
  /** A payment is on its way: a choice made now would be cleared when it is taken. */
  disabled?: boolean;
}

export function MethodButton({ method, selected, onSelect, upi, disabled = false }: MethodButtonProps) {
  if (method.kind === "upi") return <UpiMethodButton method={method} upi={upi} disabled={disabled} />;
  return (
    <Button
      variant={selected ? "primary" : "secondary"}
      aria-pressed={selected}
      disabled={disabled}
      onClick={() => onSelect(method.code)}
      data-testid={`pay-method-${method.code}`}
    >
      {method.name}
    </Button>
  );
}

/**
 * UPI is never recorded by the phone (the appliance answers 409 METHOD_NEEDS_GATEWAY): a tap shows a QR the
 * appliance makes for the part (POST /api/orders/{id}/upi), and the appliance records the payment once Razorpay
 * reports the credit. So the button opens the QR at once instead of being a choice for the Pay button.
 */
function UpiMethodButton({ method, upi, disabled }: { method: PaymentMethodInfo; upi: UpiChoice; disabled: boolean }) {
  const { unavailable, noPart, onOpen } = upi;
  return (
    <Button
      variant="secondary"
      disabled={unavailable !== null || noPart || disabled}
      className={unavailable ? "pay-method--off" : "pay-method--upi"}
      onClick={onOpen}
      title={unavailable ?? undefined}
      data-testid={`pay-method-${method.code}`}
      data-unavailable={unavailable ?? undefined}
    >
      {method.name}
      {unavailable ? <span className="pay-method__why">{unavailable}</span> : <span className="pay-method__why">QR</span>}
    </Button>
  );
}
