// The X report: the open cash shift so far. Reading or printing it changes nothing.
import { ApiError } from "@tavolo/api";
import { Button, EmptyState, FormError, Money, Spinner } from "@tavolo/ui";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { usePrintX, useXReport } from "../api/reports-api";
import { ReportBody } from "./report-figures";

export function XReportPage() {
  const report = useXReport();
  const print = usePrintX();
  if (report.isPending) return <Spinner />;
  if (report.isError) {
    if (report.error instanceof ApiError && report.error.code === "NO_OPEN_SHIFT") {
      return (
        <EmptyState title="No cash shift is open" data-testid="x-no-shift">
          The X report covers the open cash shift. A waiter or manager opens one with the float in the drawer.
        </EmptyState>
      );
    }
    return (
      <ErrorBanner title="The X report could not be loaded" error={report.error} />
    );
  }
  const x = report.data;
  return (
    <div className="page" data-testid="x-report">
      <div className="panel report-head">
        <div>
          <h2 className="report-title">X report · shift opened {formatDateTime(x.shift.opened_at, x.timezone)}</h2>
          <p className="muted">
            Opened by {x.shift.opened_by_name} with a float of{" "}
            <Money amount={x.shift.opening_float} currency={x.currency} />. Expected in the drawer now:{" "}
            <Money amount={x.shift.expected_cash} currency={x.currency} /> · as of{" "}
            {formatDateTime(x.generated_at, x.timezone)}
          </p>
        </div>
        <div className="report-actions">
          <Button onClick={() => print.mutate()} busy={print.isPending} data-testid="x-print">
            Print X report
          </Button>
        </div>
        {print.isSuccess && (
          <p className="report-note" role="status">
            Sent to {print.data.printer_name}.
          </p>
        )}
        {print.isError && <FormError>{describeError(print.error)}</FormError>}
      </div>
      <ReportBody report={x} />
    </div>
  );
}
