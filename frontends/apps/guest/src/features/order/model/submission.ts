import type { GuestSubmission } from "../../../lib/types";

/** The table's newest submission: the live list's copy wins over the send's answer (it is the later word). */
export function latestSubmission(
  live: readonly GuestSubmission[] | undefined,
  sent: GuestSubmission | null,
): GuestSubmission | null {
  let latest: GuestSubmission | null = sent;
  for (const submission of live ?? []) {
    if (latest === null || submission.id >= latest.id) latest = submission;
  }
  return latest;
}
