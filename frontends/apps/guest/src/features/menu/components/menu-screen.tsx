// The menu: category chips, a search over both languages, product cards. A tap opens the product sheet.
import { Banner, EmptyState, Spinner, formatMoney } from "@tavolo/ui";
import { useMemo, useState } from "react";
import { allergensLine } from "../../../lib/allergens";
import { errorMessage } from "../../../lib/errors";
import { pick, useLang, useStrings } from "../../../lib/i18n";
import type { GuestProduct } from "../../../lib/types";
import { useMenu } from "../api/menu-api";
import { filterProducts } from "../model/search";
import { ProductSheet } from "./product-sheet";
import "./menu.css";

export interface MenuScreenProps {
  token: string;
  currency: string;
  nickname: string;
  /** False while the table takes no orders from phones: the menu can still be read. */
  canOrder: boolean;
}

export function MenuScreen({ token, currency, nickname, canOrder }: MenuScreenProps) {
  const lang = useLang();
  const t = useStrings();
  const menu = useMenu(token);
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [query, setQuery] = useState("");
  const [openedProduct, setOpenedProduct] = useState<GuestProduct | null>(null);
  const [added, setAdded] = useState(false);

  const categories = useMemo(() => {
    const used = new Set(menu.data?.products.map((p) => p.category_id));
    return (menu.data?.categories ?? []).filter((c) => used.has(c.id));
  }, [menu.data]);
  const shown = useMemo(
    () => filterProducts(menu.data?.products ?? [], query, categoryId),
    [menu.data, query, categoryId],
  );

  if (menu.isPending) {
    return (
      <div className="g-center">
        <Spinner />
      </div>
    );
  }
  if (menu.isError && !menu.data) {
    return <Banner tone="error">{errorMessage(menu.error, t)}</Banner>;
  }

  // The product as last seen: if a refetch drops it (sold out), the open sheet says so instead of vanishing.
  const current = openedProduct && (menu.data.products.find((p) => p.id === openedProduct.id) ?? null);

  function open(product: GuestProduct) {
    setAdded(false);
    setOpenedProduct(product);
  }

  return (
    <div className="g-menu" data-testid="guest-menu">
      <input
        type="search"
        className="g-menu__search"
        placeholder={t.search}
        aria-label={t.search}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="menu-search"
      />
      {categories.length > 1 && (
        <div className="g-chips" role="tablist" aria-label={t.tabMenu}>
          <button
            type="button"
            role="tab"
            className="g-chip"
            aria-selected={categoryId === null}
            onClick={() => setCategoryId(null)}
          >
            {t.allCategories}
          </button>
          {categories.map((category) => (
            <button
              key={category.id}
              type="button"
              role="tab"
              className="g-chip"
              aria-selected={categoryId === category.id}
              onClick={() => setCategoryId(category.id)}
              data-testid={`category-${category.id}`}
            >
              {pick(lang, category)}
            </button>
          ))}
        </div>
      )}
      {added && (
        <Banner tone="info" compact data-testid="added-notice">
          {t.added}
        </Banner>
      )}
      {shown.length === 0 ? (
        <EmptyState title={menu.data.products.length === 0 ? t.menuEmpty : t.noResults} />
      ) : (
        <ul className="g-products">
          {shown.map((product) => (
            <li key={product.id}>
              <ProductCard product={product} currency={currency} onOpen={() => open(product)} />
            </li>
          ))}
        </ul>
      )}
      {openedProduct && (
        <ProductSheet
          token={token}
          product={current ?? openedProduct}
          available={current !== null}
          canOrder={canOrder}
          currency={currency}
          nickname={nickname}
          onAdded={() => {
            setOpenedProduct(null);
            setAdded(true);
          }}
          onClose={() => {
            setOpenedProduct(null);
          }}
        />
      )}
    </div>
  );
}

function ProductCard({ product, currency, onOpen }: { product: GuestProduct; currency: string; onOpen: () => void }) {
  const lang = useLang();
  const t = useStrings();
  const name = pick(lang, product);
  const allergens = allergensLine(lang, product.allergens);
  return (
    <button type="button" className="g-card" onClick={onOpen} data-testid="product-card" data-product-id={product.id}>
      {product.image_url && <img className="g-card__photo" src={product.image_url} alt="" loading="lazy" />}
      <span className="g-card__body">
        <span className="g-card__name">{name}</span>
        {product.description && <span className="g-card__description">{product.description}</span>}
        {product.ingredients.length > 0 && (
          <span className="g-card__contains">
            {t.contains} {product.ingredients.map((i) => pick(lang, i)).join(", ")}
          </span>
        )}
        {allergens && (
          <span className="g-card__allergens" data-testid="card-allergens">
            {allergens}
          </span>
        )}
        <span className="g-card__price">{formatMoney(product.base_price, currency)}</span>
      </span>
    </button>
  );
}
