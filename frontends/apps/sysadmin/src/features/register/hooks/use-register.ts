import { useMutation, useQueryClient } from "@tanstack/react-query";
import { siteKeys } from "../../../lib/query-keys";
import { registerSite } from "../api/register-api";

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerSite,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: siteKeys.all }),
  });
}
