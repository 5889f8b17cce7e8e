// The menu editor: categories on the left (in menu order), the chosen category's products on the right. Every
// change reaches the waiters' phones through the menu.changed event; this screen follows other tablets' edits
// the same way.
import { Button, EmptyState, Spinner } from "@tavolo/ui";
import { useMemo, useState } from "react";
import { useCurrency } from "../../../lib/site";
import { ErrorBanner } from "../../../shared/error-banner";
import { useMenuCategories, useMenuProducts, usePrinters, type Category, type Product } from "../api/menu-api";
import { CategoryDialog } from "./category-dialog";
import { CategoryList } from "./category-list";
import { ProductDialog } from "./product-dialog";
import { ProductList } from "./product-list";
import "./menu.css";

type Dialog =
  | { kind: "category"; category: Category | null }
  | { kind: "product"; product: Product | null }
  | null;

const byMenuOrder = (a: Product, b: Product) =>
  a.sort_order - b.sort_order || a.name.localeCompare(b.name) || a.id - b.id;

export function MenuScreen() {
  const currency = useCurrency();
  const categoriesQuery = useMenuCategories();
  const productsQuery = useMenuProducts();
  const printers = usePrinters().data ?? [];
  const [picked, setPicked] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const categories = useMemo(() => categoriesQuery.data ?? [], [categoriesQuery.data]);
  const products = useMemo(() => productsQuery.data ?? [], [productsQuery.data]);
  const counts = useMemo(() => {
    const map = new Map<number, number>();
    for (const product of products) map.set(product.category_id, (map.get(product.category_id) ?? 0) + 1);
    return map;
  }, [products]);
  // The picked category, or the first one while none is (or the picked one was deleted).
  const selected = categories.find((c) => c.id === picked) ?? categories[0] ?? null;
  const shown = useMemo(
    () => (selected ? products.filter((p) => p.category_id === selected.id).sort(byMenuOrder) : []),
    [products, selected],
  );

  const nextProductOrder = (categoryId: number) =>
    Math.max(-1, ...products.filter((p) => p.category_id === categoryId).map((p) => p.sort_order)) + 1;
  const nextCategoryOrder = Math.max(-1, ...categories.map((c) => c.sort_order)) + 1;

  const loading = categoriesQuery.isPending || productsQuery.isPending;
  const error = categoriesQuery.error ?? productsQuery.error;

  return (
    <section className="page menu-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Menu</h1>
        <div className="toolbar">
          <Button onClick={() => setDialog({ kind: "category", category: null })} data-testid="category-new">
            New category
          </Button>
          <Button
            variant="primary"
            disabled={categories.length === 0}
            onClick={() => setDialog({ kind: "product", product: null })}
            data-testid="product-new"
          >
            New product
          </Button>
        </div>
      </div>
      {error && !loading && (
        <ErrorBanner title="The menu could not be loaded" error={error} testId="menu-load-error" />
      )}
      {loading ? (
        <Spinner />
      ) : categories.length === 0 ? (
        <EmptyState
          title="The menu is empty"
          action={
            <Button variant="primary" onClick={() => setDialog({ kind: "category", category: null })}>
              Add the first category
            </Button>
          }
          data-testid="menu-empty"
        >
          Start with a category (“Starters”, “Drinks”), then add its products.
        </EmptyState>
      ) : (
        <div className="menu-layout">
          <section className="panel menu-layout__categories" aria-labelledby="menu-categories-title">
            <h2 id="menu-categories-title" className="menu-panel-title">
              Categories
            </h2>
            <p className="field__hint">
              Drag ⠿ (or focus it and press Space, then the arrow keys) to change the order.
            </p>
            <CategoryList
              categories={categories}
              counts={counts}
              selectedId={selected?.id ?? null}
              onSelect={setPicked}
              onEdit={(category) => setDialog({ kind: "category", category })}
            />
          </section>
          {selected && (
            <section className="panel menu-layout__products" aria-labelledby="menu-products-title">
              <div className="page-head">
                <h2 id="menu-products-title" className="menu-panel-title">
                  {selected.name}
                  {!selected.is_active && <span className="badge badge--warn"> Hidden from waiters</span>}
                </h2>
              </div>
              <ProductList
                category={selected}
                products={shown}
                currency={currency}
                onEdit={(product) => setDialog({ kind: "product", product })}
              />
            </section>
          )}
        </div>
      )}
      {dialog?.kind === "category" && (
        <CategoryDialog
          category={dialog.category}
          printers={printers}
          nextSortOrder={nextCategoryOrder}
          onClose={() => setDialog(null)}
          onSaved={(category) => {
            setPicked(category.id);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === "product" && (
        <ProductDialog
          product={dialog.product}
          categories={categories}
          printers={printers}
          defaultCategoryId={selected?.id ?? null}
          nextSortOrder={nextProductOrder}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
