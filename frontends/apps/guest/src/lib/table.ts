// The table behind the QR code: its label, the restaurant's name and whether it takes orders from phones.
import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";

export function tableQueryKey(token: string) {
  return ["guest", token, "table"] as const;
}

export function useGuestTable(token: string) {
  return useQuery({
    queryKey: tableQueryKey(token),
    queryFn: () => unwrap(api.GET("/api/guest/{token}", { params: { path: { token } } })),
    // Ordering can be switched off (or the license refuse) during the meal.
    refetchInterval: 60_000,
  });
}
