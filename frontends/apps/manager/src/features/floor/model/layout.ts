// The floor plan's geometry, in the grid units the appliance stores (TableRead.pos_x/pos_y): one unit is one
// snap step of the editor. A table without a saved place sits at 0,0 (the default of a new table), so tables
// that land on one another are laid out in free slots until the manager places them.
import type { Table, TableGroup } from "@tavolo/api";

/** Pixels per grid unit on screen. */
export const UNIT_PX = 44;
/** A table's tile, in grid units (3 x 3 = 132 px: label and guests, state, waiter, time open, total, due). */
export const TILE_W = 3;
export const TILE_H = 3;
/** Automatic placement: slots of a tile plus one unit of aisle, this many across. */
export const AUTO_COLUMNS = 6;
const SLOT_W = TILE_W + 1;
const SLOT_H = TILE_H + 1;
/** How far down the editor lets a table go; the appliance accepts far more, a floor needs far less. */
export const MAX_ROW = 60;

export interface Pos {
  x: number;
  y: number;
}

export interface Bounds {
  maxX: number;
  maxY: number;
}

export function samePos(a: Pos, b: Pos): boolean {
  return a.x === b.x && a.y === b.y;
}

/** Two tiles share at least one grid cell. */
export function overlaps(a: Pos, b: Pos): boolean {
  return a.x < b.x + TILE_W && b.x < a.x + TILE_W && a.y < b.y + TILE_H && b.y < a.y + TILE_H;
}

export function clampPos(pos: Pos, bounds: Bounds): Pos {
  return {
    x: Math.min(Math.max(0, pos.x), Math.max(0, bounds.maxX)),
    y: Math.min(Math.max(0, pos.y), Math.max(0, bounds.maxY)),
  };
}

/** Where a drag that started at `origin` ends up after the pointer moved dx, dy pixels: snapped to the grid. */
export function snapDrag(origin: Pos, dxPx: number, dyPx: number, bounds: Bounds, unitPx = UNIT_PX): Pos {
  return clampPos({ x: origin.x + Math.round(dxPx / unitPx), y: origin.y + Math.round(dyPx / unitPx) }, bounds);
}

/** The bounds of a canvas `widthPx` wide: a tile never hangs over its right edge. */
export function boundsFor(widthPx: number, unitPx = UNIT_PX): Bounds {
  return { maxX: Math.max(0, Math.floor(widthPx / unitPx) - TILE_W), maxY: MAX_ROW };
}

/**
 * Every table's place: saved places are kept; a table whose saved place is off the canvas (negative) or on a
 * tile already placed goes to the first free slot, reading left to right, top to bottom. Tables are taken in
 * number order, so the lowest-numbered of the tables at 0,0 keeps that corner.
 */
export function autoPlace(tables: readonly Pick<Table, "id" | "number" | "pos_x" | "pos_y">[]): Map<number, Pos> {
  const placed = new Map<number, Pos>();
  const taken: Pos[] = [];
  const waiting: number[] = [];
  for (const table of [...tables].sort((a, b) => a.number - b.number || a.id - b.id)) {
    const pos = { x: table.pos_x, y: table.pos_y };
    if (pos.x < 0 || pos.y < 0 || taken.some((other) => overlaps(pos, other))) {
      waiting.push(table.id);
      continue;
    }
    placed.set(table.id, pos);
    taken.push(pos);
  }
  let slot = 0;
  for (const id of waiting) {
    for (;;) {
      const pos = { x: (slot % AUTO_COLUMNS) * SLOT_W, y: Math.floor(slot / AUTO_COLUMNS) * SLOT_H };
      slot += 1;
      if (!taken.some((other) => overlaps(pos, other))) {
        placed.set(id, pos);
        taken.push(pos);
        break;
      }
    }
  }
  return placed;
}

/**
 * The next place in a direction for the keyboard: one unit, or past the tables in the way to the first place
 * where the tile is free; null when there is none before the edge.
 */
export function nudge(from: Pos, dx: number, dy: number, others: readonly Pos[], bounds: Bounds): Pos | null {
  let pos = from;
  for (;;) {
    const next = clampPos({ x: pos.x + dx, y: pos.y + dy }, bounds);
    if (samePos(next, pos)) return null;
    if (!others.some((other) => overlaps(next, other))) return next;
    pos = next;
  }
}

/** The canvas's size in units: room for every tile, plus `spare` rows below (the editor's room to move down). */
export function extent(positions: Iterable<Pos>, spare = 0): { width: number; height: number } {
  let width = TILE_W;
  let height = TILE_H;
  for (const pos of positions) {
    width = Math.max(width, pos.x + TILE_W);
    height = Math.max(height, pos.y + TILE_H);
  }
  return { width, height: height + spare };
}

export interface FloorSection {
  /** null: tables in no section. */
  id: number | null;
  title: string;
  tables: Table[];
}

/** Sections in the manager's order, each with its tables; tables in no section last, as "Other tables". */
export function floorSections(tables: readonly Table[], groups: readonly TableGroup[]): FloorSection[] {
  const known = new Set(groups.map((group) => group.id));
  const sections: FloorSection[] = [...groups]
    .sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name))
    .map((group) => ({ id: group.id, title: group.name, tables: tables.filter((t) => t.group_id === group.id) }));
  const rest = tables.filter((t) => t.group_id === null || !known.has(t.group_id));
  if (rest.length > 0) {
    sections.push({ id: null, title: sections.length > 0 ? "Other tables" : "Tables", tables: rest });
  }
  return sections.filter((section) => section.tables.length > 0);
}

/** Places that differ from what the appliance has: moved tables, and tables placed automatically. */
export function changedPositions(tables: readonly Table[], positions: Map<number, Pos>): Map<number, Pos> {
  const changed = new Map<number, Pos>();
  for (const table of tables) {
    const pos = positions.get(table.id);
    if (pos && !samePos(pos, { x: table.pos_x, y: table.pos_y })) changed.set(table.id, pos);
  }
  return changed;
}
