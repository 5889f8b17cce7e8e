// Firing a held course through the outbox: a write like any other, so a tap while the Wi-Fi is down is kept
// and sent once when the appliance is back (a fire that turns out to be done already counts as done there).
import { ApiError, type Order, type Schemas } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { submit } from "../../../lib/outbox";
import { fireLabel } from "../model/courses";

export interface FireTarget {
  orderRef: string;
  orderId: number | null;
  tableId: number | null;
  tableLabel: string;
}

/** "held": refused but kept failed in the outbox, because later writes of the order wait behind it. */
export type FireOutcome = "done" | "queued" | "held" | "refused";

export function useFireCourse({ orderRef, orderId, tableId, tableLabel }: FireTarget) {
  const queryClient = useQueryClient();
  const [firing, setFiring] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A double tap must not queue a second fire: the idempotency key covers retries of one tap, not two taps.
  const inFlight = useRef(false);

  const fire = useCallback(
    async (course: number): Promise<FireOutcome | null> => {
      if (inFlight.current || orderId === null || tableId === null) return null;
      inFlight.current = true;
      setFiring(course);
      setError(null);
      const body: Schemas["CourseFire"] = { course };
      try {
        const result = await submit<Order | null>({
          kind: "fire",
          orderRef,
          tableId,
          path: `/api/orders/${orderId}/fire`,
          body,
          label: fireLabel(course, tableLabel),
        });
        if (result.status === "queued") return result.entry.state === "failed" ? "held" : "queued";
        // The answer is the order with the course lit up: show it now rather than after a refetch. Already
        // fired elsewhere, there is no answer to show: read the order again.
        if (result.data) queryClient.setQueryData(["order", orderId], result.data);
        else void queryClient.invalidateQueries({ queryKey: ["order", orderId] });
        return "done";
      } catch (caught) {
        setError(caught instanceof ApiError ? caught.message : `Course ${course} could not be fired.`);
        if (caught instanceof ApiError) void queryClient.invalidateQueries({ queryKey: ["order", orderId] });
        return "refused";
      } finally {
        inFlight.current = false;
        setFiring(null);
      }
    },
    [queryClient, orderRef, orderId, tableId, tableLabel],
  );

  const clearError = useCallback(() => setError(null), []);
  return { fire, firing, error, clearError };
}
