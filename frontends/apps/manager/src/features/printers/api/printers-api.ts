// Printers, their live status and alerts, the print log and kitchen screens (/api/printers, /api/kitchen/screens).
import { unwrap, type Schemas } from "@tavolo/api";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

export type Printer = Schemas["PrinterRead"];
export type PrinterCreate = Schemas["PrinterCreate"];
export type PrinterUpdate = Schemas["PrinterUpdate"];
export type PrinterStatus = Schemas["PrinterStatusRead"];
export type PrintJob = Schemas["PrintJobRead"];
export type JobStatus = PrintJob["status"];
export type PrintAlert = Schemas["PrintAlertRead"];
export type Screen = Schemas["ScreenRead"];
export type ScreenCreated = Schemas["ScreenCreated"];
export type ScreenCreate = Schemas["ScreenCreate"];

export const JOB_PAGE = 50;
// One order's log comes oldest first and is short: it is read whole, without paging.
const ORDER_LOG_LIMIT = 500;
// A printer's state and its jobs are pushed (printer.status_changed, printer.job_changed); this is the fallback
// while the event socket is down.
const STATUS_POLL_MS = 5_000;
const JOB_POLL_MS = 1_000;

export function usePrinters() {
  return useQuery({ queryKey: keys.printers, queryFn: () => unwrap(api.GET("/api/printers/")) });
}

export function usePrinterStatus() {
  return useQuery({
    queryKey: keys.printerStatus,
    queryFn: () => unwrap(api.GET("/api/printers/status")),
    refetchInterval: usePollInterval(STATUS_POLL_MS),
  });
}

export function useAlerts() {
  return useQuery({
    queryKey: keys.alerts,
    queryFn: () => unwrap(api.GET("/api/printers/alerts")),
    refetchInterval: usePollInterval(10_000),
  });
}

export function useUnroutedProducts() {
  return useQuery({
    queryKey: [...keys.printers, "unrouted"],
    queryFn: () => unwrap(api.GET("/api/printers/unrouted-products")),
  });
}

export function useScreens() {
  return useQuery({ queryKey: keys.screens, queryFn: () => unwrap(api.GET("/api/kitchen/screens")) });
}

/** One job, asked again every second until it has printed, failed or was cancelled. */
export function useJob(jobId: number | null) {
  return useQuery({
    queryKey: [...keys.printJobs, "job", jobId],
    queryFn: () => unwrap(api.GET("/api/printers/jobs/{job_id}", { params: { path: { job_id: jobId ?? 0 } } })),
    enabled: jobId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "pending" || status === "printing" || status === undefined ? JOB_POLL_MS : false;
    },
  });
}

export interface JobFilters {
  orderId: number | null;
  status: JobStatus | null;
}

/** The print log, newest first, a page at a time (`before_id` pages back). */
export function usePrintLog(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: [...keys.printJobs, "log", filters],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/printers/jobs", {
          params: {
            query: {
              limit: filters.orderId === null ? JOB_PAGE : ORDER_LOG_LIMIT,
              ...(filters.orderId !== null && { order_id: filters.orderId }),
              ...(filters.status !== null && { status: filters.status }),
              ...(pageParam !== null && { before_id: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (page) => {
      if (filters.orderId !== null || page.length < JOB_PAGE) return null;
      return Math.min(...page.map((job) => job.id));
    },
  });
}

function useWrite<TVariables, TData>(write: (variables: TVariables) => Promise<TData>, stale: QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () => Promise.all(stale.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

const PRINTER_DATA = [keys.printers, keys.printerStatus, keys.alerts];
const printer = (printerId: number) => ({ path: { printer_id: printerId } });

export function useCreatePrinter() {
  return useWrite((body: PrinterCreate) => unwrap(api.POST("/api/printers/", { body })), PRINTER_DATA);
}

export function useUpdatePrinter() {
  return useWrite(
    ({ id, changes }: { id: number; changes: PrinterUpdate }) =>
      unwrap(api.PUT("/api/printers/{printer_id}", { params: printer(id), body: changes })),
    PRINTER_DATA,
  );
}

export function useDeletePrinter() {
  return useWrite(async (id: number) => {
    await unwrap(api.DELETE("/api/printers/{printer_id}", { params: printer(id) }));
  }, PRINTER_DATA);
}

export function useTestPrint() {
  return useWrite(
    (id: number) => unwrap(api.POST("/api/printers/{printer_id}/test", { params: printer(id) })),
    [keys.printJobs, keys.printerStatus],
  );
}

export function useReprint() {
  return useWrite(
    (jobId: number) => unwrap(api.POST("/api/printers/jobs/{job_id}/reprint", { params: { path: { job_id: jobId } } })),
    [keys.printJobs, keys.printerStatus],
  );
}

export function useAcknowledgeAlert() {
  return useWrite(
    (alertId: number) =>
      unwrap(api.POST("/api/printers/alerts/{alert_id}/ack", { params: { path: { alert_id: alertId } } })),
    [keys.alerts],
  );
}

export function useCreateScreen() {
  return useWrite((body: ScreenCreate) => unwrap(api.POST("/api/kitchen/screens", { body })), [keys.screens]);
}

export function useRevokeScreen() {
  return useWrite(async (screenId: number) => {
    await unwrap(api.DELETE("/api/kitchen/screens/{screen_id}", { params: { path: { screen_id: screenId } } }));
  }, [keys.screens]);
}
