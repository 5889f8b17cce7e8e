import { ApiError, NetworkError } from "@tavolo/api";

/** What a refused or failed request says to the manager: the appliance's own words when it gave some. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return "Can't reach the Tavolo appliance. Check the connection and try again.";
  if (error instanceof ApiError) {
    if (error.status >= 500) return `The appliance had a problem (${error.status}). Try again.`;
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong. Try again.";
}
