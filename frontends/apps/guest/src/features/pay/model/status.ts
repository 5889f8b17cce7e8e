import type { GuestPayment } from "../../../lib/types";

/**
 * The freshest word on a payment: the socket's copy (the bill's QRs, pushed the moment one is paid) beats a read
 * that still says pending; a read that says it ended beats the socket, which only lists open and paid QRs.
 */
export function latestPayment(
  fetched: GuestPayment | undefined,
  live: readonly GuestPayment[] | undefined,
  id: number,
): GuestPayment | undefined {
  const seen = live?.find((request) => request.id === id);
  if (!fetched) return seen;
  if (fetched.status !== "pending" || !seen) return fetched;
  return seen;
}
