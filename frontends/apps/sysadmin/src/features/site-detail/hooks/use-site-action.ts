import { useMutation, useQueryClient } from "@tanstack/react-query";
import { alertKeys, auditKeys, siteKeys } from "../../../lib/query-keys";

/**
 * A sysadmin action on a site: once the cloud answers (either way: a refusal may mean the site changed under
 * us), the site, the overview and the audit log are read again. A deregistering action leaves the site's page
 * before it resolves; its cached answer is then dropped rather than read again (it would be a 404).
 */
export function useSiteAction<TVariables, TData>(
  siteId: string,
  action: (variables: TVariables) => Promise<TData>,
  { removesSite = false }: { removesSite?: boolean } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSettled: async (_data, error) => {
      const detail = siteKeys.detail(siteId);
      if (removesSite && !error) {
        await queryClient.cancelQueries({ queryKey: detail });
        queryClient.removeQueries({ queryKey: detail });
      }
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: siteKeys.all }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
        queryClient.invalidateQueries({ queryKey: alertKeys.all }),
      ]);
    },
  });
}
