// Orders guests sent from their phones (QR code at the table) that wait for a waiter's yes or no. The appliance
// lists only the submissions this waiter may decide (tables they own or assist, and free tables). Decisions go
// straight to the appliance, never through the outbox: a queued "accept" could land after another waiter's.
import { ApiError, unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { GUEST_SUBMISSIONS_KEY, usePollInterval } from "../../../lib/live";

export type GuestSubmission = Schemas["GuestSubmissionStaffRead"];
export type GuestLine = GuestSubmission["lines"][number];

const PENDING_KEY = [...GUEST_SUBMISSIONS_KEY, "pending"] as const;
// guest.submitted / guest.submission_changed refresh the list while the event socket is up.
const PENDING_POLL_MS = 10_000;

export function usePendingSubmissions() {
  return useQuery({
    queryKey: PENDING_KEY,
    queryFn: () => unwrap(api.GET("/api/guest-submissions", { params: { query: { status: "pending" } } })),
    refetchInterval: usePollInterval(PENDING_POLL_MS),
  });
}

/** How many dishes a submission holds (a line of 3 souvlaki is 3). */
export function itemCount(submission: Pick<GuestSubmission, "lines">): number {
  return submission.lines.reduce((sum, line) => sum + line.quantity, 0);
}

const REFUSALS: Record<string, string> = {
  SUBMISSION_DECIDED: "Another waiter already handled it.",
  SUBMISSION_NOT_FOUND: "This guest order is gone: another waiter may have handled it.",
  NOT_TABLE_WAITER: "Another waiter serves this table: they decide its guest orders.",
  SUBMISSION_EXPIRED: "These guests have left (their bill is closed): nothing was ordered. Reject it to clear it.",
};

/** Why a decision did not go through, in words for the waiter. */
export function decisionRefusalText(error: unknown): string {
  if (error instanceof ApiError) return REFUSALS[error.code] ?? error.message;
  return "The appliance cannot be reached: nothing was decided. Try again when it is back.";
}

function useDecision<TVariables, TData>(decide: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: decide,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: GUEST_SUBMISSIONS_KEY });
      // An accepted order opened the table or added to its bill: the floor and the waiter's orders follow.
      void queryClient.invalidateQueries({ queryKey: ["tables"] });
      void queryClient.invalidateQueries({ queryKey: ["my-orders"] });
    },
  });
}

const submission = (id: number) => ({ path: { submission_id: id } });

export function useAcceptSubmission() {
  return useDecision((id: number) =>
    unwrap(api.POST("/api/guest-submissions/{submission_id}/accept", { params: submission(id) })),
  );
}

export function useRejectSubmission() {
  return useDecision(({ id, reason }: { id: number; reason: string }) =>
    unwrap(api.POST("/api/guest-submissions/{submission_id}/reject", { params: submission(id), body: { reason } })),
  );
}
