// Reads of the order screen. Writes never happen here: they go through the outbox (lib/outbox.ts).
import { unwrap, type Product } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";

export function useOrder(orderId: number | null) {
  return useQuery({
    queryKey: ["order", orderId],
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: orderId ?? 0 } } })),
    enabled: orderId !== null,
    refetchInterval: usePollInterval(5_000),
  });
}

export function useCategories() {
  return useQuery({
    queryKey: ["categories"],
    queryFn: () => unwrap(api.GET("/api/products/categories")),
    staleTime: 60_000,
  });
}

export function useProducts() {
  return useQuery({
    queryKey: ["products"],
    queryFn: () => unwrap(api.GET("/api/products/")),
    staleTime: 60_000,
  });
}

/** Products by id, rebuilt only when the menu data changes. */
export function useProductIndex(products: Product[] | undefined): ReadonlyMap<number, Product> {
  return useMemo(() => new Map((products ?? []).map((product) => [product.id, product])), [products]);
}

// The table's label while the order exists only in the outbox (opened offline): from the tables list the
// tables screen keeps fresh.
export function useTables(enabled: boolean) {
  return useQuery({
    queryKey: ["tables"],
    queryFn: () => unwrap(api.GET("/api/tables/")),
    enabled,
  });
}
