// A list reordered by dragging a handle: with a finger or a mouse, or from the keyboard (focus the handle,
// Space to pick up, arrow keys to move, Space to drop, Escape to cancel); each step is announced by name.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { CSSProperties, ReactNode } from "react";

interface SortableListProps<T> {
  items: T[];
  getId: (item: T) => number;
  getName: (item: T) => string;
  /** The ids in their new order, after a drop that moved something. */
  onReorder: (ids: number[]) => void;
  /** Which thing the list holds, for the announcements ("category", "product"). */
  noun: string;
  disabled?: boolean;
  className?: string;
  "aria-label": string;
  renderItem: (item: T, handle: ReactNode, dragging: boolean) => ReactNode;
  "data-testid"?: string;
}

const INSTRUCTIONS =
  "To move an item, press Space or Enter on its handle, use the Up and Down arrow keys to move it, then press " +
  "Space or Enter again to drop it, or Escape to put it back.";

export function SortableList<T>({
  items,
  getId,
  getName,
  onReorder,
  noun,
  disabled = false,
  className,
  renderItem,
  ...rest
}: SortableListProps<T>) {
  const sensors = useSensors(
    // A few pixels of movement before a drag starts, so a tap on the handle is not a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map(getId);
  const nameOf = (id: UniqueIdentifier) => {
    const item = items.find((candidate) => getId(candidate) === id);
    return item ? getName(item) : String(id);
  };
  const positionOf = (id: UniqueIdentifier) => ids.indexOf(Number(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${noun} ${nameOf(active.id)}, position ${positionOf(active.id)} of ${ids.length}.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.id)} is over position ${positionOf(over.id)} of ${ids.length}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${nameOf(active.id)} at position ${positionOf(over.id)} of ${ids.length}.`
        : `Dropped ${nameOf(active.id)}.`,
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled; it is back where it was.`,
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(Number(active.id));
    const to = ids.indexOf(Number(over.id));
    if (from < 0 || to < 0) return;
    onReorder(arrayMove(ids, from, to));
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: INSTRUCTIONS } }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy} disabled={disabled}>
        <ul className={className} aria-label={rest["aria-label"]} data-testid={rest["data-testid"]}>
          {items.map((item) => (
            <SortableRow key={getId(item)} id={getId(item)} name={getName(item)} noun={noun} disabled={disabled}>
              {(handle, dragging) => renderItem(item, handle, dragging)}
            </SortableRow>
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({
  id,
  name,
  noun,
  disabled,
  children,
}: {
  id: number;
  name: string;
  noun: string;
  disabled: boolean;
  children: (handle: ReactNode, dragging: boolean) => ReactNode;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    disabled,
  });
  const style: CSSProperties = {
    transform: CSS.Translate.toString(transform),
    transition,
    position: "relative",
    zIndex: isDragging ? 2 : undefined,
  };
  const handle = (
    <button
      type="button"
      ref={setActivatorNodeRef}
      className="menu-handle"
      {...attributes}
      {...listeners}
      aria-label={`Move ${noun} ${name}`}
      aria-roledescription="sortable"
      disabled={disabled}
      data-testid={`move-${noun}-${id}`}
    >
      <span aria-hidden="true">⠿</span>
    </button>
  );
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={isDragging ? "menu-sortable menu-sortable--dragging" : "menu-sortable"}
    >
      {children(handle, isDragging)}
    </li>
  );
}
