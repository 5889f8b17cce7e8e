// First: the stub appliance, before any app module captures fetch.
import { appliance, json, sent } from "../../../shared/test-utils/stub-appliance";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMessage, EMPTY_BOARD } from "../../../lib/board";
import { boardStore } from "../../../lib/live";
import { pair } from "../../../lib/screen";
import { T0, item, snapshot, ticket } from "../../../shared/test-data/tickets";
import { renderWithQuery } from "../../../shared/test-utils/render";
import { TicketCard } from "../components/ticket-card";

const souvlaki = item(11, {
  product_name: "Souvlaki pork",
  quantity: 2,
  options: ["Extra pita"],
  removed: ["Onion"],
  choices: ["Doneness: Well done"],
  note: "nut allergy",
  seat: 3,
});
const held = item(12, { product_name: "Baklava", course: 2, held: true, fired_at: null });
const voided = item(13, { product_name: "Salad", status: "cancelled" });
const table = ticket(7, [souvlaki, held, voided], { table_label: "T7", round: 2 });

function show(now: number) {
  pair("kds_wall");
  boardStore.set(applyMessage(EMPTY_BOARD, snapshot([table])));
  return renderWithQuery(<TicketCard ticket={table} now={now} showZone={false} />);
}

describe("a ticket card", () => {
  beforeEach(() => appliance.mockReset());
  afterEach(() => boardStore.set(EMPTY_BOARD));

  it("shows the table, the round, the timer and what the cook must not miss", () => {
    show(T0 + 65_000);
    const card = screen.getByTestId("ticket-7");
    expect(card).toHaveAttribute("data-state", "normal");
    expect(within(card).getByRole("heading", { name: "T7" })).toBeInTheDocument();
    expect(card).toHaveTextContent("+ADDED · round 2");
    expect(card).toHaveTextContent("On time");
    expect(screen.getByTestId("timer-7")).toHaveTextContent("1:05");
    const line = screen.getByTestId("kds-item-11");
    expect(line).toHaveTextContent("2×Souvlaki pork");
    expect(within(line).getByText("NO Onion")).toHaveClass("kds-mod--removed");
    expect(within(line).getByText("“nut allergy”")).toHaveClass("kds-mod--note");
    expect(within(line).getByText("+ Extra pita")).toBeInTheDocument();
    expect(within(line).getByText("▸ Doneness: Well done")).toBeInTheDocument();
    expect(within(line).getByText("Seat 3")).toBeInTheDocument();
  });

  it("says how late it is in words as well as colour", () => {
    const { unmount } = show(T0 + 5 * 60_000);
    expect(screen.getByTestId("ticket-7")).toHaveAttribute("data-state", "warn");
    expect(screen.getByTestId("ticket-7")).toHaveTextContent("Warning");
    unmount();
    show(T0 + 10 * 60_000);
    expect(screen.getByTestId("ticket-7")).toHaveAttribute("data-state", "late");
    expect(screen.getByTestId("ticket-7")).toHaveTextContent("Late");
  });

  it("greys a held item and strikes a voided one; neither can be tapped", () => {
    show(T0);
    const baklava = screen.getByTestId("kds-item-12");
    expect(baklava).toHaveAttribute("data-held", "true");
    expect(baklava).toHaveTextContent("HOLD · course 2");
    expect(baklava).toBeDisabled();
    const salad = screen.getByTestId("kds-item-13");
    expect(salad).toHaveAttribute("data-status", "cancelled");
    expect(salad).toHaveClass("kds-item--cancelled");
    expect(salad).toHaveTextContent("VOID");
    expect(salad).toBeDisabled();
    expect(appliance).not.toHaveBeenCalled();
  });

  it("a tap moves the item on with the screen's token and shows the answer at once", async () => {
    appliance.mockResolvedValueOnce(json(200, { ...souvlaki, status: "preparing", preparing_at: "2026-03-01T12:01:00Z" }));
    show(T0);
    fireEvent.click(screen.getByTestId("kds-item-11"));
    await waitFor(() => expect(boardStore.get().tickets[0]?.items[0]?.status).toBe("preparing"));
    expect(await sent()).toEqual([{
      method: "POST",
      path: "/api/kitchen/items/11/status",
      auth: "Bearer kds_wall",
      body: { status: "preparing" },
    }]);
  });

  it("marks a guests' ticket as a guest order with their nicknames, and each guest's item with its guest", () => {
    pair("kds_wall");
    const guests = ticket(
      8,
      [
        item(21, { guest_nickname: "Anna" }),
        item(22, { product_name: "Salad", guest_nickname: "Bob" }),
        item(23, { product_name: "Chips", guest_nickname: "Anna" }),
        item(24, { product_name: "Bread" }),
      ],
      { table_label: "T8", waiter_name: "QR guests" },
    );
    renderWithQuery(<TicketCard ticket={guests} now={T0} showZone={false} />);
    expect(screen.getByTestId("guest-8")).toHaveTextContent(/^Guest orderAnna, Bob$/);
    expect(screen.getByRole("article", { name: "T8, guest order, on time" })).toBeInTheDocument();
    expect(within(screen.getByTestId("kds-item-22")).getByText("Guest: Bob")).toHaveClass("kds-tag--guest");
    expect(screen.getByTestId("kds-item-21")).toHaveTextContent("Guest: Anna");
    expect(screen.getByTestId("kds-item-24")).not.toHaveTextContent("Guest");
  });

  it("a waiter's ticket carries no guest marking", () => {
    show(T0);
    expect(screen.queryByTestId("guest-7")).not.toBeInTheDocument();
    expect(screen.getByTestId("ticket-7")).not.toHaveTextContent(/guest/i);
  });

  it("bump sends the ticket away", async () => {
    appliance.mockResolvedValueOnce(json(200, { ...table, bumped_at: "2026-03-01T12:09:00Z" }));
    show(T0);
    fireEvent.click(screen.getByTestId("bump-7"));
    await waitFor(() => expect(boardStore.get().tickets).toEqual([]));
    expect((await sent()).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/kitchen/tickets/7/bump"]);
  });
});
