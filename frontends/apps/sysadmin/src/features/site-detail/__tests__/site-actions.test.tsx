// First: the stub cloud, before any app module captures fetch.
import { cloud, json, sent, serve } from "../../../shared/test-utils/stub-cloud";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderAt } from "../../../shared/test-utils/render";
import { detail } from "../../../shared/test-utils/test-data";
import { SiteDetailScreen } from "../components/site-detail-screen";

const ACTIVE = detail({ name: "Taverna Nikos", status: "active" });
const LOCKED = {
  ...ACTIVE,
  status: "locked" as const,
  is_locked: true,
  lock_reason: "Unpaid invoice",
  locked_at: "2030-06-02T08:00:00Z",
};
const PATH = `/api/sites/${ACTIVE.site_id}`;

function renderSite() {
  return renderAt(`/sites/${ACTIVE.site_id}`, <SiteDetailScreen siteId={ACTIVE.site_id} />);
}

const writes = async () => (await sent()).filter((request) => request.method !== "GET");

beforeEach(() => {
  cloud.mockReset();
});

describe("the site page", () => {
  it("shows the site's fields and its heartbeat history", async () => {
    serve({ [`GET ${PATH}`]: () => json(200, ACTIVE) });
    renderSite();
    expect(await screen.findByRole("heading", { level: 1, name: "Taverna Nikos" })).toBeInTheDocument();
    expect(screen.getAllByTestId("site-status")[0]).toHaveTextContent("Active");
    const rows = screen.getAllByTestId("heartbeat-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("203.0.113.7");
    expect(rows[0]).toHaveTextContent("0.4.2");
    expect(rows[0]).toHaveTextContent("1 h 0 min");
  });
});

describe("locking a site", () => {
  it("requires a reason before anything is sent", async () => {
    serve({ [`GET ${PATH}`]: () => json(200, ACTIVE) });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Lock" }));
    const dialog = screen.getByRole("dialog", { name: "Lock Taverna Nikos" });
    expect(within(dialog).getByLabelText("Reason")).toHaveFocus();

    await user.click(within(dialog).getByRole("button", { name: "Lock site" }));
    expect(within(dialog).getByText("Enter a reason to lock the site.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Reason")).toHaveAttribute("aria-invalid", "true");
    await user.type(within(dialog).getByLabelText("Reason"), "   ");
    await user.click(within(dialog).getByRole("button", { name: "Lock site" }));
    expect(await writes()).toEqual([]);
  });

  it("sends the reason, closes the dialog and shows the site locked", async () => {
    let current = ACTIVE;
    serve({
      [`GET ${PATH}`]: () => json(200, current),
      [`POST ${PATH}/lock`]: () => {
        current = LOCKED;
        return json(200, LOCKED);
      },
    });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Lock" }));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByLabelText("Reason"), " Unpaid invoice ");
    await user.click(within(dialog).getByRole("button", { name: "Lock site" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await screen.findByRole("button", { name: "Unlock" })).toBeInTheDocument();
    expect(screen.getByTestId("status-banner")).toHaveTextContent("Unpaid invoice");
    expect(screen.getAllByText(/Unpaid invoice/)).toHaveLength(1);
    expect(await writes()).toEqual([
      expect.objectContaining({ method: "POST", url: `${PATH}/lock`, body: { reason: "Unpaid invoice" } }),
    ]);
  });

  it("shows the cloud's refusal in the dialog", async () => {
    serve({
      [`GET ${PATH}`]: () => json(200, ACTIVE),
      [`POST ${PATH}/lock`]: () => json(409, { detail: "Taverna Nikos is already locked", code: "ALREADY_LOCKED" }),
    });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Lock" }));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByLabelText("Reason"), "Unpaid invoice");
    await user.click(within(dialog).getByRole("button", { name: "Lock site" }));
    expect(await within(dialog).findByTestId("action-error")).toHaveTextContent("Taverna Nikos is already locked");
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });
});

describe("the other actions", () => {
  it("unlocks a locked site and shows a refusal's detail", async () => {
    serve({
      [`GET ${PATH}`]: () => json(200, LOCKED),
      [`POST ${PATH}/unlock`]: () => json(409, { detail: "Taverna Nikos is not locked", code: "NOT_LOCKED" }),
    });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Unlock" }));
    expect(await screen.findByTestId("action-error")).toHaveTextContent("Taverna Nikos is not locked");
  });

  it("extends by the days entered", async () => {
    serve({ [`GET ${PATH}`]: () => json(200, ACTIVE), [`POST ${PATH}/extend`]: () => json(200, ACTIVE) });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Extend" }));
    const dialog = screen.getByRole("dialog");
    const days = within(dialog).getByLabelText("Days");
    await user.clear(days);
    await user.type(days, "45");
    await user.click(within(dialog).getByRole("button", { name: "Extend license" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await writes()).toEqual([expect.objectContaining({ url: `${PATH}/extend`, body: { days: 45 } })]);
  });

  it("sends only the details that changed", async () => {
    serve({ [`GET ${PATH}`]: () => json(200, ACTIVE), [`PUT ${PATH}`]: () => json(200, ACTIVE) });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Edit details" }));
    const dialog = screen.getByRole("dialog");
    await user.clear(within(dialog).getByLabelText("Owner"));
    await user.type(within(dialog).getByLabelText("Owner"), "Eleni Georgiou");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await writes()).toEqual([
      expect.objectContaining({ method: "PUT", url: PATH, body: { owner_name: "Eleni Georgiou" } }),
    ]);
  });

  it("shows a rotated key once", async () => {
    serve({
      [`GET ${PATH}`]: () => json(200, ACTIVE),
      [`POST ${PATH}/rotate-key`]: () => json(200, { site_id: ACTIVE.site_id, secret_key: "sk_new-key" }),
    });
    const { user } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Rotate key" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Issue new key" }));
    expect(await screen.findByTestId("site-secret")).toHaveTextContent("sk_new-key");
  });

  it("deregisters only once the site's name is typed, then leaves the page", async () => {
    serve({ [`GET ${PATH}`]: () => json(200, ACTIVE), [`DELETE ${PATH}`]: () => new Response(null, { status: 204 }) });
    const { user, history } = renderSite();
    await user.click(await screen.findByRole("button", { name: "Deregister" }));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByRole("button", { name: "Deregister site" });
    await user.type(within(dialog).getByLabelText(/Type the site's name/), "Taverna");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Type the site's name/), "{Enter}");
    expect(await writes()).toEqual([]);
    await user.type(within(dialog).getByLabelText(/Type the site's name/), " Nikos");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    await waitFor(() => expect(history.at(-1)).toBe("/"));
    expect(await writes()).toEqual([expect.objectContaining({ method: "DELETE", url: PATH })]);
  });
});
