// The backups: how old the newest is (a warning when none or too old), the schedule's last error, "Back up now"
// with its progress and result, and the list of backup files on the stick.
import { ApiError, NetworkError } from "@tavolo/api";
import { Banner, Button, EmptyState, Spinner } from "@tavolo/ui";
import { useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { useBackups, useTakeBackup, type BackupFile, type Backups } from "../api/system-api";
import { backupVerdict, formatAgo, formatBytes, formatHours } from "../lib/health";

const KINDS: Record<BackupFile["kind"], string> = {
  regular: "Regular",
  "pre-upgrade": "Before an upgrade",
};

/** Why a backup failed, in the appliance's words: its reason (a missing stick) is what the manager can fix. */
export function backupFailure(error: unknown): string {
  if (error instanceof ApiError && error.code === "BACKUP_FAILED") return error.message;
  if (error instanceof NetworkError) {
    return "No answer from the appliance. A big backup may still be running: the list below shows it when it is done.";
  }
  return describeError(error);
}

function Schedule({ backups }: { backups: Backups }) {
  const timeZone = useSiteInfo().data?.timezone;
  if (!backups.scheduled) {
    return <p className="muted">Scheduled backups are off (BACKUP_INTERVAL_HOURS=0): take them by hand.</p>;
  }
  return (
    <p className="muted" data-testid="backup-schedule">
      Every {formatHours(backups.interval_hours)} into <code>{backups.directory}</code>; keeps the last{" "}
      {backups.keep_daily} days and {backups.keep_weekly} weeks.
      {backups.next_due_at && <> Next: {formatDateTime(backups.next_due_at, timeZone)}.</>}
    </p>
  );
}

export function BackupsPanel({ lastBackupAgeSeconds }: { lastBackupAgeSeconds: number | null | undefined }) {
  const backups = useBackups();
  const takeBackup = useTakeBackup();
  const timeZone = useSiteInfo().data?.timezone;
  const data = backups.data;
  const verdict = data ? backupVerdict(lastBackupAgeSeconds, data.interval_hours) : null;
  const running = takeBackup.isPending || (data?.running ?? false);

  return (
    <section className="panel system-panel system-panel--wide" aria-labelledby="system-backups-title">
      <div className="page-head">
        <h2 id="system-backups-title" className="system-panel__title">
          Backups
        </h2>
        <Button
          variant="primary"
          busy={running}
          onClick={() => takeBackup.mutate()}
          data-testid="backup-now"
        >
          {running ? "Backing up…" : "Back up now"}
        </Button>
      </div>
      {lastBackupAgeSeconds !== undefined && (
        <p className="system-figure" data-testid="backup-age">
          Last backup:{" "}
          <strong>{lastBackupAgeSeconds === null ? "never" : formatAgo(lastBackupAgeSeconds)}</strong>
        </p>
      )}
      {verdict && verdict.tone !== "ok" && (
        <Banner tone="warn" data-testid="backup-warning">
          {verdict.message}
        </Banner>
      )}
      {data?.last_error && (
        <Banner tone="error" title="The last scheduled backup failed" data-testid="backup-schedule-error">
          {data.last_error}
        </Banner>
      )}
      {running && (
        <p className="muted" role="status" data-testid="backup-progress">
          Copying the database… Service goes on meanwhile.
        </p>
      )}
      {takeBackup.isSuccess && !running && (
        <p className="system-note" role="status" data-testid="backup-result">
          Backup saved: {takeBackup.data.name} ({formatBytes(takeBackup.data.size_bytes)}).
        </p>
      )}
      {takeBackup.isError && !running && (
        <Banner tone="error" title="The backup was not taken" data-testid="backup-error">
          {backupFailure(takeBackup.error)}
        </Banner>
      )}
      {backups.isPending ? (
        <Spinner label="Loading backups" />
      ) : backups.isError ? (
        <ErrorBanner title="The backups could not be listed" error={backups.error} />
      ) : (
        <>
          <Schedule backups={backups.data} />
          {backups.data.backups.length === 0 ? (
            <EmptyState title="No backups in the backup directory">
              Press “Back up now”: a copy of the database is written to {backups.data.directory ?? "the backup directory"}.
            </EmptyState>
          ) : (
            <DataTable
              columns={["Taken", "File", { label: "Size", num: true }, "Kind"]}
              testId="backups-table"
            >
              {backups.data.backups.map((backup) => (
                <tr key={backup.path} data-testid="backup-row" data-name={backup.name}>
                  <td className="nowrap">{formatDateTime(backup.taken_at, timeZone)}</td>
                  <td>
                    <code>{backup.name}</code>
                  </td>
                  <td className="num">{formatBytes(backup.size_bytes)}</td>
                  <td>{KINDS[backup.kind]}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </section>
  );
}
