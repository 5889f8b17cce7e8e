import { Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  useCreatePrinter,
  useUpdatePrinter,
  type Printer,
  type PrinterCreate,
  type PrinterUpdate,
} from "../api/printers-api";

// The code pages the appliance knows (printing/escpos.py CODE_PAGES); it checks the name again.
export const CODE_PAGES: { value: string; label: string }[] = [
  { value: "cp737", label: "cp737 · Greek" },
  { value: "cp1253", label: "cp1253 · Windows Greek" },
  { value: "iso8859_7", label: "iso8859_7 · ISO Greek" },
  { value: "cp437", label: "cp437 · USA, standard Europe" },
  { value: "cp850", label: "cp850 · Multilingual Latin-1" },
  { value: "cp858", label: "cp858 · Latin-1 with euro" },
  { value: "cp1252", label: "cp1252 · Windows Latin-1" },
  { value: "cp852", label: "cp852 · Latin-2" },
  { value: "cp866", label: "cp866 · Cyrillic" },
];

interface Draft {
  name: string;
  host: string;
  port: string;
  codePage: string;
  slot: string;
  columns: string;
  backupId: string;
  failover: string;
  warn: string;
  late: string;
  active: boolean;
}

type Problems = Partial<Record<keyof Draft, string>>;

function whole(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** The printer as the form's draft says, or what is wrong with it. */
export function readDraft(draft: Draft): { problems: Problems } | { body: PrinterCreate } {
  const problems: Problems = {};
  const name = draft.name.trim();
  const host = draft.host.trim();
  const port = whole(draft.port, 1, 65535);
  const slot = draft.slot.trim() === "" ? null : whole(draft.slot, 0, 255);
  const columns = whole(draft.columns, 16, 96);
  const failover = whole(draft.failover, 0, 3600);
  const warn = whole(draft.warn, 1, 240);
  const late = whole(draft.late, 1, 240);
  if (!name) problems.name = "Enter the printer's name (Kitchen, Bar…).";
  if (!host || /\s/.test(host)) problems.host = "Enter the printer's IP address (like 192.168.1.50) or host name.";
  if (port === null) problems.port = "Enter a port from 1 to 65535 (usually 9100).";
  if (draft.slot.trim() !== "" && slot === null) problems.slot = "Enter a slot from 0 to 255, or leave it empty.";
  if (columns === null) problems.columns = "Enter 16 to 96 characters (80 mm paper: 48).";
  if (failover === null) problems.failover = "Enter 0 to 3600 seconds.";
  if (warn === null) problems.warn = "Enter 1 to 240 minutes.";
  if (late === null) problems.late = "Enter 1 to 240 minutes.";
  else if (warn !== null && late < warn) problems.late = "Late comes after the warning: at least its minutes.";
  if (port === null || columns === null || failover === null || warn === null || late === null) return { problems };
  if (Object.keys(problems).length > 0) return { problems };
  return {
    body: {
      name,
      ip_address: host,
      port,
      code_page: draft.codePage,
      code_page_slot: slot,
      columns,
      backup_printer_id: draft.backupId === "" ? null : Number(draft.backupId),
      failover_seconds: failover,
      kds_warn_minutes: warn,
      kds_late_minutes: late,
      is_active: draft.active,
    },
  };
}

/** Add a printer (no `printer`) or change one; only the changed fields are sent. */
export function PrinterDialog({
  printer,
  printers,
  onClose,
}: {
  printer?: Printer;
  printers: Printer[];
  onClose: () => void;
}) {
  const creating = printer === undefined;
  const [draft, setDraft] = useState<Draft>({
    name: printer?.name ?? "",
    host: printer?.ip_address ?? "",
    port: String(printer?.port ?? 9100),
    codePage: printer?.code_page ?? "cp737",
    slot: creating ? "" : String(printer.code_page_slot),
    columns: String(printer?.columns ?? 48),
    backupId: printer?.backup_printer_id ? String(printer.backup_printer_id) : "",
    failover: String(printer?.failover_seconds ?? 30),
    warn: String(printer?.kds_warn_minutes ?? 5),
    late: String(printer?.kds_late_minutes ?? 10),
    active: printer?.is_active ?? true,
  });
  const [problems, setProblems] = useState<Problems>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreatePrinter();
  const update = useUpdatePrinter();
  const save = creating ? create : update;
  const backups = printers.filter((other) => other.id !== printer?.id);
  const codePages = CODE_PAGES.some((page) => page.value === draft.codePage)
    ? CODE_PAGES
    : [{ value: draft.codePage, label: draft.codePage }, ...CODE_PAGES];

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    setProblems((previous) => ({ ...previous, [key]: undefined }));
  }

  function text(key: Exclude<keyof Draft, "active">) {
    return { value: draft[key], onChange: (event: { target: { value: string } }) => set(key, event.target.value) };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = readDraft(draft);
    if ("problems" in result) {
      setProblems(result.problems);
      return;
    }
    const { body } = result;
    if (creating) {
      create.mutate(body, { onSuccess: onClose });
      return;
    }
    const changes: PrinterUpdate = {};
    if (body.name !== printer.name) changes.name = body.name;
    if (body.ip_address !== printer.ip_address) changes.ip_address = body.ip_address;
    if (body.port !== printer.port) changes.port = body.port;
    if (body.code_page !== printer.code_page) changes.code_page = body.code_page;
    // An emptied slot field (or a new page without one) lets the appliance pick the page's usual slot.
    if (body.code_page_slot !== printer.code_page_slot || body.code_page !== printer.code_page) {
      changes.code_page_slot = body.code_page_slot;
    }
    if (body.columns !== printer.columns) changes.columns = body.columns;
    if (body.backup_printer_id !== printer.backup_printer_id) changes.backup_printer_id = body.backup_printer_id;
    if (body.failover_seconds !== printer.failover_seconds) changes.failover_seconds = body.failover_seconds;
    if (body.kds_warn_minutes !== printer.kds_warn_minutes) changes.kds_warn_minutes = body.kds_warn_minutes;
    if (body.kds_late_minutes !== printer.kds_late_minutes) changes.kds_late_minutes = body.kds_late_minutes;
    if (body.is_active !== printer.is_active) changes.is_active = body.is_active;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: printer.id, changes }, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a printer" : `Edit ${printer.name}`}
      dismissible={!save.isPending}
      initialFocus={firstRef}
      data-testid="printer-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label={creating ? "Add printer" : "Save changes"}
          busy={save.isPending}
          onClose={onClose}
          testId="printer-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Name" hint="Also the kitchen zone's name." error={problems.name}>
            {(control) => (
              <input
                {...control}
                ref={firstRef}
                data-testid="printer-name"
                maxLength={80}
                autoComplete="off"
                {...text("name")}
              />
            )}
          </Field>
          <Field label="IP address" error={problems.host}>
            {(control) => (
              <input
                {...control}
                data-testid="printer-host"
                maxLength={253}
                autoComplete="off"
                spellCheck={false}
                {...text("host")}
              />
            )}
          </Field>
          <Field label="Port" error={problems.port}>
            {(control) => <input {...control} data-testid="printer-port" inputMode="numeric" {...text("port")} />}
          </Field>
          <Field label="Code page" hint="The printer's character set for Greek and accents.">
            {(control) => (
              <select {...control} data-testid="printer-code-page" {...text("codePage")}>
                {codePages.map((page) => (
                  <option key={page.value} value={page.value}>
                    {page.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Code page slot" hint="Empty: the page's usual number." error={problems.slot}>
            {(control) => <input {...control} data-testid="printer-slot" inputMode="numeric" {...text("slot")} />}
          </Field>
          <Field label="Characters per line" hint="80 mm paper: 48; 58 mm: 32." error={problems.columns}>
            {(control) => <input {...control} data-testid="printer-columns" inputMode="numeric" {...text("columns")} />}
          </Field>
          <Field label="Backup printer" hint="Prints this printer's tickets while it fails.">
            {(control) => (
              <select {...control} data-testid="printer-backup" {...text("backupId")}>
                <option value="">None</option>
                {backups.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Switch to backup after (seconds)" error={problems.failover}>
            {(control) => (
              <input {...control} data-testid="printer-failover" inputMode="numeric" {...text("failover")} />
            )}
          </Field>
          <Field label="Kitchen screen: warn after (min)" error={problems.warn}>
            {(control) => <input {...control} data-testid="printer-kds-warn" inputMode="numeric" {...text("warn")} />}
          </Field>
          <Field label="Kitchen screen: late after (min)" error={problems.late}>
            {(control) => <input {...control} data-testid="printer-kds-late" inputMode="numeric" {...text("late")} />}
          </Field>
        </div>
        <label className="check">
          <input
            type="checkbox"
            data-testid="printer-active"
            checked={draft.active}
            onChange={(event) => set("active", event.target.checked)}
          />
          In service
        </label>
        {save.isError && (
          <ErrorBanner
            title={creating ? "Printer not added" : "Printer not saved"}
            error={save.error}
            testId="printer-error"
          />
        )}
      </form>
    </Sheet>
  );
}
