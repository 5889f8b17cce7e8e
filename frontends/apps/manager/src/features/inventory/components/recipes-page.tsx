// Recipes: what one unit of a dish (and each of its options) takes from stock. Sales deduct it, the dish is 86'd
// by itself when the stock cannot make one, and the form shows what a unit costs against its price as it is typed.
import { Banner, Button, EmptyState, formatMoney, Spinner } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "wouter";
import { useCurrency } from "../../../lib/site";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import { useMenuCategories, useMenuProducts, type Product } from "../../menu/api/menu-api";
import {
  saveRecipe,
  useInventoryWrite,
  useRecipe,
  useStockItems,
  type Recipe,
  type StockItem,
} from "../api/inventory-api";
import { lineDraft, parseLines, type LineDraft, type LineProblems } from "../model/lines";
import { costOf, formatPermille, marginOf } from "../model/recipe";
import { formatQuantity, parseQuantity } from "../model/units";
import { byId } from "./parts";
import { LinesEditor } from "./lines-editor";

export function RecipesPage() {
  const products = useMenuProducts();
  const categories = useMenuCategories();
  const [search, setSearch] = useSearchParams();
  const picked = Number(search.get("product") ?? "") || null;
  const live = (products.data ?? []).filter((product) => !product.is_archived);
  const product = live.find((p) => p.id === picked) ?? null;
  const groups = (categories.data ?? [])
    .map((category) => ({
      category,
      products: live
        .filter((p) => p.category_id === category.id)
        .sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name)),
    }))
    .filter((group) => group.products.length > 0);

  return (
    <>
      <div className="toolbar inv-toolbar">
        <Field label="Product" className="inv-product-pick">
          {(control) => (
            <select
              {...control}
              value={product ? String(product.id) : ""}
              onChange={(event) => setSearch(event.target.value ? { product: event.target.value } : {})}
              data-testid="recipe-product"
            >
              <option value="">Pick a product…</option>
              {groups.map(({ category, products: inCategory }) => (
                <optgroup key={category.id} label={category.name}>
                  {inCategory.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
      </div>
      {products.isPending || categories.isPending ? (
        <Spinner label="Loading the menu" />
      ) : products.isError ? (
        <ErrorBanner title="The menu could not be loaded" error={products.error} />
      ) : product === null ? (
        <div className="panel">
          <EmptyState title="Pick a product">
            Its recipe says what one unit takes from stock: sales deduct it, and the dish goes off the menu by itself
            when the stock cannot make one more.
          </EmptyState>
        </div>
      ) : (
        <RecipeLoader key={product.id} product={product} />
      )}
    </>
  );
}

function RecipeLoader({ product }: { product: Product }) {
  const recipe = useRecipe(product.id);
  const items = useStockItems();
  if (recipe.isPending || items.isPending) return <Spinner label="Loading the recipe" />;
  if (recipe.isError) return <ErrorBanner title="The recipe could not be loaded" error={recipe.error} />;
  if (items.isError) return <ErrorBanner title="The stock could not be loaded" error={items.error} />;
  return <RecipeEditor product={product} recipe={recipe.data} items={items.data} />;
}

interface Drafts {
  base: LineDraft[];
  options: Record<number, LineDraft[]>;
}

function draftsOf(recipe: Recipe): Drafts {
  const toDraft = (line: Recipe["lines"][number]) => lineDraft(line, line.unit, { base: true });
  return {
    base: recipe.lines.map(toDraft),
    options: Object.fromEntries(recipe.options.map((option) => [option.option_id, option.lines.map(toDraft)])),
  };
}

/** What the typed lines cost, line by line and in all; null where a quantity is not readable or a cost unknown. */
function costOfDrafts(lines: readonly LineDraft[], items: ReadonlyMap<number, StockItem>) {
  const known: { quantity: number; unit: StockItem["unit"]; unitCost: number | null }[] = [];
  const missing: string[] = [];
  let readable = true;
  for (const line of lines) {
    if (line.itemId === "" && line.quantity.trim() === "") continue;
    const item = items.get(Number(line.itemId));
    const parsed = item ? parseQuantity(line.quantity, item.unit, { assume: item.unit }) : null;
    if (!item || !parsed?.ok) {
      readable = false;
      continue;
    }
    if (item.unit_cost === null) missing.push(item.name);
    known.push({ quantity: parsed.value, unit: item.unit, unitCost: item.unit_cost });
  }
  return { cost: readable ? costOf(known) : null, missing, readable };
}

function LineCost({ line, item, currency }: { line: LineDraft; item: StockItem | undefined; currency: string }) {
  if (!item) return null;
  const parsed = parseQuantity(line.quantity, item.unit, { assume: item.unit });
  if (!parsed.ok) return null;
  const cost = costOf([{ quantity: parsed.value, unit: item.unit, unitCost: item.unit_cost }]);
  return (
    <span className="muted nowrap" data-testid="line-cost">
      {formatQuantity(parsed.value, item.unit)} · {cost === null ? "cost unknown" : formatMoney(cost, currency)}
    </span>
  );
}

function CostSummary({
  label,
  price,
  lines,
  items,
  currency,
  testId,
}: {
  label: string;
  price: number;
  lines: readonly LineDraft[];
  items: ReadonlyMap<number, StockItem>;
  currency: string;
  testId: string;
}) {
  const { cost, missing, readable } = costOfDrafts(lines, items);
  const margin = marginOf(price, cost);
  return (
    <dl className="inv-cost" data-testid={testId} data-cost={cost ?? ""} data-margin={margin?.amount ?? ""}>
      <div>
        <dt>{label}</dt>
        <dd className="num">{formatMoney(price, currency)}</dd>
      </div>
      <div>
        <dt>Stock cost per unit</dt>
        <dd className="num" data-testid={`${testId}-cost`}>
          {cost === null ? "—" : formatMoney(cost, currency)}
        </dd>
      </div>
      <div>
        <dt>Margin</dt>
        <dd className={`num ${margin && margin.amount < 0 ? "inv-negative" : ""}`} data-testid={`${testId}-margin`}>
          {margin === null ? "—" : formatMoney(margin.amount, currency)}
          {margin?.permille != null && ` (${formatPermille(margin.permille)})`}
        </dd>
      </div>
      {!readable && <p className="muted inv-cost__note">Finish the lines to see the cost.</p>}
      {readable && missing.length > 0 && (
        <p className="muted inv-cost__note">No cost yet for {missing.join(", ")}: set it on the Stock tab.</p>
      )}
    </dl>
  );
}

function RecipeEditor({ product, recipe, items }: { product: Product; recipe: Recipe; items: StockItem[] }) {
  const currency = useCurrency();
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(recipe));
  const [problems, setProblems] = useState<Record<string, LineProblems>>({});
  const [savedCost, setSavedCost] = useState<{ cost: number | null } | null>(null);
  const save = useInventoryWrite(saveRecipe);
  const itemById = byId(items);

  function change(next: Drafts) {
    setDrafts(next);
    setSavedCost(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const base = parseLines(drafts.base, itemById, { base: true });
    const options = product.options.map((option) => ({
      option_id: option.id,
      parsed: parseLines(drafts.options[option.id] ?? [], itemById, { base: true }),
    }));
    const found = Object.assign({}, base.problems, ...options.map((o) => o.parsed.problems)) as Record<
      string,
      LineProblems
    >;
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        productId: product.id,
        body: {
          lines: base.lines.map(({ stock_item_id, quantity }) => ({ stock_item_id, quantity })),
          options: options
            .filter((o) => o.parsed.lines.length > 0)
            .map((o) => ({
              option_id: o.option_id,
              lines: o.parsed.lines.map(({ stock_item_id, quantity }) => ({ stock_item_id, quantity })),
            })),
        },
      },
      { onSuccess: (saved) => setSavedCost({ cost: saved.cost }) },
    );
  }

  return (
    <form className="inv-recipe" onSubmit={submit} noValidate data-testid="recipe-form" data-product={product.id}>
      <div className="panel inv-section">
        <div className="inv-section__head">
          <div>
            <h2 className="inv-subhead">{product.name}</h2>
            <p className="muted">
              What one {product.name} takes from stock. Quantities in g, ml or pieces (or type the unit: “0.2 kg”).
            </p>
          </div>
          {!product.is_available && (
            <span className="badge badge--error" data-testid="recipe-product-86">
              {product.unavailable_reason === "stock" ? "86 — out of stock" : "Sold out (86)"}
            </span>
          )}
        </div>
        <div className="inv-recipe__body">
          <LinesEditor
            lines={drafts.base}
            onChange={(base) => change({ ...drafts, base })}
            items={items}
            base
            problems={problems}
            testId="recipe-line"
            addLabel="Add an ingredient"
            extra={(line, item) => <LineCost line={line} item={item} currency={currency} />}
          />
          <CostSummary
            label="Price"
            price={product.base_price}
            lines={drafts.base}
            items={itemById}
            currency={currency}
            testId="recipe-summary"
          />
        </div>
      </div>
      {product.options.map((option) => {
        const lines = drafts.options[option.id] ?? [];
        return (
          <div key={option.id} className="panel inv-section" data-testid={`recipe-option-${option.id}`}>
            <div className="inv-section__head">
              <h3 className="inv-subhead">
                Option: {option.name}{" "}
                <span className="muted">(+{formatMoney(option.extra_cost, currency)})</span>
              </h3>
            </div>
            <div className="inv-recipe__body">
              <LinesEditor
                lines={lines}
                onChange={(next) => change({ ...drafts, options: { ...drafts.options, [option.id]: next } })}
                items={items}
                base
                problems={problems}
                testId={`option-${option.id}-line`}
                addLabel="Add what this option uses"
                extra={(line, item) => <LineCost line={line} item={item} currency={currency} />}
              />
              {lines.length > 0 && (
                <CostSummary
                  label="Extra price"
                  price={option.extra_cost}
                  lines={lines}
                  items={itemById}
                  currency={currency}
                  testId={`option-${option.id}-summary`}
                />
              )}
            </div>
          </div>
        );
      })}
      {save.isError && <ErrorBanner title="Recipe not saved" error={save.error} testId="recipe-error" />}
      {savedCost && (
        <Banner tone="info" title="Recipe saved" data-testid="recipe-saved">
          Sales of {product.name} deduct it from now on
          {savedCost.cost === null ? "." : `; a unit costs ${formatMoney(savedCost.cost, currency)} in stock.`}
        </Banner>
      )}
      <div className="inv-actions">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="recipe-save">
          Save recipe
        </Button>
      </div>
    </form>
  );
}
