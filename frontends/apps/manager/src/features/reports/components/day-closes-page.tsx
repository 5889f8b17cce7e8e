// Closed business days, newest first, each with its Z number and a link to its stored report.
import { EmptyState, Money, Spinner } from "@tavolo/ui";
import { Link } from "wouter";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatDateTime, formatDay } from "../../../shared/format";
import { useDayCloses } from "../api/reports-api";

export function DayClosesPage() {
  const closes = useDayCloses();
  const currency = useCurrency();
  const timeZone = useSiteInfo().data?.timezone;
  if (closes.isPending) return <Spinner />;
  if (closes.isError) {
    return (
      <ErrorBanner title="The closed days could not be loaded" error={closes.error} />
    );
  }
  if (closes.data.length === 0) {
    return (
      <EmptyState title="No day has been closed yet" data-testid="day-closes-empty">
        Close a business day from its Z report; the appliance can also close it on its own at the hour set in
        Settings.
      </EmptyState>
    );
  }
  return (
    <section className="panel" aria-labelledby="closes-title">
      <h2 id="closes-title" className="report-subhead">
        Closed days
      </h2>
      <DataTable
        columns={[
          { label: "Z", num: true },
          "Business day",
          "Closed",
          "By",
          { label: "Net sales", num: true },
          { label: "Tips", num: true },
        ]}
        testId="day-closes-table"
      >
        {closes.data.map((close) => (
          <tr key={close.number}>
            <td className="num">{close.number}</td>
            <td>
              <Link href={`/day/${close.business_date}`}>{formatDay(close.business_date)}</Link>
            </td>
            <td>{formatDateTime(close.closed_at, timeZone)}</td>
            <td>{close.auto ? "Automatically" : (close.closed_by_name ?? "—")}</td>
            <td className="num">
              <Money amount={close.net_sales} currency={currency} />
            </td>
            <td className="num">
              <Money amount={close.tips} currency={currency} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
