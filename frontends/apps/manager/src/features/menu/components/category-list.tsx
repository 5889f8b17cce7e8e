import { Button } from "@tavolo/ui";
import type { CSSProperties } from "react";
import { ErrorBanner } from "../../../shared/error-banner";
import { menuKeys, reorderCategories, useOptimisticMenuWrite, type Category } from "../api/menu-api";
import { SortableList } from "./sortable-list";

/** The categories in menu order: pick one to see its products, drag one to move it on every phone. */
export function CategoryList({
  categories,
  counts,
  selectedId,
  onSelect,
  onEdit,
}: {
  categories: Category[];
  counts: ReadonlyMap<number, number>;
  selectedId: number | null;
  onSelect: (id: number) => void;
  onEdit: (category: Category) => void;
}) {
  const reorder = useOptimisticMenuWrite(
    menuKeys.categories,
    (ids: number[]) => reorderCategories(ids),
    (current: Category[], ids) => {
      const position = new Map(ids.map((id, index) => [id, index]));
      return current
        .map((c) => ({ ...c, sort_order: position.get(c.id) ?? ids.length + c.sort_order }))
        .sort((a, b) => a.sort_order - b.sort_order);
    },
  );
  return (
    <>
      {reorder.isError && (
        <ErrorBanner title="The new order was not saved" error={reorder.error} testId="category-reorder-error" />
      )}
      <SortableList
        items={categories}
        getId={(c) => c.id}
        getName={(c) => c.name}
        noun="category"
        onReorder={(ids) => reorder.mutate(ids)}
        className="menu-categories"
        aria-label="Categories"
        data-testid="category-list"
        renderItem={(category, handle) => {
          const selected = category.id === selectedId;
          const count = counts.get(category.id) ?? 0;
          return (
            <div
              className={`menu-category ${selected ? "menu-category--selected" : ""}`}
              style={{ "--category-color": category.color } as CSSProperties}
              data-testid={`category-row-${category.id}`}
            >
              {handle}
              <button
                type="button"
                className="menu-category__pick"
                aria-pressed={selected}
                onClick={() => onSelect(category.id)}
                data-testid={`category-pick-${category.id}`}
              >
                <span className="menu-category__swatch" aria-hidden="true" />
                <span className="menu-category__name">{category.name}</span>
                <span className="muted menu-category__count">
                  {count} {count === 1 ? "product" : "products"}
                </span>
                {!category.is_active && <span className="badge badge--warn">Hidden</span>}
              </button>
              <Button
                variant="ghost"
                onClick={() => onEdit(category)}
                aria-label={`Edit category ${category.name}`}
                data-testid={`category-edit-${category.id}`}
              >
                Edit
              </Button>
            </div>
          );
        }}
      />
    </>
  );
}
