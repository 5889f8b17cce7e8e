// System: what a technician (or the manager on the phone with one) checks first. Version and uptime, the clock,
// the disk and the database, the backups, and the printers; read again every 30 s.
import { Banner, Spinner } from "@tavolo/ui";
import type { ReactNode } from "react";
import { ErrorBanner } from "../../../shared/error-banner";
import { DataTable } from "../../../shared/data-table";
import { formatDateTime } from "../../../shared/format";
import { useDiagnostics, type Diagnostics, type PrinterDiagnostics } from "../api/system-api";
import { diskVerdict, formatBytes, formatPercent, formatUptime, printerVerdict, type Verdict } from "../lib/health";
import { BackupsPanel } from "./backups-panel";
import "./system.css";

function Badge({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  const tone = verdict.tone === "neutral" ? "" : ` badge--${verdict.tone}`;
  return (
    <span className={`badge${tone}`} data-testid={testId} data-tone={verdict.tone}>
      {verdict.message}
    </span>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function AboutPanel({ diagnostics }: { diagnostics: Diagnostics }) {
  return (
    <section className="panel system-panel" aria-labelledby="system-about-title">
      <h2 id="system-about-title" className="system-panel__title">
        Appliance
      </h2>
      <dl className="system-facts">
        <Fact label="Version" testId="system-version">
          {diagnostics.version}
        </Fact>
        <Fact label="Running for" testId="system-uptime">
          {formatUptime(diagnostics.uptime_seconds)}
        </Fact>
        <Fact label="Python">{diagnostics.python_version}</Fact>
        <Fact label="SQLite">{diagnostics.sqlite_version}</Fact>
      </dl>
    </section>
  );
}

/** A moment as read on a given zone's wall clock, with seconds (a clock that is off by a minute matters here). */
function wallClock(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "medium", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function ClockPanel({ clock }: { clock: Diagnostics["clock"] }) {
  return (
    <section className="panel system-panel" aria-labelledby="system-clock-title">
      <h2 id="system-clock-title" className="system-panel__title">
        Clock
      </h2>
      {clock.license_clock_suspect && (
        <Banner tone="error" title="The clock looks wrong" data-testid="clock-warning">
          The license check found the appliance's clock earlier than a time it has already seen. Check its date and
          time (an appliance without internet has no clock of its own after a power cut).
        </Banner>
      )}
      <dl className="system-facts">
        <Fact label="Site time" testId="clock-local">
          {wallClock(clock.local_time, clock.timezone)}
        </Fact>
        <Fact label="Time zone">{clock.timezone}</Fact>
        <Fact label="UTC" testId="clock-utc">
          {wallClock(clock.utc_now, "UTC")}
        </Fact>
      </dl>
    </section>
  );
}

function StoragePanel({ diagnostics }: { diagnostics: Diagnostics }) {
  const { disk, database } = diagnostics;
  const verdict = diskVerdict(disk);
  const used = Math.max(0, disk.total_bytes - disk.free_bytes);
  const usedFraction = disk.total_bytes > 0 ? used / disk.total_bytes : 1;
  return (
    <section className="panel system-panel" aria-labelledby="system-storage-title">
      <h2 id="system-storage-title" className="system-panel__title">
        Storage
      </h2>
      {verdict.tone !== "ok" && (
        <Banner tone={verdict.tone === "error" ? "error" : "warn"} data-testid="disk-warning">
          {verdict.message}
        </Banner>
      )}
      <div
        className={`system-meter system-meter--${verdict.tone}`}
        role="meter"
        aria-label="Disk used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(usedFraction * 100)}
        aria-valuetext={`${formatPercent(usedFraction)} used`}
      >
        <div className="system-meter__fill" style={{ width: `${Math.min(100, usedFraction * 100)}%` }} />
      </div>
      <p className="system-figure" data-testid="disk-free">
        <strong>{formatBytes(disk.free_bytes)}</strong> free of {formatBytes(disk.total_bytes)}
      </p>
      <dl className="system-facts">
        <Fact label="Data directory">
          <code>{disk.path}</code>
        </Fact>
        <Fact label="Database" testId="database-size">
          {formatBytes(database.total_bytes)}
          {database.wal_bytes > 0 && (
            <span className="muted"> ({formatBytes(database.wal_bytes)} of it in the write-ahead log)</span>
          )}
        </Fact>
      </dl>
    </section>
  );
}

function PrinterRow({ printer, timeZone }: { printer: PrinterDiagnostics; timeZone: string }) {
  // The error is news while the printer has not printed since it failed; after that it is history.
  const failedLast =
    printer.last_failure_at !== null &&
    (printer.last_success_at === null || Date.parse(printer.last_failure_at) > Date.parse(printer.last_success_at));
  return (
    <tr data-testid={`system-printer-${printer.name}`}>
      <td>
        <strong>{printer.name}</strong>
      </td>
      <td>
        <Badge verdict={printerVerdict(printer)} testId="system-printer-state" />
      </td>
      <td className="num" data-testid="system-printer-queue">
        {printer.queue_length}
      </td>
      <td className="nowrap">{formatDateTime(printer.last_success_at, timeZone)}</td>
      <td>
        {printer.last_failure_at ? (
          <>
            <span className="nowrap">{formatDateTime(printer.last_failure_at, timeZone)}</span>
            {printer.last_error && (
              <div className={failedLast ? "system-error" : "muted"} data-testid="system-printer-error">
                {printer.last_error}
              </div>
            )}
          </>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

function PrintersPanel({ diagnostics }: { diagnostics: Diagnostics }) {
  return (
    <section className="panel system-panel system-panel--wide" aria-labelledby="system-printers-title">
      <h2 id="system-printers-title" className="system-panel__title">
        Printers
      </h2>
      {diagnostics.printers.length === 0 ? (
        <p className="muted">No printers set up.</p>
      ) : (
        <DataTable
          columns={["Printer", "State", { label: "Queue", num: true }, "Last printed", "Last failure"]}
          testId="system-printers"
        >
          {diagnostics.printers.map((printer) => (
            <PrinterRow key={printer.id} printer={printer} timeZone={diagnostics.clock.timezone} />
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function SystemScreen() {
  const diagnostics = useDiagnostics();
  const data = diagnostics.data;
  return (
    <section className="page" aria-labelledby="system-title">
      <div className="page-head">
        <h1 id="system-title" tabIndex={-1}>
          System
        </h1>
        {data && (
          <span className="muted" data-testid="system-refreshed">
            Checked {wallClock(new Date(diagnostics.dataUpdatedAt).toISOString(), data.clock.timezone)}; again every 30 s
          </span>
        )}
      </div>
      {diagnostics.isError && (
        <ErrorBanner title="The appliance's state could not be read" error={diagnostics.error} />
      )}
      {diagnostics.isPending ? (
        <Spinner label="Checking the appliance" />
      ) : data ? (
        <div className="system-grid">
          <AboutPanel diagnostics={data} />
          <ClockPanel clock={data.clock} />
          <StoragePanel diagnostics={data} />
          <BackupsPanel lastBackupAgeSeconds={data.last_backup?.age_seconds ?? null} />
          <PrintersPanel diagnostics={data} />
        </div>
      ) : null}
    </section>
  );
}
