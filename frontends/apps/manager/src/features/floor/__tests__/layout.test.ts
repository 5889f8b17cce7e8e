import type { TableGroup } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import {
  AUTO_COLUMNS,
  TILE_W,
  autoPlace,
  boundsFor,
  changedPositions,
  extent,
  floorSections,
  nudge,
  overlaps,
  snapDrag,
} from "../model/layout";
import { table } from "./fixtures";

describe("autoPlace", () => {
  it("keeps the places the manager saved", () => {
    const placed = autoPlace([
      table({ id: 1, number: 1, pos_x: 8, pos_y: 4 }),
      table({ id: 2, number: 2, pos_x: 0, pos_y: 8 }),
    ]);
    expect(placed.get(1)).toEqual({ x: 8, y: 4 });
    expect(placed.get(2)).toEqual({ x: 0, y: 8 });
  });

  it("lays out new tables (all at 0,0) in free slots, in number order, around the saved ones", () => {
    const placed = autoPlace([
      table({ id: 13, number: 3 }),
      table({ id: 11, number: 1 }),
      table({ id: 12, number: 2 }),
      table({ id: 20, number: 9, pos_x: 4, pos_y: 0 }),
    ]);
    // Table 1 keeps the corner; table 9's saved place takes the second slot, so 2 and 3 go to the third and fourth.
    expect(placed.get(11)).toEqual({ x: 0, y: 0 });
    expect(placed.get(20)).toEqual({ x: 4, y: 0 });
    expect(placed.get(12)).toEqual({ x: 8, y: 0 });
    expect(placed.get(13)).toEqual({ x: 12, y: 0 });
  });

  it("wraps to a new row after a full row and never leaves two tiles overlapping", () => {
    const many = Array.from({ length: AUTO_COLUMNS + 2 }, (_, i) => table({ id: i + 1, number: i + 1 }));
    const placed = autoPlace(many);
    expect(placed.get(AUTO_COLUMNS + 1)).toEqual({ x: 0, y: 4 });
    const all = [...placed.values()];
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
  });

  it("moves a table saved off the canvas (negative) onto it", () => {
    const placed = autoPlace([table({ id: 1, number: 1, pos_x: -5, pos_y: 2 })]);
    expect(placed.get(1)).toEqual({ x: 0, y: 0 });
  });
});

describe("snapping and bounds", () => {
  const bounds = { maxX: 10, maxY: 20 };

  it("snaps a drag to the nearest grid step", () => {
    expect(snapDrag({ x: 2, y: 2 }, 59, -21, bounds, 40)).toEqual({ x: 3, y: 1 });
    expect(snapDrag({ x: 2, y: 2 }, 61, 19, bounds, 40)).toEqual({ x: 4, y: 2 });
  });

  it("keeps a dragged table on the canvas", () => {
    expect(snapDrag({ x: 2, y: 2 }, -400, 5000, bounds, 40)).toEqual({ x: 0, y: 20 });
    expect(snapDrag({ x: 2, y: 2 }, 4000, 0, bounds, 40)).toEqual({ x: 10, y: 2 });
  });

  it("lets no tile hang over the canvas's right edge", () => {
    expect(boundsFor(400, 40).maxX).toBe(10 - TILE_W);
    expect(boundsFor(0, 40).maxX).toBe(0);
  });

  it("moves with the keys one step, or past tables in the way, and not beyond the edge", () => {
    const others = [{ x: 4, y: 0 }];
    expect(nudge({ x: 0, y: 0 }, 1, 0, others, bounds)).toEqual({ x: 1, y: 0 });
    expect(nudge({ x: 1, y: 0 }, 1, 0, others, bounds)).toEqual({ x: 7, y: 0 });
    expect(nudge({ x: 0, y: 0 }, -1, 0, others, bounds)).toBeNull();
    expect(nudge({ x: 6, y: 0 }, 1, 0, [{ x: 8, y: 0 }], { maxX: 8, maxY: 0 })).toBeNull();
  });

  it("sizes the canvas to its tables, with spare rows while editing", () => {
    expect(extent([{ x: 4, y: 8 }])).toEqual({ width: 7, height: 11 });
    expect(extent([], 4)).toEqual({ width: 3, height: 7 });
  });
});

describe("floorSections", () => {
  const group = (id: number, name: string, sort_order: number): TableGroup => ({
    id,
    name,
    sort_order,
    table_count: 0,
    created_at: "",
  });

  it("lists sections in the manager's order, skips empty ones, and ends with tables in no section", () => {
    const sections = floorSections(
      [table({ id: 1, group_id: 2 }), table({ id: 2, group_id: 1 }), table({ id: 3, group_id: null })],
      [group(1, "Terrace", 2), group(2, "Inside", 1), group(3, "Garden", 3)],
    );
    expect(sections.map((s) => [s.title, s.tables.map((t) => t.id)])).toEqual([
      ["Inside", [1]],
      ["Terrace", [2]],
      ["Other tables", [3]],
    ]);
  });
});

describe("changedPositions", () => {
  it("saves moved and automatically placed tables, not those already where they are", () => {
    const tables = [
      table({ id: 1, pos_x: 0, pos_y: 0 }),
      table({ id: 2, pos_x: 0, pos_y: 0 }),
      table({ id: 3, pos_x: 8, pos_y: 0 }),
    ];
    const shown = new Map([
      [1, { x: 0, y: 0 }],
      [2, { x: 4, y: 0 }],
      [3, { x: 9, y: 1 }],
    ]);
    expect([...changedPositions(tables, shown)]).toEqual([
      [2, { x: 4, y: 0 }],
      [3, { x: 9, y: 1 }],
    ]);
  });
});
