// Tables and sections (/api/tables). The manager's list includes deactivated tables (`?all=true`) under a finer
// key than the floor's, so the live floor snapshot and table.changed events refresh it too. Every write reads
// both lists again, whatever the answer: a section's table count changes with its tables.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { keys } from "../../../lib/query-keys";

export type Table = Schemas["TableRead"];
export type TableCreate = Schemas["TableCreate"];
export type TableUpdate = Schemas["TableUpdate"];
export type TableBatch = Schemas["TableBatchCreate"];
export type Section = Schemas["TableGroupRead"];
export type SectionCreate = Schemas["TableGroupCreate"];

export function useAllTables() {
  return useQuery({
    queryKey: [...keys.tables, "all"],
    queryFn: () => unwrap(api.GET("/api/tables/", { params: { query: { all: true } } })),
  });
}

export function useSections() {
  return useQuery({ queryKey: keys.tableGroups, queryFn: () => unwrap(api.GET("/api/tables/groups")) });
}

function useFloorWrite<TVariables, TData>(write: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.tables }),
        queryClient.invalidateQueries({ queryKey: keys.tableGroups }),
      ]),
  });
}

const table = (tableId: number) => ({ path: { table_id: tableId } });
const group = (groupId: number) => ({ path: { group_id: groupId } });

export function useCreateTable() {
  return useFloorWrite((body: TableCreate) => unwrap(api.POST("/api/tables/", { body })));
}

export function useCreateBatch() {
  return useFloorWrite((body: TableBatch) => unwrap(api.POST("/api/tables/batch", { body })));
}

export function useUpdateTable() {
  return useFloorWrite(({ id, changes }: { id: number; changes: TableUpdate }) =>
    unwrap(api.PUT("/api/tables/{table_id}", { params: table(id), body: changes })),
  );
}

export function useDeactivateTable() {
  return useFloorWrite(async (id: number) => {
    await unwrap(api.DELETE("/api/tables/{table_id}", { params: table(id) }));
  });
}

export function useCreateSection() {
  return useFloorWrite((body: SectionCreate) => unwrap(api.POST("/api/tables/groups", { body })));
}

export function useUpdateSection() {
  return useFloorWrite(({ id, changes }: { id: number; changes: Schemas["TableGroupUpdate"] }) =>
    unwrap(api.PUT("/api/tables/groups/{group_id}", { params: group(id), body: changes })),
  );
}

export function useDeleteSection() {
  return useFloorWrite(async (id: number) => {
    await unwrap(api.DELETE("/api/tables/groups/{group_id}", { params: group(id) }));
  });
}

// QR codes for guest ordering: each table's secret link (/t/<token>). Rotating one kills the printed card at once.
export type TableQr = Schemas["TableQrRead"];

export function useTableQrs() {
  return useQuery({ queryKey: keys.tableQr, queryFn: () => unwrap(api.GET("/api/tables/qr")) });
}

export function useTableQr(tableId: number) {
  return useQuery({
    queryKey: [...keys.tableQr, tableId],
    queryFn: () => unwrap(api.GET("/api/tables/{table_id}/qr", { params: table(tableId) })),
  });
}

export function useRotateTableQr() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tableId: number) => unwrap(api.POST("/api/tables/{table_id}/qr/rotate", { params: table(tableId) })),
    onSuccess: (qr) => queryClient.setQueryData([...keys.tableQr, qr.table_id], qr),
    // The printable sheet holds every table's code: it must not keep the dead one.
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.tableQr }),
  });
}
