import type { SiteDetail } from "@tavolo/api";
import { Banner, Button, Money, Spinner, useNow } from "@tavolo/ui";
import { useState } from "react";
import { describeError } from "../../../lib/errors";
import { formatDateTime, formatPaidThrough } from "../../../lib/format";
import type { Renewal } from "../api/renewals-api";
import { useRenewals } from "../hooks/use-renewals";
import { RenewalDialog } from "./renewal-dialog";
import { RenewalLink } from "./renewal-link";
import { findOpenRenewal, monthsText, RenewalBadge } from "./renewal-status";
import "./payments.css";

/** The site's license renewals (Razorpay payment links) and their payments, and making a new link. */
export function PaymentsCard({ site }: { site: SiteDetail }) {
  const renewals = useRenewals(site.site_id);
  const [creating, setCreating] = useState(false);
  const now = useNow(60_000);
  const list = renewals.data ?? [];
  const open = findOpenRenewal(list, now);

  return (
    <section className="detail__section payments" aria-labelledby="payments-title" data-testid="payments-card">
      <div className="payments__head">
        <h2 id="payments-title">Payments</h2>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create renewal link
        </Button>
      </div>
      {open && <OpenLink renewal={open} />}
      {renewals.isError && (
        <Banner
          tone="error"
          title="The payments could not be loaded"
          action={
            <Button onClick={() => void renewals.refetch()} busy={renewals.isFetching}>
              Retry
            </Button>
          }
        >
          {describeError(renewals.error)}
        </Banner>
      )}
      {renewals.isPending ? (
        <Spinner label="Loading the payments" />
      ) : list.length === 0 ? (
        !renewals.isError && <p className="muted">No renewal yet. Create a link and send it to the restaurant.</p>
      ) : (
        <RenewalTable renewals={list} />
      )}
      {creating && <RenewalDialog site={site} openRenewal={open} onClose={() => setCreating(false)} />}
    </section>
  );
}

function OpenLink({ renewal }: { renewal: Renewal }) {
  return (
    <div className="payments__open" data-testid="open-renewal">
      <p>
        <strong>Waiting to be paid:</strong> {monthsText(renewal.months)},{" "}
        <Money amount={renewal.amount} currency={renewal.currency} />
        {renewal.expire_by && <> · the link expires {formatDateTime(renewal.expire_by)}</>}
      </p>
      <RenewalLink url={renewal.short_url} />
    </div>
  );
}

function RenewalTable({ renewals }: { renewals: Renewal[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="renewal-table">
        <caption className="visually-hidden">License renewals, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Months</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Paid at</th>
            <th scope="col">Razorpay payment</th>
            <th scope="col">Paid through</th>
          </tr>
        </thead>
        <tbody>
          {renewals.map((renewal) => (
            <RenewalRow key={renewal.id} renewal={renewal} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RenewalRow({ renewal }: { renewal: Renewal }) {
  const paid = renewal.amount_paid;
  // Razorpay takes no partial payments on these links; a different amount would be worth noticing.
  const paidOther = paid !== null && paid !== renewal.amount;
  return (
    <tr data-testid="renewal-row" data-status={renewal.status} data-renewal-id={renewal.id}>
      <td>
        <time dateTime={renewal.created_at}>{formatDateTime(renewal.created_at)}</time>
        {renewal.created_by && <div className="muted">by {renewal.created_by}</div>}
      </td>
      <td>{renewal.months}</td>
      <td className="nowrap">
        <Money amount={renewal.amount} currency={renewal.currency} />
        {paidOther && (
          <div className="muted">
            paid <Money amount={paid} currency={renewal.currency} />
          </div>
        )}
      </td>
      <td>
        <RenewalBadge status={renewal.status} />
      </td>
      <td>{renewal.paid_at ? <time dateTime={renewal.paid_at}>{formatDateTime(renewal.paid_at)}</time> : "—"}</td>
      <td className="mono" data-testid="renewal-payment-id">
        {renewal.razorpay_payment_id ?? "—"}
      </td>
      <td className="nowrap" data-testid="renewal-extension">
        {renewal.extended_from && renewal.extended_to ? (
          <>
            <time dateTime={renewal.extended_from}>{formatPaidThrough(renewal.extended_from)}</time> →{" "}
            <time dateTime={renewal.extended_to}>{formatPaidThrough(renewal.extended_to)}</time>
          </>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
