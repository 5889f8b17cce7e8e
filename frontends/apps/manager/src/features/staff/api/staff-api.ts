// Waiters and managers (/api/waiters). Every write reads the list again, whatever the answer: a refusal may
// mean someone else changed the staff meanwhile, and an assistant link shows on two people's rows.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { keys } from "../../../lib/query-keys";

export type Staff = Schemas["StaffRead"];
export type StaffCreate = Schemas["StaffCreate"];
export type StaffUpdate = Schemas["StaffUpdate"];
export type Role = Staff["role"];

const user = (userId: number) => ({ path: { user_id: userId } });

/** Everyone, deactivated people included (the screen hides them unless asked). */
export function useStaff() {
  return useQuery({
    queryKey: keys.staff,
    queryFn: () => unwrap(api.GET("/api/waiters/", { params: { query: { include_inactive: true } } })),
  });
}

function useStaffWrite<TVariables, TData>(write: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.staff }),
  });
}

export function useCreateStaff() {
  return useStaffWrite((body: StaffCreate) => unwrap(api.POST("/api/waiters/", { body })));
}

export function useUpdateStaff(userId: number) {
  return useStaffWrite((body: StaffUpdate) =>
    unwrap(api.PUT("/api/waiters/{user_id}", { params: user(userId), body })),
  );
}

export function useResetPin(userId: number) {
  return useStaffWrite((pin: string) =>
    unwrap(api.POST("/api/waiters/{user_id}/pin", { params: user(userId), body: { pin } })),
  );
}

export function useUnlockStaff() {
  return useStaffWrite((userId: number) => unwrap(api.POST("/api/waiters/{user_id}/unlock", { params: user(userId) })));
}

export function useDeactivateStaff() {
  return useStaffWrite(async (userId: number) => {
    await unwrap(api.DELETE("/api/waiters/{user_id}", { params: user(userId) }));
  });
}

export function useReactivateStaff() {
  return useStaffWrite((userId: number) =>
    unwrap(api.PUT("/api/waiters/{user_id}", { params: user(userId), body: { is_active: true } })),
  );
}

export function useSetAssistants(userId: number) {
  return useStaffWrite((assistantIds: number[]) =>
    unwrap(
      api.PUT("/api/waiters/{user_id}/assistants", { params: user(userId), body: { assistant_ids: assistantIds } }),
    ),
  );
}
