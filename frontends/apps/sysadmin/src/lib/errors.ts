// What a refused or failed request says to the sysadmin: the server's own `detail` when it gave one.
import { ApiError, NetworkError } from "@tavolo/api";

export const UNREACHABLE = "Can't reach the licensing cloud. Check the connection and try again.";

// A 5xx the cloud declared on purpose (503 BILLING_NOT_CONFIGURED, 502 PAYMENT_GATEWAY_REJECTED…) says what is
// wrong in its detail; a crash (INTERNAL_ERROR) or a proxy's own page (no code: HTTP_502) says nothing useful.
function hasUsefulDetail(error: ApiError): boolean {
  return error.status < 500 || (error.code !== "INTERNAL_ERROR" && !error.code.startsWith("HTTP_"));
}

export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return UNREACHABLE;
  if (error instanceof ApiError) {
    if (!hasUsefulDetail(error)) return `The cloud had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return "Something went wrong. Try again.";
}
