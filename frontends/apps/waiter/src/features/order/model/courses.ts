// Courses the kitchen is told about later: items of a course after the order's fired_course wait (held) until
// the waiter fires that course. The words and groupings here are shared by the bill, the fire buttons and the
// draft review.
import type { OrderItem, OrderItemCreate, Schemas } from "@tavolo/api";
import type { OutboxEntry } from "../../../lib/outbox";

export interface HeldCourse {
  course: number;
  items: OrderItem[];
}

/** The order's held items by course, earliest course first. */
export function heldCourses(items: readonly OrderItem[]): HeldCourse[] {
  const byCourse = new Map<number, OrderItem[]>();
  for (const item of items) {
    if (!item.held) continue;
    const list = byCourse.get(item.course);
    if (list) list.push(item);
    else byCourse.set(item.course, [item]);
  }
  return [...byCourse.entries()].sort(([a], [b]) => a - b).map(([course, list]) => ({ course, items: list }));
}

/**
 * The courses of a round that the kitchen will hold: those after the order's fired course. An order not on the
 * appliance yet starts with course 1 fired, as the appliance opens every order.
 */
export function coursesToHold(items: readonly OrderItemCreate[], firedCourse: number | undefined): number[] {
  const fired = firedCourse ?? 1;
  return [...new Set(items.map((item) => item.course).filter((course) => course > fired))].sort((a, b) => a - b);
}

/** The highest course a fire still in the outbox will release (a refused one releases nothing), or 0. */
export function queuedFireCourse(entries: readonly OutboxEntry[]): number {
  let course = 0;
  for (const entry of entries) {
    if (entry.kind !== "fire" || entry.state === "failed") continue;
    course = Math.max(course, (entry.body as Schemas["CourseFire"]).course);
  }
  return course;
}

export function fireLabel(course: number, tableLabel: string): string {
  return `Fire course ${course} · ${tableLabel}`;
}

/** "Course 2 will wait until you fire it", "Courses 2 and 3 will wait until you fire them". */
export function holdNotice(courses: readonly number[]): string | null {
  if (courses.length === 0) return null;
  if (courses.length === 1) return `Course ${courses[0]} will wait until you fire it.`;
  const list = `${courses.slice(0, -1).join(", ")} and ${courses[courses.length - 1]}`;
  return `Courses ${list} will wait until you fire them.`;
}
