// The parts of an even or seat split: each with its amount, the paid ones with how they were paid, the open
// ones to tap (the next one is chosen by itself). Also the guest stepper of the even split and the amount keypad.
import type { PaymentMethodInfo } from "@tavolo/api";
import { Money, formatMoney } from "@tavolo/ui";
import type { ListedPart } from "../model/split";

export interface SplitPartsProps {
  parts: readonly ListedPart[];
  chosen: number | null;
  currency: string;
  methods: readonly PaymentMethodInfo[];
  onChoose: (n: number) => void;
}

export function SplitParts({ parts, chosen, currency, methods, onChoose }: SplitPartsProps) {
  const methodName = (code: string) => methods.find((m) => m.code === code)?.name ?? code;
  return (
    <ul className="pay-list pay-parts" aria-label="Parts">
      {parts.map((part) => {
        const { paid } = part;
        if (paid !== null) {
          return (
            <li
              key={part.n}
              className="pay-row pay-row--paid pay-part"
              data-testid={`split-part-${part.n}`}
              data-amount={paid === "queued" ? undefined : part.amount}
              data-paid="true"
            >
              <span className="pay-row__name">
                {part.label}
                <span className="pay-row__note">
                  {paid === "queued"
                    ? "Payment waiting to send"
                    : `Paid · ${methodName(paid.method)}${paid.tip > 0 ? ` · tip ${formatMoney(paid.tip, currency)}` : ""}`}
                </span>
              </span>
              {paid !== "queued" && <Money className="pay-row__price" amount={part.amount} currency={currency} />}
            </li>
          );
        }
        return (
          <li key={part.n}>
            <button
              type="button"
              className="pay-row pay-part pay-part--open"
              aria-pressed={chosen === part.n}
              onClick={() => onChoose(part.n)}
              data-testid={`split-part-${part.n}`}
              data-amount={part.amount}
              data-paid="false"
            >
              <span className="pay-row__name">{part.label}</span>
              <Money className="pay-row__price" amount={part.amount} currency={currency} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function GuestStepper({ guests, onChange }: { guests: number; onChange: (guests: number) => void }) {
  return (
    <div className="pay-stepper" role="group" aria-label="Guests sharing the bill">
      <button
        type="button"
        className="pay-qty__btn"
        aria-label="One guest fewer"
        disabled={guests <= 2}
        onClick={() => onChange(guests - 1)}
        data-testid="split-guests-dec"
      >
        −
      </button>
      <span className="pay-stepper__value" data-testid="split-guests" data-value={guests}>
        {guests} guests
      </span>
      <button
        type="button"
        className="pay-qty__btn"
        aria-label="One guest more"
        disabled={guests >= 30}
        onClick={() => onChange(guests + 1)}
        data-testid="split-guests-inc"
      >
        +
      </button>
    </div>
  );
}

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0", "back"] as const;

/** A till's keypad: digits fill the amount from the right (1, 2, 5, 0 → 12.50), so no decimal point to find. */
export function AmountKeypad({
  amount,
  max,
  currency,
  onChange,
}: {
  amount: number;
  max: number;
  currency: string;
  onChange: (amount: number) => void;
}) {
  function press(key: (typeof KEYS)[number]) {
    if (key === "back") onChange(Math.floor(amount / 10));
    else {
      const next = amount * 10 ** key.length + Number(key);
      if (next <= 100_000_000_000) onChange(next);
    }
  }
  return (
    <div className="pay-keypad-wrap">
      <p className="pay-keypad__display">
        <Money amount={amount} currency={currency} data-testid="pay-amount" />
      </p>
      {amount > max && (
        <p className="pay-tip-error" role="alert" data-testid="pay-amount-too-much">
          Only {formatMoney(max, currency)} is left to pay.
        </p>
      )}
      <div className="pay-keypad" role="group" aria-label="Amount keypad">
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            className="pay-keypad__key"
            aria-label={key === "back" ? "Delete the last digit" : undefined}
            onClick={() => press(key)}
            data-testid={`amount-key-${key}`}
          >
            {key === "back" ? "⌫" : key}
          </button>
        ))}
      </div>
      <div className="pay-chips">
        <button type="button" className="pay-chip" onClick={() => onChange(0)} data-testid="amount-clear">
          Clear
        </button>
        <button type="button" className="pay-chip" onClick={() => onChange(max)} data-testid="amount-all">
          All that is left · {formatMoney(max, currency)}
        </button>
      </div>
    </div>
  );
}
