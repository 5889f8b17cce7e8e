import { useQuery } from "@tanstack/react-query";
import { meKey } from "../../../lib/query-keys";
import { fetchMe } from "../api/auth-api";

/** The signed-in sysadmin, for the header; a refused token ends the session through the client. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}
