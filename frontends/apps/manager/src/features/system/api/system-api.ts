// What a technician checks first (/api/system/diagnostics) and the backups (/api/system/backups). Nothing pushes
// these: the screen asks again every 30 s, and every 2 s while a backup is being taken.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";

export type Diagnostics = Schemas["DiagnosticsRead"];
export type Disk = Schemas["DiskRead"];
export type PrinterDiagnostics = Schemas["PrinterDiagnosticsRead"];
export type Backups = Schemas["BackupsRead"];
export type BackupFile = Schemas["BackupFileRead"];

export const REFRESH_MS = 30_000;
const RUNNING_POLL_MS = 2_000;

// The screen's own keys: no event touches them, so they stay out of the shared table the live socket reads.
export const systemKeys = {
  all: ["system"] as const,
  diagnostics: ["system", "diagnostics"] as const,
  backups: ["system", "backups"] as const,
};

export function useDiagnostics() {
  return useQuery({
    queryKey: systemKeys.diagnostics,
    queryFn: () => unwrap(api.GET("/api/system/diagnostics")),
    refetchInterval: REFRESH_MS,
  });
}

export function useBackups() {
  return useQuery({
    queryKey: systemKeys.backups,
    queryFn: () => unwrap(api.GET("/api/system/backups")),
    // A backup the tablet stopped waiting for (a big file, a slow stick) shows up as soon as it is done.
    refetchInterval: (query) => (query.state.data?.running ? RUNNING_POLL_MS : REFRESH_MS),
  });
}

export function useTakeBackup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/system/backups")),
    // Failed or not, the list, the last backup's age and the schedule's error may all have changed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: systemKeys.all }),
  });
}
