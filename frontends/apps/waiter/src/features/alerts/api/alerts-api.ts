import { unwrap, type PrintAlert } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";

const ALERTS_POLL_MS = 10_000;

/** Open printer alerts of the tickets this waiter sent (the appliance filters by caller). */
export function useAlerts() {
  return useQuery({
    queryKey: ["alerts"],
    queryFn: () => unwrap(api.GET("/api/printers/alerts")),
    // Alert changes are pushed (printer.alerts_changed) while the event socket is up.
    refetchInterval: usePollInterval(ALERTS_POLL_MS),
  });
}

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  const replace = (alert: PrintAlert) =>
    queryClient.setQueryData<PrintAlert[]>(["alerts"], (alerts) =>
      alerts?.map((item) => (item.id === alert.id ? alert : item)),
    );
  return useMutation({
    mutationFn: (alert: PrintAlert) =>
      unwrap(api.POST("/api/printers/alerts/{alert_id}/ack", { params: { path: { alert_id: alert.id } } })),
    // Shrink it at once: the thumb that pressed OK should not wait for the appliance to see it happen.
    onMutate: async (alert) => {
      await queryClient.cancelQueries({ queryKey: ["alerts"] });
      replace({ ...alert, acknowledged_at: alert.acknowledged_at ?? new Date().toISOString() });
    },
    onSuccess: replace,
    onError: (_error, alert) => replace(alert),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["alerts"] }),
  });
}
