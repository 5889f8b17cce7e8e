// The reports: the X report of the open shift, a business day's Z report, shift summaries, closed days, and
// the CSV exports. Payments do not push a report event, so an open day's figures are read again every minute.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

export type XReport = Schemas["XReportRead"];
export type ZReport = Schemas["ZReportRead"];
export type ShiftReport = Schemas["ShiftReportRead"];
export type ShiftSummary = Schemas["ShiftSummaryRead"];
export type DayClose = Schemas["DayCloseRead"];
export type HourLine = Schemas["HourLineRead"];
export type ReportPrint = Schemas["ReportPrintRead"];

const OPEN_DAY_REFRESH_MS = 60_000;

export const reportKeys = {
  x: [...keys.reports, "x"] as const,
  z: (day: string) => [...keys.reports, "z", day] as const,
  shift: (from: string, to: string | null) => [...keys.reports, "shift", from, to] as const,
  dayCloses: [...keys.reports, "day-closes"] as const,
  shiftDetail: (id: number) => [...keys.shifts, id] as const,
};

export function useXReport() {
  return useQuery({
    queryKey: reportKeys.x,
    queryFn: () => unwrap(api.GET("/api/reports/x")),
    refetchInterval: OPEN_DAY_REFRESH_MS,
  });
}

export function useZReport(day: string) {
  return useQuery({
    queryKey: reportKeys.z(day),
    queryFn: () => unwrap(api.GET("/api/reports/z", { params: { query: { date: day } } })),
    // A closed day's report is stored and never changes; an open day's grows with every payment.
    refetchInterval: (query) => (query.state.data?.closed ? false : OPEN_DAY_REFRESH_MS),
  });
}

export function useShifts() {
  return useQuery({
    queryKey: keys.shifts,
    queryFn: () => unwrap(api.GET("/api/shifts/", { params: { query: { limit: 50 } } })),
    refetchInterval: usePollInterval(60_000),
  });
}

export function useShift(id: number) {
  return useQuery({
    queryKey: reportKeys.shiftDetail(id),
    queryFn: () => unwrap(api.GET("/api/shifts/{shift_id}", { params: { path: { shift_id: id } } })),
  });
}

/** The shift summary for [from, to); `to` null: up to now (an open shift). */
export function useShiftReport(from: string | undefined, to: string | null) {
  return useQuery({
    queryKey: reportKeys.shift(from ?? "", to),
    queryFn: () =>
      unwrap(api.GET("/api/reports/shift", { params: { query: { from: from ?? null, to: to ?? null } } })),
    enabled: from !== undefined,
    refetchInterval: to === null ? OPEN_DAY_REFRESH_MS : false,
  });
}

export function useDayCloses() {
  return useQuery({
    queryKey: reportKeys.dayCloses,
    queryFn: () => unwrap(api.GET("/api/reports/day-closes", { params: { query: { limit: 60 } } })),
  });
}

export function useCloseDay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["DayCloseRequest"]) => unwrap(api.POST("/api/reports/z/close", { body })),
    onSuccess: (result) => {
      queryClient.setQueryData(reportKeys.z(result.report.business_date), result.report);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.reports }),
  });
}

export function usePrintX() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/reports/x/print", { body: {} })),
  });
}

export function usePrintZ() {
  return useMutation({
    mutationFn: (day: string) => unwrap(api.POST("/api/reports/z/print", { body: { date: day } })),
  });
}
