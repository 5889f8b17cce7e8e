// Opening a table while the license pauses new orders: the stub appliance answers GET /api/license.
// First: it installs the stub appliance before the app's modules load.
import { appliance, json, renderAt, resetScreenState } from "../../../shared/test-data/screen-harness";
import type { Table } from "@tavolo/api";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OpenTableSheet } from "../components/open-table-sheet";

let license: { state: string; code: string; allows_orders: boolean; lock_reason: string | null; reason: string };

const table = { id: 4, number: 4, label: "T4", seats: 4, state: "free" } as Table;

function sheet(onOpen: (table: Table, guests: number) => void) {
  return <OpenTableSheet table={table} busy={false} onOpen={onOpen} onClose={() => {}} />;
}

beforeEach(() => {
  resetScreenState();
  appliance.handler = (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/license") return json(license);
    return json({ detail: "not here", code: "NOT_FOUND" }, 404);
  };
});

afterEach(cleanup);

describe("OpenTableSheet", () => {
  it("opens while the license allows orders", async () => {
    license = { state: "warning", code: "LEASE_EXPIRING", allows_orders: true, lock_reason: null, reason: "" };
    const onOpen = vi.fn();
    const { user, client } = renderAt("/", sheet(onOpen));
    await waitFor(() => expect(client.getQueryData(["license"])).toBeDefined());
    expect(screen.queryByTestId("open-paused")).toBeNull();
    await user.click(screen.getByTestId("open-order"));
    expect(onOpen).toHaveBeenCalledWith(table, 2);
  });

  it("is switched off, with the reason, while the license pauses new orders", async () => {
    license = {
      state: "locked",
      code: "LICENSE_LOCKED",
      allows_orders: false,
      lock_reason: "Unpaid invoice",
      reason: "",
    };
    const onOpen = vi.fn();
    const { user } = renderAt("/", sheet(onOpen));
    expect(await screen.findByTestId("open-paused")).toHaveTextContent(
      "New orders are paused: this restaurant's license is locked (Unpaid invoice). Open bills can still be paid " +
        "and closed.",
    );
    expect(screen.getByTestId("open-order")).toBeDisabled();
    await user.click(screen.getByTestId("open-order"));
    expect(onOpen).not.toHaveBeenCalled();
  });
});
