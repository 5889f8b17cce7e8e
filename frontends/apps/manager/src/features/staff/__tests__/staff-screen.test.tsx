// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Staff } from "../api/staff-api";
import { StaffScreen } from "../components/staff-screen";

function person(id: number, username: string, overrides: Partial<Staff> = {}): Staff {
  return {
    id,
    username,
    display_name: username[0]?.toUpperCase() + username.slice(1),
    role: "waiter",
    is_active: true,
    locked_until: null,
    assistant_ids: [],
    assists: [],
    created_at: "2026-12-01T08:00:00Z",
    ...overrides,
  };
}

const IN_AN_HOUR = new Date(Date.now() + 3_600_000).toISOString();

beforeEach(() => {
  appliance.mockReset();
});

describe("adding a staff member", () => {
  it("checks the username and PIN before anything is sent, then sends them", async () => {
    serve({
      "GET /api/waiters/": () => json(200, [person(1, "boss", { role: "manager" })]),
      "POST /api/waiters/": () => json(201, person(2, "maria")),
    });
    const user = renderWithQueries(<StaffScreen />);
    await user.click(await screen.findByRole("button", { name: "Add staff member" }));
    const dialog = screen.getByRole("dialog", { name: "Add a staff member" });
    await user.type(within(dialog).getByLabelText("Name"), "Maria");
    await user.type(within(dialog).getByLabelText("Username"), "maria k");
    await user.type(within(dialog).getByLabelText("PIN"), "12");
    await user.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(within(dialog).getByLabelText("Username")).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByText("Enter a PIN of 4 to 8 digits.")).toBeInTheDocument();
    expect(await writes()).toEqual([]);

    await user.clear(within(dialog).getByLabelText("Username"));
    await user.type(within(dialog).getByLabelText("Username"), "maria");
    await user.type(within(dialog).getByLabelText("PIN"), "34");
    await user.click(within(dialog).getByRole("button", { name: "Add" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await writes()).toEqual([
      {
        method: "POST",
        path: "/api/waiters/",
        body: { username: "maria", display_name: "Maria", role: "waiter", pin: "1234" },
      },
    ]);
  });

  it("shows the appliance's refusal in the dialog", async () => {
    serve({
      "GET /api/waiters/": () => json(200, []),
      "POST /api/waiters/": () => json(409, { detail: "Username 'maria' is taken", code: "USERNAME_TAKEN" }),
    });
    const user = renderWithQueries(<StaffScreen />);
    await user.click(await screen.findByRole("button", { name: "Add staff member" }));
    const dialog = screen.getByRole("dialog", { name: "Add a staff member" });
    await user.type(within(dialog).getByLabelText("Name"), "Maria");
    await user.type(within(dialog).getByLabelText("Username"), "maria");
    await user.type(within(dialog).getByLabelText("PIN"), "1234");
    await user.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(await within(dialog).findByTestId("staff-error")).toHaveTextContent("Username 'maria' is taken");
  });
});

describe("the staff list", () => {
  it("shows a locked account with an Unlock button that clears the lockout", async () => {
    let maria = person(2, "maria", { locked_until: IN_AN_HOUR });
    serve({
      "GET /api/waiters/": () => json(200, [maria]),
      "POST /api/waiters/2/unlock": () => {
        maria = { ...maria, locked_until: null };
        return json(200, maria);
      },
    });
    const user = renderWithQueries(<StaffScreen />);
    const row = await screen.findByTestId("staff-row-maria");
    expect(within(row).getByTestId("staff-state")).toHaveTextContent("Locked until");
    await user.click(within(row).getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(within(row).getByTestId("staff-state")).toHaveTextContent("Active"));
    expect(within(row).queryByRole("button", { name: "Unlock" })).not.toBeInTheDocument();
  });

  it("asks before deactivating and shows why the appliance refused", async () => {
    serve({
      "GET /api/waiters/": () => json(200, [person(3, "nikos", { role: "manager" })]),
      "DELETE /api/waiters/3": () =>
        json(409, { detail: "The last active manager cannot be deactivated", code: "LAST_MANAGER" }),
    });
    const user = renderWithQueries(<StaffScreen />);
    const row = await screen.findByTestId("staff-row-nikos");
    await user.click(within(row).getByRole("button", { name: "Deactivate" }));
    const dialog = screen.getByRole("dialog", { name: "Deactivate Nikos?" });
    expect(await writes()).toEqual([]);
    await user.click(within(dialog).getByRole("button", { name: "Deactivate" }));
    expect(await within(dialog).findByTestId("confirm-error")).toHaveTextContent("last active manager");
  });

  it("hides deactivated people until asked, and offers to reactivate them", async () => {
    serve({ "GET /api/waiters/": () => json(200, [person(2, "maria"), person(4, "eleni", { is_active: false })]) });
    const user = renderWithQueries(<StaffScreen />);
    await screen.findByTestId("staff-row-maria");
    expect(screen.queryByTestId("staff-row-eleni")).not.toBeInTheDocument();
    await user.click(screen.getByLabelText("Show deactivated (1)"));
    const row = screen.getByTestId("staff-row-eleni");
    expect(within(row).getByRole("button", { name: "Reactivate" })).toBeInTheDocument();
  });

  it("sets assistants from the other active people", async () => {
    serve({
      "GET /api/waiters/": () =>
        json(200, [person(2, "maria"), person(5, "kostas"), person(6, "old", { is_active: false })]),
      "PUT /api/waiters/2/assistants": () => json(200, { waiter_id: 2, assistant_ids: [5] }),
    });
    const user = renderWithQueries(<StaffScreen />);
    const row = await screen.findByTestId("staff-row-maria");
    await user.click(within(row).getByRole("button", { name: "Assistants" }));
    const dialog = screen.getByRole("dialog", { name: "Assistants of Maria" });
    expect(within(dialog).queryByLabelText(/Old/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByLabelText(/Kostas/));
    await user.click(within(dialog).getByRole("button", { name: "Save assistants" }));
    await waitFor(async () =>
      expect(await writes()).toEqual([
        { method: "PUT", path: "/api/waiters/2/assistants", body: { assistant_ids: [5] } },
      ]),
    );
  });
});
