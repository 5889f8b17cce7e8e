// The menu as the manager edits it: every category (inactive too) and every product on the menu (86'd too).
// menu.changed events (lib/live.ts) invalidate keys.categories and keys.products, so another tablet's edit
// or a reorder shows here at once; the queries poll only while the event socket is down.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

export type Category = Schemas["CategoryRead"];
export type CategoryCreate = Schemas["CategoryCreate"];
export type CategoryUpdate = Schemas["CategoryUpdate"];
export type Product = Schemas["ProductRead"];
export type ProductCreate = Schemas["ProductCreate"];
export type ProductUpdate = Schemas["ProductUpdate"];
export type Printer = Schemas["PrinterRead"];

export const menuKeys = {
  categories: [...keys.categories, { all: true }] as const,
  products: [...keys.products, { all: true }] as const,
};

export function useMenuCategories() {
  return useQuery({
    queryKey: menuKeys.categories,
    queryFn: () => unwrap(api.GET("/api/products/categories", { params: { query: { all: true } } })),
    refetchInterval: usePollInterval(30_000),
  });
}

export function useMenuProducts() {
  return useQuery({
    queryKey: menuKeys.products,
    queryFn: () => unwrap(api.GET("/api/products/", { params: { query: { all: true } } })),
    refetchInterval: usePollInterval(30_000),
  });
}

/** The printers, for the printer zone pickers (a zone is a printer). */
export function usePrinters() {
  return useQuery({
    queryKey: keys.printers,
    queryFn: () => unwrap(api.GET("/api/printers/")),
    staleTime: 60_000,
  });
}

// -- writes ---------------------------------------------------------------------------------------------------

export function createCategory(body: CategoryCreate): Promise<Category> {
  return unwrap(api.POST("/api/products/categories", { body }));
}

export function updateCategory(id: number, body: CategoryUpdate): Promise<Category> {
  return unwrap(api.PUT("/api/products/categories/{category_id}", { params: { path: { category_id: id } }, body }));
}

export async function deleteCategory(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/products/categories/{category_id}", { params: { path: { category_id: id } } }));
}

export function reorderCategories(ids: number[]): Promise<Category[]> {
  return unwrap(api.PUT("/api/products/categories/order", { body: { ids } }));
}

export function reorderProducts(categoryId: number, ids: number[]): Promise<Product[]> {
  return unwrap(api.PUT("/api/products/order", { body: { category_id: categoryId, ids } }));
}

export function createProduct(body: ProductCreate): Promise<Product> {
  return unwrap(api.POST("/api/products/", { body }));
}

export function updateProduct(id: number, body: ProductUpdate): Promise<Product> {
  return unwrap(api.PUT("/api/products/{product_id}", { params: { path: { product_id: id } }, body }));
}

export async function archiveProduct(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/products/{product_id}", { params: { path: { product_id: id } } }));
}

export function setAvailability(id: number, isAvailable: boolean): Promise<Product> {
  return unwrap(
    api.PATCH("/api/products/{product_id}/availability", {
      params: { path: { product_id: id } },
      body: { is_available: isAvailable },
    }),
  );
}

export function uploadImage(id: number, file: File): Promise<Product> {
  const form = new FormData();
  form.append("file", file);
  return unwrap(
    api.POST("/api/products/{product_id}/image", {
      params: { path: { product_id: id } },
      // The typed body says `file: string` (OpenAPI's binary); what goes out is the multipart form.
      body: { file: "" },
      bodySerializer: () => form,
    }),
  );
}

export async function deleteImage(id: number): Promise<void> {
  await unwrap(api.DELETE("/api/products/{product_id}/image", { params: { path: { product_id: id } } }));
}

/**
 * A write whose answer changes the menu: once it settles (either way: a refusal may mean the menu changed
 * under us) the manager's menu is read again. Waiters' phones follow through the menu.changed event.
 */
export function useMenuWrite<TVariables, TData>(action: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.categories }),
        queryClient.invalidateQueries({ queryKey: keys.products }),
      ]),
  });
}

/**
 * A write shown before the appliance answers (a reorder, an 86): the cache takes `optimistic` at once, goes
 * back on a refusal, and is read again either way.
 */
export function useOptimisticMenuWrite<TVariables, TData, TCache>(
  queryKey: QueryKey,
  action: (variables: TVariables) => Promise<TData>,
  optimistic: (current: TCache, variables: TVariables) => TCache,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: action,
    onMutate: async (variables: TVariables) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<TCache>(queryKey);
      if (previous !== undefined) queryClient.setQueryData<TCache>(queryKey, optimistic(previous, variables));
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous !== undefined) queryClient.setQueryData(queryKey, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}
