// The menu: category tabs, a search that ignores accents, and a grid of big product buttons.
import type { Category, Product } from "@tavolo/api";
import { formatMoney } from "@tavolo/ui";
import { memo, useDeferredValue, useMemo, useState, type CSSProperties } from "react";
import { useLongPress } from "../hooks/use-long-press";
import { isPlainProduct } from "../model/pricing";
import { fold } from "../model/search";

interface MenuPanelProps {
  categories: Category[];
  products: Product[];
  currency: string;
  onTap: (product: Product) => void;
  onHold: (product: Product) => void;
}

interface Indexed {
  product: Product;
  folded: string;
}

export function MenuPanel({ categories, products, currency, onTap, onHold }: MenuPanelProps) {
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<number | null>(null);
  const deferredQuery = useDeferredValue(query);

  const indexed = useMemo<Indexed[]>(
    () => products.map((product) => ({ product, folded: fold(`${product.name} ${product.name_en ?? ""}`) })),
    [products],
  );
  const shownCategories = useMemo(() => {
    const used = new Set(products.map((product) => product.category_id));
    return categories.filter((category) => used.has(category.id));
  }, [categories, products]);

  const active = shownCategories.some((c) => c.id === picked) ? picked : (shownCategories[0]?.id ?? null);
  const folded = fold(deferredQuery);
  const visible = useMemo(() => {
    if (folded) {
      const words = folded.split(/\s+/);
      return indexed.filter((entry) => words.every((word) => entry.folded.includes(word))).map((e) => e.product);
    }
    return products.filter((product) => product.category_id === active);
  }, [folded, indexed, products, active]);

  return (
    <section className="ord-menu" aria-label="Menu">
      <div className="ord-menu__bar">
        <input
          type="search"
          className="ord-menu__search"
          placeholder="Search the menu"
          aria-label="Search the menu"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          enterKeyHint="search"
          autoComplete="off"
          data-testid="menu-search"
        />
        {!folded && (
          <div className="ord-tabs" role="tablist" aria-label="Categories">
            {shownCategories.map((category) => (
              <button
                key={category.id}
                type="button"
                role="tab"
                aria-selected={category.id === active}
                className="ord-tab"
                style={{ "--tab-color": category.color } as CSSProperties}
                onClick={() => setPicked(category.id)}
                data-testid={`category-${category.id}`}
              >
                {category.name}
              </button>
            ))}
          </div>
        )}
      </div>
      {visible.length === 0 ? (
        <p className="ord-muted ord-empty">
          {folded ? `Nothing on the menu matches “${query.trim()}”.` : "No products here."}
        </p>
      ) : (
        <div className="ord-grid">
          {visible.map((product) => (
            <ProductButton key={product.id} product={product} currency={currency} onTap={onTap} onHold={onHold} />
          ))}
        </div>
      )}
    </section>
  );
}

interface ProductButtonProps {
  product: Product;
  currency: string;
  onTap: (product: Product) => void;
  onHold: (product: Product) => void;
}

const ProductButton = memo(function ProductButton({ product, currency, onTap, onHold }: ProductButtonProps) {
  const plain = isPlainProduct(product);
  const press = useLongPress(
    () => onTap(product),
    () => onHold(product),
  );
  return (
    <button
      type="button"
      className="ord-product"
      {...press}
      aria-label={`${product.name}, ${formatMoney(product.base_price, currency)}${plain ? ", tap to add" : ""}`}
      data-testid={`product-${product.id}`}
    >
      <span className="ord-product__name">{product.name}</span>
      {product.name_en && product.name_en !== product.name && (
        <span className="ord-product__en">{product.name_en}</span>
      )}
      <span className="ord-product__foot">
        <span className="ord-product__price">{formatMoney(product.base_price, currency)}</span>
        <span className="ord-product__hint" aria-hidden="true">
          {plain ? "+" : "⋯"}
        </span>
      </span>
    </button>
  );
});
