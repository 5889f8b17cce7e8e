import type { Order } from "@tavolo/api";
import { Money } from "@tavolo/ui";
import { DataTable } from "../../../shared/data-table";
import { formatClock } from "../../../shared/format";

interface OrderPaymentsProps {
  order: Order;
  names: Map<number, string>;
  currency: string;
  timeZone: string | undefined;
  now: number;
}

/** Payments taken on the order: when, how, how much (tip and refunds apart), and by whom. */
export function OrderPayments({ order, names, currency, timeZone, now }: OrderPaymentsProps) {
  return (
    <section className="order-section" aria-labelledby="order-payments-title">
      <h3 id="order-payments-title" className="order-section__title">
        Payments
      </h3>
      <DataTable
        columns={["Time", "Method", { label: "Amount", num: true }, { label: "Tip", num: true }, "By"]}
        testId="order-payments"
      >
        {order.payments.map((payment) => (
          <tr key={payment.id}>
            <td className="nowrap">{formatClock(payment.created_at, timeZone, now)}</td>
            <td>
              {payment.method}
              {payment.split_part && <span className="muted"> · part {payment.split_part}</span>}
              {payment.refunded > 0 && (
                <span className="badge badge--warn">
                  refunded <Money amount={payment.refunded} currency={currency} />
                </span>
              )}
            </td>
            <td className="num">
              <Money amount={payment.amount} currency={currency} />
            </td>
            <td className="num">{payment.tip > 0 ? <Money amount={payment.tip} currency={currency} /> : "—"}</td>
            <td>{names.get(payment.created_by_id) ?? "—"}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
