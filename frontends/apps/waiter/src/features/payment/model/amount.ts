// Typed amounts: the parser is shared with the order screen (shared/amount-input.ts); the tip rule is the pay form's.
export { currencyDigits, parseAmount } from "../../../shared/amount-input";

/** A tip this large next to what is paid is more often a slip of the thumb than generosity: ask first. */
export function tipNeedsConfirmation(tip: number, amount: number): boolean {
  return tip > 0 && tip * 2 > amount;
}
