// The analytics of a period (each compared with the period just before it) and their CSV files. Keys sit under
// the reports' key, so whatever refreshes the reports (a day closed, a payment's event) refreshes these too.
import { unwrap, type Schemas } from "@tavolo/api";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { keys } from "../../../lib/query-keys";
import { filenameFromDisposition, saveBlob } from "../../reports/api/export-api";
import type { Range } from "../lib/period";

export type GroupBy = "hour" | "weekday" | "day" | "product" | "category" | "waiter";
export type SalesReport = Schemas["SalesReportRead"];
export type SalesRow = Schemas["SalesRowRead"];
export type Summary = Schemas["SummaryRead"];
export type Metric = Schemas["MetricRead"];
export type Heatmap = Schemas["HeatmapRead"];
export type HeatCell = Schemas["HeatCellRead"];
export type Products = Schemas["ProductsRead"];
export type ProductLine = Schemas["ProductLineRead"];
export type Waiters = Schemas["WaitersRead"];
export type WaiterLine = Schemas["WaiterLineRead"];
export type Turnover = Schemas["TurnoverRead"];
export type TurnoverLine = Schemas["TurnoverLineRead"];
export type Kitchen = Schemas["KitchenRead"];
export type PrepLine = Schemas["PrepLineRead"];
export type Exceptions = Schemas["ExceptionsRead"];

// A period of the past does not change, and today's changes slowly: a minute is fresh enough, and a tap back to
// a tab already seen answers at once.
const STALE_MS = 60_000;

const analyticsKey = (name: string, range: Range) =>
  [...keys.reports, "analytics", name, range.from, range.to] as const;

function query(range: Range) {
  return { params: { query: { from: range.from, to: range.to } } };
}

/** These routes answer JSON or CSV; asked without `format`, the answer is the JSON one. */
async function json<T>(pending: Promise<{ data?: T | string; error?: unknown; response: Response }>): Promise<T> {
  return (await unwrap(pending)) as T;
}

function useAnalytics<T>(name: string, range: Range | null, fetch: (range: Range) => Promise<T>) {
  return useQuery({
    queryKey: analyticsKey(name, range ?? { from: "", to: "" }),
    queryFn: () => fetch(range as Range),
    enabled: range !== null,
    staleTime: STALE_MS,
    // While the next period loads, the last one stays on screen (dimmed) instead of a spinner's jump.
    placeholderData: keepPreviousData,
  });
}

export const useSummary = (range: Range) =>
  useAnalytics("summary", range, (r) => json<Summary>(api.GET("/api/analytics/summary", query(r))));

export const useSales = (range: Range, groupBy: GroupBy) =>
  useAnalytics(`sales-${groupBy}`, range, (r) =>
    json<SalesReport>(
      api.GET("/api/reports/sales", { params: { query: { from: r.from, to: r.to, group_by: groupBy } } }),
    ),
  );

export const useHeatmap = (range: Range) =>
  useAnalytics("heatmap", range, (r) => json<Heatmap>(api.GET("/api/analytics/heatmap", query(r))));

// The next four have no previous figures of their own: a screen asks for the previous range too (null: not yet).
export const useProducts = (range: Range | null) =>
  useAnalytics("products", range, (r) => json<Products>(api.GET("/api/analytics/products", query(r))));

export const useWaiters = (range: Range | null) =>
  useAnalytics("waiters", range, (r) => json<Waiters>(api.GET("/api/analytics/waiters", query(r))));

export const useTurnover = (range: Range | null) =>
  useAnalytics("turnover", range, (r) => json<Turnover>(api.GET("/api/analytics/turnover", query(r))));

export const useKitchen = (range: Range | null) =>
  useAnalytics("kitchen", range, (r) => json<Kitchen>(api.GET("/api/analytics/kitchen", query(r))));

export const useExceptions = (range: Range | null) =>
  useAnalytics("exceptions", range, (r) => json<Exceptions>(api.GET("/api/analytics/exceptions", query(r))));

// --- CSV ------------------------------------------------------------------------------------------------------

/** A table that can be downloaded: an analytics route, or the sales report by one of its groupings. */
export type CsvTable =
  | "summary"
  | "heatmap"
  | "products"
  | "waiters"
  | "turnover"
  | "kitchen"
  | "exceptions"
  | { sales: GroupBy };

function csvRequest(table: CsvTable, range: Range) {
  const init = { from: range.from, to: range.to, format: "csv" as const };
  const blob = "blob" as const;
  if (typeof table === "object") {
    return api.GET("/api/reports/sales", { params: { query: { ...init, group_by: table.sales } }, parseAs: blob });
  }
  const params = { params: { query: init }, parseAs: blob };
  switch (table) {
    case "summary":
      return api.GET("/api/analytics/summary", params);
    case "heatmap":
      return api.GET("/api/analytics/heatmap", params);
    case "products":
      return api.GET("/api/analytics/products", params);
    case "waiters":
      return api.GET("/api/analytics/waiters", params);
    case "turnover":
      return api.GET("/api/analytics/turnover", params);
    case "kitchen":
      return api.GET("/api/analytics/kitchen", params);
    case "exceptions":
      return api.GET("/api/analytics/exceptions", params);
  }
}

export function csvName(table: CsvTable): string {
  return typeof table === "object" ? `sales-by-${table.sales}` : table;
}

/**
 * Fetch a table as CSV with the session's token and save it (as the reports' exports are saved); answers with
 * the file name used. Throws the API's error (a bad period…).
 */
export async function downloadCsv(table: CsvTable, range: Range): Promise<string> {
  const pending = csvRequest(table, range);
  const blob = (await unwrap(pending)) as Blob;
  const { response } = await pending;
  const filename =
    filenameFromDisposition(response.headers.get("Content-Disposition")) ??
    `tavolo-${csvName(table)}-${range.from}_${range.to}.csv`;
  saveBlob(blob, filename);
  return filename;
}
