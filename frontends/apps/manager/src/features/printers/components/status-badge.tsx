// A printer's state and a print job's status in words and colour (never colour alone).
import type { JobStatus, PrinterStatus } from "../api/printers-api";

type Tone = "ok" | "warn" | "error" | "neutral";

export interface Described {
  label: string;
  tone: Tone;
}

/** What the manager should read about a printer at a glance. */
export function describePrinterStatus(status: PrinterStatus | undefined): Described {
  if (!status) return { label: "Checking…", tone: "neutral" };
  if (!status.is_active || status.state === "inactive") return { label: "Out of service", tone: "neutral" };
  switch (status.state) {
    case "online":
      return status.paper_near_end ? { label: "Online · paper low", tone: "warn" } : { label: "Online", tone: "ok" };
    case "paper_out":
      return { label: "Paper out", tone: "error" };
    case "offline":
      return { label: "Offline", tone: "error" };
    default:
      return { label: "Not reached yet", tone: "neutral" };
  }
}

/** The paper sensor, when the printer reports one. */
export function describePaper(status: PrinterStatus | undefined): string {
  if (!status || status.paper_out === null) return "—";
  if (status.paper_out) return "Out";
  return status.paper_near_end ? "Low" : "OK";
}

const JOB_STATUS: Record<JobStatus, Described> = {
  pending: { label: "Waiting", tone: "warn" },
  printing: { label: "Printing", tone: "warn" },
  printed: { label: "Printed", tone: "ok" },
  failed: { label: "Failed", tone: "error" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function describeJobStatus(status: JobStatus): Described {
  return JOB_STATUS[status];
}

function Badge({ described, testId }: { described: Described; testId?: string }) {
  const tone = described.tone === "neutral" ? "" : ` badge--${described.tone}`;
  return (
    <span className={`badge${tone}`} data-testid={testId} data-tone={described.tone}>
      {described.label}
    </span>
  );
}

export function PrinterStatusBadge({ status }: { status: PrinterStatus | undefined }) {
  return (
    <span title={status?.last_error ?? undefined}>
      <Badge described={describePrinterStatus(status)} testId="printer-state" />
    </span>
  );
}

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <Badge described={describeJobStatus(status)} testId="job-status" />;
}
