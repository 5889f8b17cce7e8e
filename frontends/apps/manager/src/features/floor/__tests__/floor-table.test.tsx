import { fireEvent, render, screen } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import { FloorPlan } from "../components/floor-plan";
import { FloorTable } from "../components/floor-table";
import type { FloorSection, Pos } from "../model/layout";
import { table } from "./fixtures";

const NOW = Date.parse("2026-12-01T20:30:00Z");

function inRouter(node: React.ReactNode) {
  const { hook } = memoryLocation({ path: "/" });
  return render(<Router hook={hook}>{node}</Router>);
}

describe("FloorTable", () => {
  it("shows an occupied table's state in words, its waiter, guests, time open and running total", () => {
    inRouter(
      <FloorTable
        table={table({
          number: 4,
          label: "T4",
          state: "open",
          order_id: 77,
          waiter_name: "Maria",
          guests: 3,
          total: 2350,
          due: 2350,
          opened_at: "2026-12-01T20:05:00Z",
        })}
        pos={{ x: 4, y: 8 }}
        now={NOW}
        currency="EUR"
      />,
    );
    const tile = screen.getByTestId("floor-table-4");
    expect(tile).toHaveAttribute("data-state", "open");
    expect(tile).toHaveTextContent("Occupied");
    expect(screen.getByTestId("floor-table-4-waiter")).toHaveTextContent("Maria");
    expect(screen.getByLabelText("3 guests")).toBeInTheDocument();
    expect(screen.getByTestId("floor-table-4-elapsed")).toHaveTextContent("open 25 min");
    expect(screen.getByTestId("floor-table-4-total")).toHaveAttribute("data-amount", "2350");
    // Tapping it opens its order.
    expect(tile.tagName).toBe("A");
    expect(tile).toHaveAttribute("href", "/orders/77");
    expect(tile).toHaveStyle({ left: "176px", top: "352px" });
  });

  it("shows what is still due on a partly paid table", () => {
    inRouter(
      <FloorTable
        table={table({ number: 5, state: "partially_paid", order_id: 8, total: 3000, due: 1000, waiter_name: "Ann" })}
        pos={{ x: 0, y: 0 }}
        now={NOW}
        currency="EUR"
      />,
    );
    expect(screen.getByTestId("floor-table-5-state")).toHaveTextContent("Partly paid");
    expect(screen.getByTestId("floor-table-5")).toHaveTextContent(/due\s*€10\.00/);
  });

  it("shows a free table with its seats, not as a link", () => {
    inRouter(<FloorTable table={table({ number: 2, seats: 6 })} pos={{ x: 0, y: 0 }} now={NOW} currency="EUR" />);
    const tile = screen.getByTestId("floor-table-2");
    expect(tile.tagName).toBe("DIV");
    expect(tile).toHaveTextContent("Free");
    expect(tile).toHaveTextContent("6 seats");
  });
});

describe("FloorPlan in the layout editor", () => {
  const section: FloorSection = {
    id: 1,
    title: "Inside",
    tables: [table({ id: 1, number: 1, label: "T1" }), table({ id: 2, number: 2, label: "T2", pos_x: 3 })],
  };
  const positions = new Map<number, Pos>([
    [1, { x: 0, y: 0 }],
    [2, { x: 3, y: 0 }],
  ]);

  beforeAll(() => {
    // jsdom lays nothing out: give the canvas a tablet's width.
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
  });
  afterAll(() => vi.restoreAllMocks());

  function renderPlan(onMove = vi.fn(), onAnnounce = vi.fn()) {
    inRouter(
      <FloorPlan
        section={section}
        positions={positions}
        editing
        now={NOW}
        currency="EUR"
        hintId="hint"
        onMove={onMove}
        onAnnounce={onAnnounce}
      />,
    );
    return { onMove, onAnnounce };
  }

  it("makes every table a movable button that says where it is", () => {
    renderPlan();
    const tile = screen.getByTestId("floor-table-1");
    expect(tile.tagName).toBe("BUTTON");
    expect(tile).toHaveAccessibleName("T1, column 1, row 1");
    expect(tile).toHaveAttribute("aria-describedby", "hint");
  });

  it("moves a focused table with the arrow keys, past a table in the way, and says where it went", () => {
    const { onMove, onAnnounce } = renderPlan();
    fireEvent.keyDown(screen.getByTestId("floor-table-1"), { key: "ArrowDown" });
    expect(onMove).toHaveBeenLastCalledWith(1, { x: 0, y: 1 });
    expect(onAnnounce).toHaveBeenLastCalledWith("T1 at column 1, row 2.");
    fireEvent.keyDown(screen.getByTestId("floor-table-1"), { key: "ArrowRight" });
    // T2 sits right next to it (columns 4-6): T1 jumps to the first place past it.
    expect(onMove).toHaveBeenLastCalledWith(1, { x: 6, y: 0 });
  });

  it("does not move past the canvas's edge, nor onto a table with no room behind it", () => {
    const { onMove, onAnnounce } = renderPlan();
    fireEvent.keyDown(screen.getByTestId("floor-table-1"), { key: "ArrowUp" });
    expect(onAnnounce).toHaveBeenLastCalledWith("T1 cannot move further that way.");
    fireEvent.keyDown(screen.getByTestId("floor-table-2"), { key: "ArrowLeft" });
    expect(onAnnounce).toHaveBeenLastCalledWith("T2 cannot move further that way.");
    expect(onMove).not.toHaveBeenCalled();
  });
});
