// Which table, how many guests, and what the bill stands at.
import { formatMoney } from "@tavolo/ui";
import { Link } from "wouter";

interface OrderHeaderProps {
  tableLabel: string;
  guests: number | null;
  waiterName: string | null;
  /** Null while there is no bill to show (loading, or offline before it was ever loaded). */
  total: number | null;
  /** What is left once the payments still in the outbox have gone through; null with no bill. */
  due: number | null;
  currency: string;
  /** Shown instead of the amounts' meaning while the order exists only on this phone. */
  note: string | null;
  onShowBill: () => void;
}

export function OrderHeader(props: OrderHeaderProps) {
  const { tableLabel, guests, waiterName, total, due, currency, note, onShowBill } = props;
  const sub = [guests ? `${guests} guest${guests === 1 ? "" : "s"}` : null, waiterName].filter(Boolean).join(" · ");
  return (
    <header className="screen-head">
      <Link href="/" className="screen-head__back" aria-label="Back to tables" data-testid="back-to-tables">
        ←
      </Link>
      <div className="ord-head__table">
        <h1 className="screen-head__title">{tableLabel}</h1>
        {(sub || note) && <p className="ord-head__sub">{note ?? sub}</p>}
      </div>
      <button type="button" className="ord-head__sums" onClick={onShowBill} aria-label="Show the bill">
        <span className="ord-head__sum">
          <span className="ord-head__sum-label">Total</span>
          <Amount testId="order-total" amount={total} currency={currency} />
        </span>
        <span className="ord-head__sum">
          <span className="ord-head__sum-label">Due</span>
          <Amount testId="order-due" amount={due} currency={currency} />
        </span>
      </button>
    </header>
  );
}

// No bill yet is not a bill of 0: "—", and no data-amount for anything to read as one.
function Amount({ testId, amount, currency }: { testId: string; amount: number | null; currency: string }) {
  return amount === null ? (
    <strong data-testid={testId}>—</strong>
  ) : (
    <strong data-testid={testId} data-amount={amount}>
      {formatMoney(amount, currency)}
    </strong>
  );
}
