// How the bill's total is made up, as the appliance computed it (order.totals): items, discounts, service
// charge, tax per rate, total. With tax-inclusive prices the tax lines are what the total already contains.
import type { OrderTotals } from "@tavolo/api";
import { Money } from "@tavolo/ui";

/** Basis points as a percentage: 500 → "5%", 1250 → "12.5%". */
export function percentText(bp: number): string {
  return `${(bp / 100).toLocaleString("en", { maximumFractionDigits: 2 })}%`;
}

export function BillTotals({ totals, currency }: { totals: OrderTotals; currency: string }) {
  const inclusive = totals.tax_mode === "inclusive";
  return (
    <section className="pay-totals" aria-label="How the total is made up" data-testid="bill-totals">
      <p className="pay-totals__row">
        <span>Items</span>
        <Money amount={totals.subtotal} currency={currency} data-testid="bill-subtotal" />
      </p>
      {totals.discounts > 0 && (
        <p className="pay-totals__row pay-totals__row--discount">
          <span>Discounts</span>
          <Money amount={-totals.discounts} currency={currency} data-testid="bill-discounts" />
        </p>
      )}
      {totals.service_charge > 0 && (
        <p className="pay-totals__row">
          <span>Service charge {percentText(totals.service_charge_bp)}</span>
          <Money amount={totals.service_charge} currency={currency} data-testid="bill-service-charge" />
        </p>
      )}
      {totals.taxes.map((line) => (
        <p key={line.rate_bp} className="pay-totals__row pay-totals__row--tax">
          <span>
            Tax {percentText(line.rate_bp)}
            {inclusive ? " (included)" : ""}
          </span>
          <Money amount={line.tax} currency={currency} data-testid={`bill-tax-${line.rate_bp}`} />
        </p>
      ))}
      <p className="pay-totals__row pay-totals__row--total">
        <span>Total</span>
        <Money amount={totals.total} currency={currency} data-testid="bill-total" />
      </p>
    </section>
  );
}
