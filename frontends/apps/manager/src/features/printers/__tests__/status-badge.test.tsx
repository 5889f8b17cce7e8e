import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PrinterStatus } from "../api/printers-api";
import { describePaper, PrinterStatusBadge } from "../components/status-badge";
import { printerStatus } from "./fixtures";

function badge(value: PrinterStatus | undefined) {
  render(<PrinterStatusBadge status={value} />);
  return screen.getByTestId("printer-state");
}

describe("the printer status badge", () => {
  it("says online in the ok colour", () => {
    const shown = badge(printerStatus());
    expect(shown).toHaveTextContent(/^Online$/);
    expect(shown).toHaveClass("badge--ok");
  });

  it("warns while the paper runs low but the printer still prints", () => {
    const shown = badge(printerStatus({ paper_near_end: true }));
    expect(shown).toHaveTextContent("Online · paper low");
    expect(shown).toHaveClass("badge--warn");
  });

  it.each([
    [{ state: "offline", online: false }, "Offline"],
    [{ state: "paper_out", paper_out: true }, "Paper out"],
  ] as const)("shows %o as an error: %s", (overrides, label) => {
    const shown = badge(printerStatus(overrides));
    expect(shown).toHaveTextContent(label);
    expect(shown).toHaveClass("badge--error");
  });

  it("calls a deactivated printer out of service whatever it last reported", () => {
    const shown = badge(printerStatus({ is_active: false, state: "offline" }));
    expect(shown).toHaveTextContent("Out of service");
    expect(shown).not.toHaveClass("badge--error");
  });

  it("does not call a printer never reached offline", () => {
    const shown = badge(printerStatus({ state: "unknown", online: null, paper_out: null, paper_near_end: null }));
    expect(shown).toHaveTextContent("Not reached yet");
    expect(shown.className).toBe("badge");
  });

  it("shows the printer's last error on hover", () => {
    badge(printerStatus({ state: "offline", last_error: "connection refused" }));
    expect(screen.getByTitle("connection refused")).toBeInTheDocument();
  });

  it("reads the paper sensor only when the printer has one", () => {
    expect(describePaper(printerStatus())).toBe("OK");
    expect(describePaper(printerStatus({ paper_near_end: true }))).toBe("Low");
    expect(describePaper(printerStatus({ paper_out: true }))).toBe("Out");
    expect(describePaper(printerStatus({ paper_out: null }))).toBe("—");
  });
});
