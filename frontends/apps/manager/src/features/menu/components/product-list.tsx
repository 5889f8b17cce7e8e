import { Button, EmptyState, formatMoney } from "@tavolo/ui";
import { ErrorBanner } from "../../../shared/error-banner";
import {
  menuKeys,
  reorderProducts,
  setAvailability,
  useOptimisticMenuWrite,
  type Category,
  type Product,
} from "../api/menu-api";
import { SortableList } from "./sortable-list";

function summary(product: Product): string {
  const parts = [];
  if (product.options.length) parts.push(`${product.options.length} option${product.options.length === 1 ? "" : "s"}`);
  if (product.ingredients.length) parts.push(`${product.ingredients.length} removable`);
  if (product.preference_sets.length) {
    parts.push(`${product.preference_sets.length} preference${product.preference_sets.length === 1 ? "" : "s"}`);
  }
  return parts.join(" · ");
}

/** The 86 switch: one tap, the state in words, and every waiter's phone follows (menu.changed). */
function AvailabilitySwitch({ product, onToggle }: { product: Product; onToggle: (available: boolean) => void }) {
  const available = product.is_available;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={available}
      aria-label={`${product.name} available to order`}
      className={`menu-switch ${available ? "menu-switch--on" : "menu-switch--off"}`}
      onClick={() => onToggle(!available)}
      data-testid={`availability-${product.id}`}
      data-available={available}
    >
      <span className="menu-switch__track" aria-hidden="true">
        <span className="menu-switch__thumb" />
      </span>
      <span className="menu-switch__text">
        {available ? "Available" : product.unavailable_reason === "stock" ? "86 — out of stock" : "Sold out (86)"}
      </span>
    </button>
  );
}

/** One category's products in menu order: drag to reorder, 86 with a tap, open one to edit it. */
export function ProductList({
  category,
  products,
  currency,
  onEdit,
}: {
  category: Category;
  products: Product[];
  currency: string;
  onEdit: (product: Product) => void;
}) {
  const reorder = useOptimisticMenuWrite(
    menuKeys.products,
    (ids: number[]) => reorderProducts(category.id, ids),
    (current: Product[], ids) => {
      const position = new Map(ids.map((id, index) => [id, index]));
      return current.map((p) => (position.has(p.id) ? { ...p, sort_order: position.get(p.id) ?? p.sort_order } : p));
    },
  );
  const availability = useOptimisticMenuWrite(
    menuKeys.products,
    ({ id, available }: { id: number; available: boolean }) => setAvailability(id, available),
    (current: Product[], { id, available }) =>
      current.map((p) => (p.id === id ? { ...p, is_available: available } : p)),
  );

  if (products.length === 0) {
    return (
      <EmptyState title={`No products in ${category.name} yet`} data-testid="products-empty">
        Add the first one with “New product”.
      </EmptyState>
    );
  }

  return (
    <>
      {reorder.isError && (
        <ErrorBanner title="The new order was not saved" error={reorder.error} testId="product-reorder-error" />
      )}
      {availability.isError && (
        <ErrorBanner title="Availability was not changed" error={availability.error} testId="availability-error" />
      )}
      <SortableList
        items={products}
        getId={(p) => p.id}
        getName={(p) => p.name}
        noun="product"
        onReorder={(ids) => reorder.mutate(ids)}
        className="menu-products"
        aria-label={`Products in ${category.name}`}
        data-testid="product-list"
        renderItem={(product, handle) => (
          <div
            className={`menu-product ${product.is_available ? "" : "menu-product--off"}`}
            data-testid={`product-row-${product.id}`}
          >
            {handle}
            <div className="menu-product__thumb">
              {product.image_url ? <img src={product.image_url} alt="" loading="lazy" /> : null}
            </div>
            <div className="menu-product__main">
              <span className="menu-product__name">{product.name}</span>
              <span className="muted menu-product__meta">{summary(product) || product.description || " "}</span>
            </div>
            <span className="num menu-product__price" data-amount={product.base_price}>
              {formatMoney(product.base_price, currency)}
            </span>
            <AvailabilitySwitch
              product={product}
              onToggle={(available) => availability.mutate({ id: product.id, available })}
            />
            <Button
              onClick={() => onEdit(product)}
              aria-label={`Edit ${product.name}`}
              data-testid={`product-edit-${product.id}`}
            >
              Edit
            </Button>
          </div>
        )}
      />
    </>
  );
}
