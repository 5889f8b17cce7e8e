// A section of an analytics page: its title, its CSV button (the same figures, as a file), what it shows, and the
// loading and error states of the request behind it.
import { Button, FormError, Spinner } from "@tavolo/ui";
import { useMutation, type UseQueryResult } from "@tanstack/react-query";
import { useId, type ReactNode } from "react";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { csvName, downloadCsv, type CsvTable } from "../api/analytics-api";
import type { Range } from "../lib/period";

export function CsvButton({ table, range, what }: { table: CsvTable; range: Range; what: string }) {
  const download = useMutation({ mutationFn: () => downloadCsv(table, range) });
  const name = csvName(table);
  return (
    <div className="csv-button">
      <Button
        onClick={() => download.mutate()}
        busy={download.isPending}
        aria-label={`Download ${what} as CSV`}
        data-testid={`csv-${name}`}
      >
        CSV
      </Button>
      {download.isSuccess && (
        <span role="status" className="visually-hidden">
          Saved {download.data}
        </span>
      )}
      {download.isError && <FormError data-testid={`csv-${name}-error`}>{describeError(download.error)}</FormError>}
    </div>
  );
}

export function Section({
  title,
  csv,
  range,
  actions,
  testId,
  children,
}: {
  title: string;
  /** The table this section's CSV button downloads; none: no button. */
  csv?: CsvTable;
  range: Range;
  /** Controls next to the title (a toggle). */
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="panel analytics-section" aria-labelledby={titleId} data-testid={testId}>
      <div className="analytics-section__head">
        <h2 id={titleId} className="report-subhead">
          {title}
        </h2>
        <div className="analytics-section__actions">
          {actions}
          {csv !== undefined && <CsvButton table={csv} range={range} what={title.toLowerCase()} />}
        </div>
      </div>
      {children}
    </section>
  );
}

/**
 * What a query answered, or a spinner, or its error; while another period loads, the last one stays, dimmed
 * (aria-busy), and the days the figures are of are on the wrapper (data-from, data-to).
 */
export function Loaded<T extends { from: string; to: string }>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorBanner title={`The ${what} could not be loaded`} error={query.error} />;
  return (
    <div
      className={query.isPlaceholderData ? "analytics-stale" : undefined}
      aria-busy={query.isPlaceholderData}
      data-from={query.data.from}
      data-to={query.data.to}
      data-testid="analytics-loaded"
    >
      {children(query.data)}
    </div>
  );
}
