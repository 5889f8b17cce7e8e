// Which table, how many guests, and what the bill stands at.
import { formatMoney } from "@tavolo/ui";
import { Link } from "wouter";

interface OrderHeaderProps {
  tableLabel: string;
  guests: number | null;
  waiterName: string | null;
  total: number;
  due: number;
  currency: string;
  /** Shown instead of the amounts' meaning while the order exists only on this phone. */
  note: string | null;
  onShowBill: () => void;
}

export function OrderHeader(props: OrderHeaderProps) {
  const { tableLabel, guests, waiterName, total, due, currency, note, onShowBill } = props;
  const sub = [guests ? `${guests} guest${guests === 1 ? "" : "s"}` : null, waiterName].filter(Boolean).join(" · ");
  return (
    <header className="ord-head">
      <Link href="/" className="ord-head__back" aria-label="Back to tables" data-testid="back-to-tables">
        ←
      </Link>
      <div className="ord-head__table">
        <h1 className="ord-head__label">{tableLabel}</h1>
        {(sub || note) && <p className="ord-head__sub">{note ?? sub}</p>}
      </div>
      <button type="button" className="ord-head__sums" onClick={onShowBill} aria-label="Show the bill">
        <span className="ord-head__sum">
          <span className="ord-head__sum-label">Total</span>
          <strong data-testid="order-total" data-amount={total}>
            {formatMoney(total, currency)}
          </strong>
        </span>
        <span className="ord-head__sum">
          <span className="ord-head__sum-label">Due</span>
          <strong data-testid="order-due" data-amount={due}>
            {formatMoney(due, currency)}
          </strong>
        </span>
      </button>
    </header>
  );
}
