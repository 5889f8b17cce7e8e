// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { BackupFile, Backups, Diagnostics } from "../api/system-api";
import { SystemScreen } from "../components/system-screen";

const GB = 1024 ** 3;

function diagnostics(overrides: Partial<Diagnostics> = {}): Diagnostics {
  return {
    version: "1.4.0",
    uptime_seconds: 3 * 86_400 + 4 * 3600,
    python_version: "3.11.2",
    sqlite_version: "3.40.1",
    disk: { path: "/var/lib/tavolo", total_bytes: 32 * GB, free_bytes: 20 * GB },
    database: { path: "/var/lib/tavolo/pos.db", size_bytes: 40 * 1024 ** 2, wal_bytes: 0, total_bytes: 40 * 1024 ** 2 },
    last_backup: {
      path: "/mnt/usb/tavolo-20260101-030000.db",
      taken_at: "2026-01-01T03:00:00Z",
      age_seconds: 5 * 3600,
      size_bytes: 40 * 1024 ** 2,
    },
    printers: [
      {
        id: 1,
        name: "Kitchen",
        is_active: true,
        state: "offline",
        paper_near_end: null,
        queue_length: 4,
        last_success_at: "2026-01-01T07:00:00Z",
        last_failure_at: "2026-01-01T08:00:00Z",
        last_error: "connection refused",
        last_checked_at: "2026-01-01T08:00:00Z",
      },
    ],
    clock: {
      utc_now: "2026-01-01T08:00:00Z",
      timezone: "Europe/Athens",
      local_time: "2026-01-01T10:00:00+02:00",
      license_clock_suspect: false,
    },
    ...overrides,
  };
}

function backupFile(name: string, overrides: Partial<BackupFile> = {}): BackupFile {
  return {
    name,
    path: `/mnt/usb/${name}`,
    taken_at: "2026-01-01T03:00:00Z",
    size_bytes: 40 * 1024 ** 2,
    kind: "regular",
    ...overrides,
  };
}

function backups(overrides: Partial<Backups> = {}): Backups {
  return {
    directory: "/mnt/usb",
    scheduled: true,
    interval_hours: 24,
    keep_daily: 7,
    keep_weekly: 4,
    next_due_at: "2026-01-02T03:00:00Z",
    last_error: null,
    running: false,
    backups: [backupFile("tavolo-20260101-030000.db")],
    ...overrides,
  };
}

beforeEach(() => {
  appliance.mockReset();
});

describe("the System screen", () => {
  it("shows the version, uptime, clock, disk, database and printers without warnings when all is well", async () => {
    serve({
      "GET /api/system/diagnostics": () => json(200, diagnostics()),
      "GET /api/system/backups": () => json(200, backups()),
    });
    renderWithQueries(<SystemScreen />);
    expect(await screen.findByTestId("system-version")).toHaveTextContent("1.4.0");
    expect(screen.getByTestId("system-uptime")).toHaveTextContent("3 days 4 h");
    expect(screen.getByTestId("clock-local")).toHaveTextContent("10:00:00");
    expect(screen.getByTestId("clock-utc")).toHaveTextContent("08:00:00");
    expect(screen.getByTestId("disk-free")).toHaveTextContent("20.0 GB free of 32.0 GB");
    expect(screen.getByRole("meter", { name: "Disk used" })).toHaveAttribute("aria-valuenow", "38");
    expect(screen.getByTestId("database-size")).toHaveTextContent("40.0 MB");
    const kitchen = screen.getByTestId("system-printer-Kitchen");
    expect(within(kitchen).getByTestId("system-printer-state")).toHaveTextContent("Offline");
    expect(within(kitchen).getByTestId("system-printer-queue")).toHaveTextContent("4");
    expect(within(kitchen).getByTestId("system-printer-error")).toHaveTextContent("connection refused");
    expect(await screen.findByTestId("backup-age")).toHaveTextContent("5 h ago");
    expect(screen.getAllByTestId("backup-row")).toHaveLength(1);
    for (const warning of ["disk-warning", "backup-warning", "clock-warning", "backup-schedule-error"]) {
      expect(screen.queryByTestId(warning)).not.toBeInTheDocument();
    }
  });

  it("warns about a full disk, a missing backup, a suspect clock and a failing schedule", async () => {
    serve({
      "GET /api/system/diagnostics": () =>
        json(
          200,
          diagnostics({
            disk: { path: "/var/lib/tavolo", total_bytes: 32 * GB, free_bytes: 0.5 * GB },
            last_backup: null,
            clock: { ...diagnostics().clock, license_clock_suspect: true },
          }),
        ),
      "GET /api/system/backups": () =>
        json(200, backups({ backups: [], last_error: "the backup directory /mnt/usb does not exist" })),
    });
    renderWithQueries(<SystemScreen />);
    expect(await screen.findByTestId("disk-warning")).toHaveTextContent("The disk is getting full");
    expect(screen.getByTestId("clock-warning")).toHaveTextContent("The clock looks wrong");
    expect(await screen.findByTestId("backup-warning")).toHaveTextContent("No backup yet");
    expect(screen.getByTestId("backup-age")).toHaveTextContent("never");
    expect(screen.getByTestId("backup-schedule-error")).toHaveTextContent("/mnt/usb does not exist");
  });
});

describe("backing up now", () => {
  it("sends the backup, shows its progress, then the file it wrote in the list", async () => {
    let taken = false;
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const made = backupFile("tavolo-20260101-080000.db", { taken_at: "2026-01-01T08:00:00Z" });
    serve({
      "GET /api/system/diagnostics": () => json(200, diagnostics()),
      "GET /api/system/backups": () =>
        json(200, backups(taken ? { backups: [made, ...backups().backups] } : {})),
      "POST /api/system/backups": async () => {
        await answered;
        taken = true;
        return json(201, made);
      },
    });
    const user = renderWithQueries(<SystemScreen />);
    await user.click(await screen.findByTestId("backup-now"));
    expect(await screen.findByTestId("backup-progress")).toBeInTheDocument();
    expect(screen.getByTestId("backup-now")).toBeDisabled();
    expect(screen.getByTestId("backup-now")).toHaveTextContent("Backing up…");

    release();
    expect(await screen.findByTestId("backup-result")).toHaveTextContent("Backup saved: tavolo-20260101-080000.db (40.0 MB)");
    await waitFor(() => expect(screen.getAllByTestId("backup-row")).toHaveLength(2));
    expect(screen.getAllByTestId("backup-row")[0]).toHaveAttribute("data-name", made.name);
    expect(screen.queryByTestId("backup-progress")).not.toBeInTheDocument();
    expect(await writes()).toEqual([{ method: "POST", path: "/api/system/backups", body: null }]);
  });

  it("shows the appliance's reason when the backup fails, even though it is a 503", async () => {
    serve({
      "GET /api/system/diagnostics": () => json(200, diagnostics()),
      "GET /api/system/backups": () => json(200, backups()),
      "POST /api/system/backups": () =>
        json(503, {
          detail: "the backup directory /mnt/usb does not exist (is the USB stick plugged in and mounted?)",
          code: "BACKUP_FAILED",
        }),
    });
    const user = renderWithQueries(<SystemScreen />);
    await user.click(await screen.findByTestId("backup-now"));
    const error = await screen.findByTestId("backup-error");
    expect(error).toHaveTextContent("The backup was not taken");
    expect(error).toHaveTextContent("is the USB stick plugged in and mounted?");
    expect(screen.getByTestId("backup-now")).toBeEnabled();
  });

  it("shows the backup as running when another tablet started it", async () => {
    serve({
      "GET /api/system/diagnostics": () => json(200, diagnostics()),
      "GET /api/system/backups": () => json(200, backups({ running: true })),
    });
    renderWithQueries(<SystemScreen />);
    expect(await screen.findByTestId("backup-progress")).toBeInTheDocument();
    expect(screen.getByTestId("backup-now")).toBeDisabled();
  });
});
