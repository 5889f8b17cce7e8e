// The inventory (/api/inventory and /api/products/{id}/recipe). Every write reads the inventory again whatever the
// answer (a refusal may mean another tablet changed it), and the menu too: stock that comes in or goes out can
// bring a product back or take it off (the automatic 86).
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

export type Supplier = Schemas["SupplierRead"];
export type SupplierCreate = Schemas["SupplierCreate"];
export type SupplierUpdate = Schemas["SupplierUpdate"];
export type StockItem = Schemas["StockItemRead"];
export type StockItemCreate = Schemas["StockItemCreate"];
export type StockItemUpdate = Schemas["StockItemUpdate"];
export type Movement = Schemas["MovementRead"];
export type Delivery = Schemas["DeliveryRead"];
export type DeliveryCreate = Schemas["DeliveryCreate"];
export type CountCreate = Schemas["CountCreate"];
export type CountLine = Schemas["CountLineRead"];
export type WasteCreate = Schemas["WasteCreate"];
export type AdjustmentCreate = Schemas["AdjustmentCreate"];
export type ForecastRow = Schemas["ForecastRowRead"];
export type Recipe = Schemas["RecipeRead"];
export type RecipeIn = Schemas["RecipeIn"];

export const inventoryKeys = {
  items: [...keys.stock, "items"] as const,
  movements: (itemId: number) => [...keys.stock, "movements", itemId] as const,
  forecast: [...keys.stock, "forecast"] as const,
  suppliers: [...keys.inventory, "suppliers"] as const,
  deliveries: [...keys.inventory, "deliveries"] as const,
  recipe: (productId: number) => [...keys.inventory, "recipe", productId] as const,
};

// Sales move stock without an event of their own (only the crossing of a critical level has one): while the
// socket is up, order events refresh these (lib/live.ts); without it they poll.
const POLL_MS = 30_000;

/** Every stock item, deactivated ones too (the screen hides them unless asked). */
export function useStockItems() {
  return useQuery({
    queryKey: inventoryKeys.items,
    queryFn: () => unwrap(api.GET("/api/inventory/items", { params: { query: { all: true } } })),
    refetchInterval: usePollInterval(POLL_MS),
  });
}

export function useSuppliers() {
  return useQuery({
    queryKey: inventoryKeys.suppliers,
    queryFn: () => unwrap(api.GET("/api/inventory/suppliers", { params: { query: { all: true } } })),
    staleTime: 60_000,
  });
}

export function useMovements(itemId: number) {
  return useQuery({
    queryKey: inventoryKeys.movements(itemId),
    queryFn: () =>
      unwrap(
        api.GET("/api/inventory/items/{item_id}/movements", {
          params: { path: { item_id: itemId }, query: { limit: 200 } },
        }),
      ),
  });
}

/** Tomorrow's forecast (the site's tomorrow). */
export function useForecast() {
  return useQuery({
    queryKey: inventoryKeys.forecast,
    queryFn: () => unwrap(api.GET("/api/inventory/forecast")),
    refetchInterval: usePollInterval(POLL_MS),
  });
}

export function useDeliveries() {
  return useQuery({
    queryKey: inventoryKeys.deliveries,
    queryFn: () => unwrap(api.GET("/api/inventory/deliveries", { params: { query: { limit: 100 } } })),
  });
}

export function useRecipe(productId: number | null) {
  return useQuery({
    queryKey: inventoryKeys.recipe(productId ?? 0),
    queryFn: () =>
      unwrap(api.GET("/api/products/{product_id}/recipe", { params: { path: { product_id: productId ?? 0 } } })),
    enabled: productId !== null,
  });
}

// -- writes ---------------------------------------------------------------------------------------------------

export function useInventoryWrite<TVariables, TData>(write: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.inventory }),
        queryClient.invalidateQueries({ queryKey: keys.products }),
      ]),
  });
}

export const createSupplier = (body: SupplierCreate) => unwrap(api.POST("/api/inventory/suppliers", { body }));

export const updateSupplier = ({ id, body }: { id: number; body: SupplierUpdate }) =>
  unwrap(api.PATCH("/api/inventory/suppliers/{supplier_id}", { params: { path: { supplier_id: id } }, body }));

export const createItem = (body: StockItemCreate) => unwrap(api.POST("/api/inventory/items", { body }));

export const updateItem = ({ id, body }: { id: number; body: StockItemUpdate }) =>
  unwrap(api.PATCH("/api/inventory/items/{item_id}", { params: { path: { item_id: id } }, body }));

export const receiveDelivery = (body: DeliveryCreate) => unwrap(api.POST("/api/inventory/deliveries", { body }));

export const recordCount = (body: CountCreate) => unwrap(api.POST("/api/inventory/counts", { body }));

export const recordWaste = (body: WasteCreate) => unwrap(api.POST("/api/inventory/waste", { body }));

export const recordAdjustment = (body: AdjustmentCreate) => unwrap(api.POST("/api/inventory/adjustments", { body }));

export const saveRecipe = ({ productId, body }: { productId: number; body: RecipeIn }) =>
  unwrap(api.PUT("/api/products/{product_id}/recipe", { params: { path: { product_id: productId } }, body }));
