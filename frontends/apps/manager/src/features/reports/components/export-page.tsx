// CSV exports of the orders and their items for a period of business days (both days included).
import { Button, FormError } from "@tavolo/ui";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useSiteInfo } from "../../../lib/site";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { isDay, todayIn } from "../../../shared/format";
import { downloadExport, type ExportKind } from "../api/export-api";

export function ExportPage() {
  const today = todayIn(useSiteInfo().data?.timezone);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const hintId = useId();
  const start = from ?? today;
  const end = to ?? today;
  const problem =
    !isDay(start) || !isDay(end) ? "Pick both days." : end < start ? "The last day is before the first." : null;
  const download = useMutation({
    mutationFn: (kind: ExportKind) => downloadExport(kind, start, end),
  });
  const busyKind = download.isPending ? download.variables : null;

  return (
    <section className="panel page" aria-labelledby="export-title" data-testid="export-panel">
      <div>
        <h2 id="export-title" className="report-subhead">
          Export to CSV
        </h2>
        <p className="muted" id={hintId}>
          Orders opened on the days picked (both included, site time), for a spreadsheet or the accountant. Amounts are
          decimal numbers in the site currency.
        </p>
      </div>
      <div className="toolbar">
        <Field label="First day">
          {(control) => (
            <input
              {...control}
              type="date"
              value={start}
              max={today}
              aria-describedby={hintId}
              data-testid="export-from"
              onChange={(event) => setFrom(event.target.value)}
            />
          )}
        </Field>
        <Field label="Last day">
          {(control) => (
            <input
              {...control}
              type="date"
              value={end}
              max={today}
              aria-invalid={problem ? true : undefined}
              data-testid="export-to"
              onChange={(event) => setTo(event.target.value)}
            />
          )}
        </Field>
        <Button
          variant="primary"
          disabled={problem !== null || download.isPending}
          busy={busyKind === "orders"}
          onClick={() => download.mutate("orders")}
          data-testid="export-orders"
        >
          Download orders CSV
        </Button>
        <Button
          disabled={problem !== null || download.isPending}
          busy={busyKind === "items"}
          onClick={() => download.mutate("items")}
          data-testid="export-items"
        >
          Download items CSV
        </Button>
      </div>
      {problem && <p className="field__error">{problem}</p>}
      {download.isSuccess && (
        <p role="status" className="report-note" data-testid="export-done">
          Saved {download.data}.
        </p>
      )}
      {download.isError && <FormError data-testid="export-error">{describeError(download.error)}</FormError>}
    </section>
  );
}
