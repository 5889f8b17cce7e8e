// One section of the floor, tables at their places. In the layout editor a table follows a mouse or a finger
// (pointer events, captured so a fast drag cannot lose it), snaps to the grid, and moves with the arrow keys
// when focused; it never ends on another table.
import { useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import {
  TILE_H,
  UNIT_PX,
  boundsFor,
  extent,
  nudge,
  overlaps,
  samePos,
  snapDrag,
  type Bounds,
  type FloorSection,
  type Pos,
} from "../model/layout";
import { FloorTable } from "./floor-table";

interface Drag {
  id: number;
  pointerId: number;
  startX: number;
  startY: number;
  origin: Pos;
  current: Pos;
  lastFree: Pos;
  others: Pos[];
  bounds: Bounds;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

interface FloorPlanProps {
  section: FloorSection;
  /** Every table's place on screen (saved, automatic or moved in the editor). */
  positions: Map<number, Pos>;
  editing: boolean;
  now: number;
  currency: string;
  selectedOrderId?: number;
  /** Id of the editor's how-to text. */
  hintId: string;
  onMove: (tableId: number, pos: Pos) => void;
  /** Tell a screen reader where a table went. */
  onAnnounce: (message: string) => void;
}

export function FloorPlan({
  section,
  positions,
  editing,
  now,
  currency,
  selectedOrderId,
  hintId,
  onMove,
  onAnnounce,
}: FloorPlanProps) {
  const canvasRef = useRef<HTMLDivElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const [drag, setDrag] = useState<{ id: number; blocked: boolean } | null>(null);
  const headingId = `floor-section-${section.id ?? "none"}-title`;

  const placeOf = (id: number): Pos => positions.get(id) ?? { x: 0, y: 0 };
  const othersOf = (id: number) => section.tables.filter((t) => t.id !== id).map((t) => placeOf(t.id));
  const bounds = () => boundsFor(canvasRef.current?.clientWidth ?? 0);
  const where = (label: string, pos: Pos) => `${label} at column ${pos.x + 1}, row ${pos.y + 1}`;

  function handlersFor(id: number, label: string) {
    return {
      onPointerDown(event: PointerEvent<HTMLButtonElement>) {
        if (event.pointerType === "mouse" && event.button !== 0) return;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        const origin = placeOf(id);
        dragRef.current = {
          id,
          pointerId: event.pointerId,
          startX: event.clientX,
          startY: event.clientY,
          origin,
          current: origin,
          lastFree: origin,
          others: othersOf(id),
          bounds: bounds(),
        };
        setDrag({ id, blocked: false });
      },
      onPointerMove(event: PointerEvent<HTMLButtonElement>) {
        const current = dragRef.current;
        if (!current || current.pointerId !== event.pointerId) return;
        const dx = event.clientX - current.startX;
        const dy = event.clientY - current.startY;
        const next = snapDrag(current.origin, dx, dy, current.bounds);
        if (samePos(next, current.current)) return;
        current.current = next;
        const blocked = current.others.some((other) => overlaps(next, other));
        if (!blocked) current.lastFree = next;
        onMove(id, next);
        setDrag({ id, blocked });
      },
      onPointerUp(event: PointerEvent<HTMLButtonElement>) {
        const current = dragRef.current;
        if (!current || current.pointerId !== event.pointerId) return;
        dragRef.current = null;
        setDrag(null);
        if (!samePos(current.current, current.lastFree)) onMove(id, current.lastFree);
        if (!samePos(current.lastFree, current.origin)) onAnnounce(`${where(label, current.lastFree)}.`);
      },
      onPointerCancel(event: PointerEvent<HTMLButtonElement>) {
        const current = dragRef.current;
        if (!current || current.pointerId !== event.pointerId) return;
        dragRef.current = null;
        setDrag(null);
        onMove(id, current.origin);
      },
      onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
        const step = ARROWS[event.key];
        if (!step) return;
        event.preventDefault();
        const next = nudge(placeOf(id), step[0], step[1], othersOf(id), bounds());
        if (next) {
          onMove(id, next);
          onAnnounce(`${where(label, next)}.`);
        } else {
          onAnnounce(`${label} cannot move further that way.`);
        }
      },
    };
  }

  const size = extent(
    section.tables.map((t) => placeOf(t.id)),
    editing ? TILE_H + 1 : 0,
  );
  // Reading order in view (Tab goes row by row); a stable order while editing, so a dragged tile is never
  // moved in the DOM (which would drop its pointer capture).
  const ordered = editing
    ? section.tables
    : [...section.tables].sort((a, b) => {
        const pa = placeOf(a.id);
        const pb = placeOf(b.id);
        return pa.y - pb.y || pa.x - pb.x;
      });
  const occupied = section.tables.filter((t) => t.state !== "free").length;

  return (
    <section className="floor-section panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="floor-section__title">
        {section.title}
        <span className="floor-section__count">
          {occupied} of {section.tables.length} occupied
        </span>
      </h2>
      <div className="floor-section__scroll">
        <div
          ref={canvasRef}
          className="floor-canvas"
          data-editing={editing || undefined}
          data-testid={`floor-section-${section.id ?? "none"}`}
          style={{
            width: size.width * UNIT_PX,
            height: size.height * UNIT_PX,
            backgroundSize: `${UNIT_PX}px ${UNIT_PX}px`,
          }}
        >
          {ordered.map((table) => (
            <FloorTable
              key={table.id}
              table={table}
              pos={placeOf(table.id)}
              now={now}
              currency={currency}
              selected={selectedOrderId !== undefined && table.order_id === selectedOrderId}
              edit={
                editing
                  ? {
                      handlers: handlersFor(table.id, table.label),
                      dragging: drag?.id === table.id,
                      blocked: drag?.id === table.id && drag.blocked,
                      hintId,
                    }
                  : undefined
              }
            />
          ))}
        </div>
      </div>
    </section>
  );
}
