// Guest orders waiting for a waiter: the banner, the sheet's accept and reject, and a guest's call, against the
// stub appliance. First: it installs the stub appliance before the app's modules load.
import { appliance, json, received, renderAt, resetScreenState } from "../../../shared/test-data/screen-harness";
import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guestCallStore } from "../../../lib/live";
import type { GuestSubmission } from "../api/guest-orders-api";
import { GuestCallsBanner, GuestOrdersBanner } from "../index";

function submission(overrides: Partial<GuestSubmission> = {}): GuestSubmission {
  return {
    id: 11,
    table_id: 3,
    table_label: "T3",
    status: "pending",
    nickname: "Anna",
    created_at: new Date().toISOString(),
    order_id: null,
    decided_by: null,
    reason: null,
    total: 3100,
    lines: [
      {
        id: 1,
        product_id: 5,
        product_name: "Souvlaki pork",
        product_name_en: "Pork souvlaki",
        quantity: 3,
        options: ["Extra pita"],
        removed: ["Onion"],
        choices: ["Well done"],
        note: "Quickly please",
        nickname: "Anna",
        unit_price: 850,
        line_total: 2550,
        added_at: new Date().toISOString(),
      },
      {
        id: 2,
        product_id: 6,
        product_name: "Water 1 l",
        product_name_en: null,
        quantity: 1,
        options: [],
        removed: [],
        choices: [],
        note: null,
        nickname: "Nikos",
        unit_price: 550,
        line_total: 550,
        added_at: new Date().toISOString(),
      },
    ],
    ...overrides,
  } as GuestSubmission;
}

let pending: GuestSubmission[];
let refusal: { status: number; code: string; detail: string } | null;

async function serve(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === "GET") {
    if (url.pathname === "/api/system/info") {
      return json({ currency: "EUR", restaurant_name: "Test", timezone: "UTC", version: "1" });
    }
    if (url.pathname === "/api/guest-submissions" && url.searchParams.get("status") === "pending") return json(pending);
    return json({ detail: "not here", code: "NOT_FOUND" }, 404);
  }
  await received(request);
  if (refusal) {
    // Decided elsewhere: it leaves this waiter's list too.
    if (refusal.code === "SUBMISSION_DECIDED") pending = [];
    return json({ detail: refusal.detail, code: refusal.code }, refusal.status);
  }
  if (url.pathname === "/api/guest-submissions/11/accept") {
    pending = [];
    return json({ id: 70, table_id: 3, status: "open", items: [] }, 201);
  }
  if (url.pathname === "/api/guest-submissions/11/reject") {
    pending = [];
    return json({ ...submission(), status: "rejected" });
  }
  return json({ detail: "not here", code: "NOT_FOUND" }, 404);
}

beforeEach(() => {
  resetScreenState();
  pending = [submission()];
  refusal = null;
  appliance.handler = serve;
});

afterEach(() => {
  cleanup();
  guestCallStore.set([]);
});

async function openSheet() {
  const rendered = renderAt("/", <GuestOrdersBanner />);
  const row = await screen.findByTestId("guest-submission");
  expect(row).toHaveTextContent("Guest order at T3 — 4 items");
  await rendered.user.click(row);
  return { ...rendered, sheet: await screen.findByTestId("guest-submission-sheet") };
}

describe("GuestOrdersBanner", () => {
  it("is absent while no guest order waits", async () => {
    pending = [];
    const { client } = renderAt("/", <GuestOrdersBanner />);
    await waitFor(() => expect(client.getQueryData(["guest-submissions", "pending"])).toEqual([]));
    expect(screen.queryByTestId("guest-orders-banner")).toBeNull();
  });

  it("shows each line with what the guest chose and who asked, and the total", async () => {
    const { sheet } = await openSheet();
    const lines = within(sheet).getAllByTestId("guest-line");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent("3×Souvlaki pork+ Extra pita, no Onion, Well done“Quickly please”for Anna");
    expect(lines[1]).toHaveTextContent("1×Water 1 lfor Nikos");
    expect(within(sheet).getByTestId("guest-submission-total")).toHaveTextContent("31.00");
  });

  it("accepts: one request, the sheet closes and the order leaves the banner", async () => {
    const { user } = await openSheet();
    await user.click(screen.getByTestId("guest-submission-accept"));
    await waitFor(() => expect(screen.queryByTestId("guest-submission-sheet")).toBeNull());
    expect(appliance.writes.map((write) => write.path)).toEqual(["/api/guest-submissions/11/accept"]);
    await waitFor(() => expect(screen.queryByTestId("guest-orders-banner")).toBeNull());
  });

  it("says in words that another waiter got there first", async () => {
    refusal = { status: 409, code: "SUBMISSION_DECIDED", detail: "Submission already decided" };
    const { user } = await openSheet();
    await user.click(screen.getByTestId("guest-submission-accept"));
    expect(await screen.findByTestId("guest-submission-gone")).toHaveTextContent("Another waiter already handled it.");
    expect(screen.queryByTestId("guest-submission-accept")).toBeNull();
    await user.click(screen.getByRole("button", { name: "OK" }));
    expect(screen.queryByTestId("guest-submission-sheet")).toBeNull();
  });

  it("shows the appliance's reason when it refuses for another cause", async () => {
    refusal = { status: 423, code: "LICENSE_LOCKED", detail: "New orders are paused: the license is locked" };
    const { user } = await openSheet();
    await user.click(screen.getByTestId("guest-submission-accept"));
    expect(await screen.findByTestId("guest-submission-error")).toHaveTextContent(
      "New orders are paused: the license is locked",
    );
    expect(screen.getByTestId("guest-submission-accept")).toBeEnabled();
  });

  it("says in words that the guests have left when their order expired", async () => {
    refusal = { status: 409, code: "SUBMISSION_EXPIRED", detail: "The guests who sent this have left the table" };
    const { user } = await openSheet();
    await user.click(screen.getByTestId("guest-submission-accept"));
    expect(await screen.findByTestId("guest-submission-error")).toHaveTextContent(
      "These guests have left (their bill is closed): nothing was ordered.",
    );
  });

  it("rejects only with a reason, and sends it", async () => {
    const { user } = await openSheet();
    await user.click(screen.getByTestId("guest-submission-reject"));
    const confirm = screen.getByTestId("guest-reject-confirm");
    expect(confirm).toBeDisabled();
    expect(confirm).toHaveTextContent("Give a reason");
    await user.click(screen.getByRole("button", { name: "Sold out" }));
    expect(screen.getByLabelText("Why not? The guests see this.")).toHaveValue("Sold out");
    await user.type(screen.getByTestId("guest-reject-reason"), " today");
    await user.click(confirm);
    await waitFor(() => expect(screen.queryByTestId("guest-submission-sheet")).toBeNull());
    expect(appliance.writes).toMatchObject([{ path: "/api/guest-submissions/11/reject", body: { reason: "Sold out today" } }]);
  });
});

describe("GuestCallsBanner", () => {
  it("shows who calls and why until dismissed", async () => {
    const { user } = renderAt("/", <GuestCallsBanner />);
    expect(screen.queryByTestId("guest-calls-banner")).toBeNull();
    act(() =>
      guestCallStore.set([
        { tableId: 3, tableLabel: "T3", kind: "bill", at: 0 },
        { tableId: 4, tableLabel: "T4", kind: "waiter", at: 0 },
      ]),
    );
    expect(screen.getAllByTestId("guest-call").map((call) => call.textContent)).toEqual([
      "T3 asks for the billOK",
      "T4 calls youOK",
    ]);
    await user.click(screen.getByRole("button", { name: "Dismiss: T3 asks for the bill" }));
    expect(screen.getAllByTestId("guest-call")).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Dismiss: T4 calls you" }));
    expect(screen.queryByTestId("guest-calls-banner")).toBeNull();
  });
});
