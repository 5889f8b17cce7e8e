import type { Printer, PrinterStatus } from "../api/printers-api";

export function printerStatus(overrides: Partial<PrinterStatus> = {}): PrinterStatus {
  return {
    printer_id: 1,
    name: "Kitchen",
    is_active: true,
    state: "online",
    online: true,
    paper_out: false,
    paper_near_end: false,
    queue_length: 0,
    last_error: null,
    last_success_at: "2026-12-02T08:00:00Z",
    last_checked_at: "2026-12-02T08:00:00Z",
    ...overrides,
  };
}

/** An online printer never asked yet (no last success or check). */
export function printer(id: number, name: string, overrides: Partial<Printer> = {}): Printer {
  return {
    id,
    name,
    ip_address: "192.168.1.50",
    port: 9100,
    code_page: "cp737",
    code_page_slot: 29,
    columns: 48,
    backup_printer_id: null,
    is_active: true,
    failover_seconds: 30,
    kds_warn_minutes: 5,
    kds_late_minutes: 10,
    created_at: "2026-12-02T08:00:00Z",
    updated_at: "2026-12-02T08:00:00Z",
    status: printerStatus({ printer_id: id, name, last_success_at: null, last_checked_at: null }),
    ...overrides,
  };
}
