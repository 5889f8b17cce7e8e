import type { PrintAlert } from "@tavolo/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AlertBanner } from "../components/alert-banner";
import { AlertList } from "../components/alert-list";

const mocks = vi.hoisted(() => ({ GET: vi.fn(), POST: vi.fn() }));
vi.mock("../../../lib/api", () => ({ api: mocks }));

const NOW = Date.parse("2025-05-01T20:30:00Z");

function alert(overrides: Partial<PrintAlert> = {}): PrintAlert {
  return {
    id: 1,
    kind: "paper_out",
    message: "Kitchen printer is out of paper; ticket waiting",
    printer_name: "Kitchen",
    printer_id: 3,
    order_id: 42,
    job_id: 7,
    sent_by_id: 2,
    created_at: "2025-05-01T20:25:00Z",
    acknowledged_at: null,
    acknowledged_by_id: null,
    cleared_at: null,
    ...overrides,
  };
}

const ok = (data: unknown) => Promise.resolve({ data, response: new Response(null, { status: 200 }) });

afterEach(cleanup);

describe("AlertList", () => {
  it("shows nothing when every printer is fine", () => {
    render(<AlertList alerts={[]} onAcknowledge={() => {}} now={NOW} />);
    expect(screen.queryByTestId("alert-banner")).not.toBeInTheDocument();
  });

  it("shows a new alert loudly, with the printer, the message, the table and an OK", () => {
    render(<AlertList alerts={[alert()]} onAcknowledge={() => {}} tableLabel={() => "4"} now={NOW} />);
    const banner = screen.getByTestId("alert-banner");
    expect(banner).toHaveTextContent("Printer problem");
    const item = screen.getByTestId("printer-alert");
    expect(within(item).getByRole("alert")).toHaveTextContent("out of paper; ticket waiting");
    expect(item).toHaveTextContent("Kitchen");
    expect(item).toHaveTextContent("out of paper; ticket waiting");
    expect(within(item).getByRole("link", { name: "Table 4" })).toHaveAttribute("href", "/order/42");
    expect(within(item).getByRole("button", { name: "OK" })).toBeInTheDocument();
    expect(item).toHaveTextContent("5 min");
  });

  it("keeps an acknowledged alert as a smaller line without OK, after the new ones", () => {
    render(
      <AlertList
        alerts={[alert({ id: 2, acknowledged_at: "2025-05-01T20:27:00Z" }), alert({ id: 1, kind: "printer_failing" })]}
        onAcknowledge={() => {}}
        now={NOW}
      />,
    );
    const [first, second] = screen.getAllByTestId("printer-alert");
    expect(first).toHaveAttribute("data-acknowledged", "false");
    expect(second).toHaveAttribute("data-acknowledged", "true");
    expect(second).toHaveClass("alert--seen");
    expect(second).not.toHaveTextContent("ticket waiting");
    expect(within(second!).queryByRole("button")).not.toBeInTheDocument();
    expect(within(second!).getByRole("link")).toHaveTextContent("Order #42");
  });

  it("announces only the new alerts, so a poll does not read out acknowledged ones again", () => {
    render(
      <AlertList
        alerts={[alert({ id: 2, acknowledged_at: "2025-05-01T20:27:00Z" }), alert({ id: 1, kind: "printer_failing" })]}
        onAcknowledge={() => {}}
        now={NOW}
      />,
    );
    const [fresh, seen] = screen.getAllByTestId("printer-alert");
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    expect(within(fresh!).getByRole("alert")).toBeInTheDocument();
    expect(within(seen!).queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByTestId("alert-banner")).not.toHaveAttribute("role", "alert");
  });

  it("announces nothing when every alert is acknowledged", () => {
    render(
      <AlertList alerts={[alert({ acknowledged_at: "2025-05-01T20:27:00Z" })]} onAcknowledge={() => {}} now={NOW} />,
    );
    expect(screen.getByTestId("printer-alert")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("calls back with the alert when OK is pressed", async () => {
    const onAcknowledge = vi.fn();
    render(<AlertList alerts={[alert({ id: 9 })]} onAcknowledge={onAcknowledge} now={NOW} />);
    await userEvent.click(screen.getByTestId("alert-ack"));
    expect(onAcknowledge).toHaveBeenCalledWith(expect.objectContaining({ id: 9 }));
  });
});

describe("AlertBanner", () => {
  beforeEach(() => {
    mocks.GET.mockReset();
    mocks.POST.mockReset();
  });

  function renderBanner(seed?: (client: QueryClient) => void) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    seed?.(client);
    return render(
      <QueryClientProvider client={client}>
        <AlertBanner />
      </QueryClientProvider>,
    );
  }

  it("loads the waiter's alerts and acknowledges one on OK", async () => {
    let acknowledged = false;
    mocks.GET.mockImplementation(() =>
      ok([alert(acknowledged ? { acknowledged_at: "2025-05-01T20:31:00Z" } : {})]),
    );
    mocks.POST.mockImplementation(() => {
      acknowledged = true;
      return ok(alert({ acknowledged_at: "2025-05-01T20:31:00Z" }));
    });
    renderBanner();

    expect(await screen.findByTestId("printer-alert")).toHaveAttribute("data-acknowledged", "false");
    expect(mocks.GET).toHaveBeenCalledWith("/api/printers/alerts");
    await userEvent.click(screen.getByTestId("alert-ack"));

    expect(mocks.POST).toHaveBeenCalledWith("/api/printers/alerts/{alert_id}/ack", {
      params: { path: { alert_id: 1 } },
    });
    await waitFor(() => expect(screen.getByTestId("printer-alert")).toHaveAttribute("data-acknowledged", "true"));
    expect(screen.queryByTestId("alert-ack")).not.toBeInTheDocument();
  });

  it("names the order's table from the floor the tables screen loaded", async () => {
    mocks.GET.mockImplementation(() => ok([alert()]));
    renderBanner((client) => client.setQueryData(["tables"], [{ id: 4, label: "4", order_id: 42 }]));
    expect(await screen.findByRole("link", { name: "Table 4" })).toHaveAttribute("href", "/order/42");
  });

  it("renders nothing while there are no alerts", async () => {
    mocks.GET.mockImplementation(() => ok([]));
    renderBanner();
    await waitFor(() => expect(mocks.GET).toHaveBeenCalled());
    expect(screen.queryByTestId("alert-banner")).not.toBeInTheDocument();
  });
});
