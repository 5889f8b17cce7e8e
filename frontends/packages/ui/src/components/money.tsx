import type { HTMLAttributes } from "react";
import { formatMoney } from "../money";

export interface MoneyProps extends HTMLAttributes<HTMLSpanElement> {
  /** Integer minor units. */
  amount: number;
  currency: string;
  locale?: string;
}

/** An amount as text, with the exact minor units in data-amount for tests and scripts. */
export function Money({ amount, currency, locale, className, ...rest }: MoneyProps) {
  return (
    <span {...rest} className={className ? `ui-money ${className}` : "ui-money"} data-amount={amount}>
      {formatMoney(amount, currency, locale)}
    </span>
  );
}
