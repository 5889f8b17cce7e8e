// What a refused or failed request says to the sysadmin: the server's own `detail` when it gave one.
import { ApiError, NetworkError } from "@tavolo/api";

export const UNREACHABLE = "Can't reach the licensing cloud. Check the connection and try again.";

export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return UNREACHABLE;
  if (error instanceof ApiError) {
    if (error.status >= 500) return `The cloud had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return "Something went wrong. Try again.";
}
