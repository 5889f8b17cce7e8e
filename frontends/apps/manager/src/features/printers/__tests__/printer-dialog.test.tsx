// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { PrinterDialog } from "../components/printer-dialog";
import { printer } from "./fixtures";

const KITCHEN = printer(5, "Kitchen");
const BAR = printer(6, "Bar", { ip_address: "192.168.1.51" });

beforeEach(() => {
  appliance.mockReset();
  serve({
    "POST /api/printers/": () => json(201, KITCHEN),
    "PUT /api/printers/5": () => json(200, KITCHEN),
  });
});

describe("the printer form", () => {
  it("sends a new printer with numbers as numbers and the usual slot left to the appliance", async () => {
    const onClose = vi.fn();
    const user = renderWithQueries(<PrinterDialog printers={[BAR]} onClose={onClose} />);
    await user.type(screen.getByLabelText("Name"), "Kitchen");
    await user.type(screen.getByLabelText("IP address"), "192.168.1.50");
    await user.selectOptions(screen.getByLabelText("Backup printer"), "Bar");
    await user.click(screen.getByRole("button", { name: "Add printer" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(await writes()).toEqual([
      {
        method: "POST",
        path: "/api/printers/",
        body: {
          name: "Kitchen",
          ip_address: "192.168.1.50",
          port: 9100,
          code_page: "cp737",
          code_page_slot: null,
          columns: 48,
          backup_printer_id: 6,
          failover_seconds: 30,
          kds_warn_minutes: 5,
          kds_late_minutes: 10,
          is_active: true,
        },
      },
    ]);
  });

  it("says what is wrong and sends nothing", async () => {
    const user = renderWithQueries(<PrinterDialog printers={[]} onClose={vi.fn()} />);
    await user.type(screen.getByLabelText("IP address"), "192.168 .1.50");
    await user.clear(screen.getByLabelText("Port"));
    await user.type(screen.getByLabelText("Port"), "70000");
    await user.click(screen.getByRole("button", { name: "Add printer" }));
    expect(screen.getByText("Enter the printer's name (Kitchen, Bar…).")).toBeInTheDocument();
    expect(screen.getByLabelText("IP address")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Enter a port from 1 to 65535 (usually 9100).")).toBeInTheDocument();
    expect(await writes()).toEqual([]);
  });

  it("sends only what changed, and offers every other printer as the backup", async () => {
    const onClose = vi.fn();
    const user = renderWithQueries(<PrinterDialog printer={KITCHEN} printers={[KITCHEN, BAR]} onClose={onClose} />);
    const backup = screen.getByLabelText("Backup printer");
    expect(Array.from((backup as HTMLSelectElement).options, (option) => option.text)).toEqual(["None", "Bar"]);
    await user.selectOptions(backup, "Bar");
    await user.click(screen.getByLabelText("In service"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(await writes()).toEqual([
      { method: "PUT", path: "/api/printers/5", body: { backup_printer_id: 6, is_active: false } },
    ]);
  });
});
