// First: the stub cloud, before any app module captures fetch.
import { cloud, json, sent, serve } from "../../../shared/test-utils/stub-cloud";
import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderAt } from "../../../shared/test-utils/render";
import { site } from "../../../shared/test-utils/test-data";
import { SitesScreen } from "../components/sites-screen";

const SITES = [
  site({ name: "Taverna Nikos", status: "active" }),
  site({ name: "Ouzeri Maria", status: "locked" }),
  site({ name: "Psistaria Eleni", status: "never_seen", last_seen_at: null, last_version: null }),
];
const SUMMARY = { total: 3, active: 1, locked: 1, expired: 0, never_seen: 1, stale: 0 };

beforeEach(() => {
  cloud.mockReset();
  serve({
    "GET /api/sites/summary": () => json(200, SUMMARY),
    "GET /api/sites/": (request) => {
      const params = new URL(request.url).searchParams;
      const status = params.get("status");
      const q = params.get("q")?.toLowerCase();
      return json(
        200,
        SITES.filter((s) => (!status || s.status === status) && (!q || s.name.toLowerCase().includes(q))),
      );
    },
  });
});

const cardNames = () => screen.getAllByTestId("site-card").map((card) => within(card).getByRole("link").textContent);

describe("the sites overview", () => {
  it("counts the sites of each status on its tiles", async () => {
    renderAt("/", <SitesScreen />);
    await waitFor(() => expect(screen.getByTestId("count-all")).toHaveTextContent("3"));
    expect(screen.getByTestId("count-locked")).toHaveTextContent("1");
    expect(screen.getByTestId("count-expired")).toHaveTextContent("0");
    expect(screen.getByTestId("count-never_seen")).toHaveTextContent("1");
  });

  it("shows each site as a card named by its link, with its status in words", async () => {
    renderAt("/", <SitesScreen />);
    const link = await screen.findByRole("link", { name: "Ouzeri Maria" });
    expect(link).toHaveAttribute("href", "/sites/site_ouzeri-maria");
    const card = link.closest("article") as HTMLElement;
    expect(within(card).getByTestId("site-card-status")).toHaveTextContent("Locked");
    expect(within(card).getByText("Locked: Unpaid invoice")).toBeInTheDocument();
    const never = screen.getByRole("link", { name: "Psistaria Eleni" }).closest("article") as HTMLElement;
    expect(within(never).getByTestId("site-card-status")).toHaveTextContent("Never seen");
    expect(within(never).getByText("Never")).toBeInTheDocument();
  });

  it("filters the list by a tile's status, and shows every site again from the same tile", async () => {
    const { user, history } = renderAt("/", <SitesScreen />);
    await screen.findByRole("link", { name: "Taverna Nikos" });
    const locked = screen.getByRole("button", { name: /^Locked/ });
    expect(locked).toHaveAttribute("aria-pressed", "false");

    await user.click(locked);
    await waitFor(() => expect(cardNames()).toEqual(["Ouzeri Maria"]));
    expect(locked).toHaveAttribute("aria-pressed", "true");
    expect(history.at(-1)).toBe("/?status=locked");
    expect((await sent()).map((r) => r.url)).toContain("/api/sites/?status=locked");

    await user.click(locked);
    await waitFor(() => expect(cardNames()).toHaveLength(3));
    expect(locked).toHaveAttribute("aria-pressed", "false");
    expect(history.at(-1)).toBe("/");
  });

  it("starts from the filter in the address", async () => {
    renderAt("/?status=never_seen", <SitesScreen />);
    await waitFor(() => expect(cardNames()).toEqual(["Psistaria Eleni"]));
    expect(screen.getByRole("button", { name: /^Never seen/ })).toHaveAttribute("aria-pressed", "true");
  });

  it("searches once typing pauses", async () => {
    const { user } = renderAt("/", <SitesScreen />);
    await screen.findByRole("link", { name: "Taverna Nikos" });
    await user.type(screen.getByRole("searchbox", { name: "Search" }), "nik");
    await waitFor(() => expect(cardNames()).toEqual(["Taverna Nikos"]));
    const lists = (await sent()).map((r) => r.url).filter((url) => url.startsWith("/api/sites/?") || url === "/api/sites/");
    expect(lists).toEqual(["/api/sites/", "/api/sites/?q=nik"]);
  });

  it("says when nothing matches and offers every site back", async () => {
    const { user } = renderAt("/?status=expired", <SitesScreen />);
    const empty = await screen.findByTestId("sites-empty");
    expect(empty).toHaveTextContent("No site matches");
    await user.click(within(empty).getByRole("button", { name: "Show all sites" }));
    await waitFor(() => expect(cardNames()).toHaveLength(3));
  });
});
