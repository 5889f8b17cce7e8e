// The courses the kitchen is holding for this table, each with its Fire button: the normal rhythm of a meal
// (starters cleared, fire the mains), so no confirmation, but one tap fires once.
import { Banner, Button } from "@tavolo/ui";
import type { HeldCourse } from "../model/courses";

interface HeldCoursesProps {
  courses: readonly HeldCourse[];
  /** Courses up to this one have a fire waiting in the outbox (0: none). */
  queuedUpTo: number;
  /** The course being fired right now, if any. */
  firing: number | null;
  error: string | null;
  onFire: (course: number) => void;
}

export function HeldCourses({ courses, queuedUpTo, firing, error, onFire }: HeldCoursesProps) {
  if (courses.length === 0) return null;
  return (
    <section className="ord-section" aria-labelledby="ord-held-title" data-testid="held-courses">
      <h2 className="ord-section__title" id="ord-held-title">
        Held for later
      </h2>
      {error && (
        <Banner tone="error" title="Not fired" data-testid="fire-error">
          {error}
        </Banner>
      )}
      <ul className="ord-list">
        {courses.map(({ course, items }, index) => {
          const queued = course <= queuedUpTo;
          // The appliance fires every held course up to the one asked for.
          const earlier = courses.slice(0, index).map((held) => held.course);
          return (
            <li key={course} className="ord-held" data-testid={`held-course-${course}`}>
              <div className="ord-held__text">
                <span className="ord-held__title">Course {course}</span>
                <span className="ord-line__details">
                  {items.map((item) => `${item.quantity}× ${item.product_name}`).join(", ")}
                </span>
                {earlier.length > 0 && (
                  <span className="ord-line__details">
                    Also fires course {earlier.join(", ")}
                  </span>
                )}
                {queued && (
                  <span className="ord-held__queued" role="status">
                    Fire waiting to send
                  </span>
                )}
              </div>
              <Button
                variant={index === 0 ? "primary" : "secondary"}
                size="large"
                className="ord-held__fire"
                busy={firing === course}
                disabled={firing !== null || queued}
                onClick={() => onFire(course)}
                data-testid={`fire-course-${course}`}
              >
                Fire course {course}
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
