// Tomorrow: each item's expected use (the same weekday of the last four weeks, through the recipes), whether the
// stock covers it (critical: runs out, warning: less than half a day to spare) and what to order; critical first.
import { Button, EmptyState, FormError, Spinner } from "@tavolo/ui";
import { useState } from "react";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatDay } from "../../../shared/format";
import { saveBlob } from "../../reports/api/export-api";
import { useForecast } from "../api/inventory-api";
import { forecastCsv, sortForecast } from "../model/forecast";
import { formatQuantity } from "../model/units";
import { ForecastChip } from "./parts";

/** How many same weekdays the figure averages: "4 Thursdays", "1 Thursday", or none yet. */
function basedOn(days: number, day: string): string {
  if (days === 0) return "no history yet";
  const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" }).format(
    new Date(`${day}T12:00:00Z`),
  );
  return `${days} ${weekday}${days === 1 ? "" : "s"}`;
}

export function ForecastPage() {
  const forecast = useForecast();
  const [saved, setSaved] = useState<string | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const rows = sortForecast(forecast.data ?? []);
  const day = rows[0]?.day ?? "";
  const counts = { critical: 0, warning: 0, ok: 0 };
  for (const row of rows) counts[row.status] += 1;

  function download() {
    try {
      const name = `tavolo-forecast-${day}.csv`;
      saveBlob(new Blob([forecastCsv(rows, day)], { type: "text/csv;charset=utf-8" }), name);
      setSaved(name);
      setCsvError(null);
    } catch (error) {
      setCsvError(error instanceof Error ? error.message : "The file could not be made.");
    }
  }

  return (
    <div className="panel inv-section" data-testid="forecast-page">
      <div className="inv-section__head">
        <div>
          <h2 className="inv-subhead">{day ? `Forecast for ${formatDay(day)}` : "Forecast for tomorrow"}</h2>
          <p className="muted">
            Expected use from the same weekday of the last four weeks, through the recipes.
            {rows.length > 0 && (
              <>
                {" "}
                <span data-testid="forecast-summary">
                  {counts.critical} critical, {counts.warning} warning, {counts.ok} OK.
                </span>
              </>
            )}
          </p>
        </div>
        <div className="inv-section__actions">
          <Button
            onClick={download}
            disabled={rows.length === 0}
            aria-label="Download the forecast as CSV"
            data-testid="forecast-csv"
          >
            CSV
          </Button>
          {saved && (
            <span role="status" className="visually-hidden">
              Saved {saved}
            </span>
          )}
          {csvError && <FormError>{csvError}</FormError>}
        </div>
      </div>
      {forecast.isPending ? (
        <Spinner label="Loading the forecast" />
      ) : forecast.isError ? (
        <ErrorBanner title="The forecast could not be loaded" error={forecast.error} />
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing to forecast yet">
          Add stock items and give the dishes their recipes: the forecast follows what sells.
        </EmptyState>
      ) : (
        <DataTable
          testId="forecast-table"
          columns={[
            "Item",
            { label: "On hand", num: true },
            { label: "Expected use", num: true },
            "Status",
            { label: "Suggested order", num: true },
            "Based on",
          ]}
        >
          {rows.map((row) => (
            <tr key={row.stock_item_id} data-testid={`forecast-row-${row.stock_item_id}`} data-status={row.status}>
              <td>
                <strong>{row.name}</strong>
              </td>
              <td className="num nowrap">{formatQuantity(row.on_hand, row.unit)}</td>
              <td className="num nowrap">{formatQuantity(row.forecast, row.unit)}</td>
              <td>
                <ForecastChip status={row.status} />
              </td>
              <td className="num nowrap" data-testid="forecast-suggested">
                {row.suggested_order > 0 ? (
                  formatQuantity(row.suggested_order, row.unit)
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="muted nowrap">{basedOn(row.days, row.day)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
