// What sold: products ranked (best or worst sellers, by revenue, quantity or margin) with their cost and margin
// where the recipe's cost is known, each against the previous period, and revenue by category.
import { formatMoney } from "@tavolo/ui";
import { useState } from "react";
import { DataTable } from "../../../shared/data-table";
import { useProducts, type ProductLine } from "../api/analytics-api";
import { formatCount, formatShare } from "../lib/format";
import { previousRange, type Range } from "../lib/period";
import { ChangeBadge } from "./change-badge";
import { SalesChart } from "./sales-chart";
import { Loaded, Section } from "./section";
import { Toggle } from "./toggle";

export type Rank = "revenue" | "quantity" | "margin";
export type End = "top" | "bottom";

const SHOWN = 10;

const RANKS: { value: Rank; label: string }[] = [
  { value: "revenue", label: "Revenue" },
  { value: "quantity", label: "Quantity" },
  { value: "margin", label: "Margin" },
];

const ENDS: { value: End; label: string }[] = [
  { value: "top", label: "Top sellers" },
  { value: "bottom", label: "Bottom sellers" },
];

/**
 * The products in order: the best first for "top", the worst first for "bottom". By margin, products whose cost
 * is unknown cannot be ranked and come last either way.
 */
export function rankProducts(products: ProductLine[], rank: Rank, end: End): ProductLine[] {
  const known = rank === "margin" ? products.filter((p) => p.margin !== null) : products;
  const unknown = rank === "margin" ? products.filter((p) => p.margin === null) : [];
  const value = (p: ProductLine) =>
    rank === "revenue" ? p.revenue : rank === "quantity" ? p.quantity : (p.margin ?? 0);
  const sign = end === "top" ? -1 : 1;
  const sorted = [...known].sort(
    (a, b) => sign * (value(a) - value(b)) || sign * (a.revenue - b.revenue) || a.name.localeCompare(b.name),
  );
  return [...sorted, ...unknown];
}

function keyOf(line: ProductLine): string {
  return line.product_id === null ? `none:${line.name}` : String(line.product_id);
}

export function ProductsPage({ range }: { range: Range }) {
  const [rank, setRank] = useState<Rank>("revenue");
  const [end, setEnd] = useState<End>("top");
  const [all, setAll] = useState(false);
  const products = useProducts(range);
  const previous = useProducts(previousRange(range));
  const before = new Map((previous.data?.products ?? []).map((line) => [keyOf(line), line]));

  return (
    <div className="page">
      <Section
        title="Products"
        csv="products"
        range={range}
        testId="analytics-products"
        actions={
          <>
            <Toggle label="Which products" options={ENDS} value={end} onChange={setEnd} testId="products-end" />
            <Toggle label="Rank by" options={RANKS} value={rank} onChange={setRank} testId="products-rank" />
          </>
        }
      >
        <Loaded query={products} what="products">
          {(data) => {
            const ranked = rankProducts(data.products, rank, end);
            const shown = all ? ranked : ranked.slice(0, SHOWN);
            const money = (amount: number | null) =>
              amount === null ? <span className="muted">—</span> : formatMoney(amount, data.currency);
            return (
              <>
                <DataTable
                  testId="products-table"
                  className="report-table"
                  columns={[
                    { label: "#", num: true },
                    "Product",
                    "Category",
                    { label: "Quantity", num: true },
                    { label: "Revenue", num: true },
                    { label: "Share", num: true },
                    { label: "vs previous", num: true },
                    { label: "Cost", num: true },
                    { label: "Margin", num: true },
                  ]}
                >
                  {shown.map((line, index) => {
                    const prior = before.get(keyOf(line));
                    return (
                      <tr key={keyOf(line)} data-testid="product-row" data-product-id={line.product_id ?? ""}>
                        <td className="num">{index + 1}</td>
                        <th scope="row">{line.name}</th>
                        <td>{line.category}</td>
                        <td className="num" data-testid="product-quantity">
                          {formatCount(line.quantity)}
                        </td>
                        <td className="num" data-testid="product-revenue" data-amount={line.revenue}>
                          {money(line.revenue)}
                        </td>
                        <td className="num">{formatShare(line.revenue, data.revenue)}</td>
                        <td className="num">
                          {previous.isSuccess ? (
                            <ChangeBadge value={line.revenue} previous={prior?.revenue ?? 0} />
                          ) : (
                            <span className="muted">…</span>
                          )}
                        </td>
                        <td className="num">{money(line.cost)}</td>
                        <td className="num">{money(line.margin)}</td>
                      </tr>
                    );
                  })}
                </DataTable>
                {ranked.length === 0 && <p className="muted">No products on the menu.</p>}
                {ranked.length > SHOWN && (
                  <button
                    type="button"
                    className="bar-chart__toggle analytics-more"
                    aria-expanded={all}
                    onClick={() => setAll((shown) => !shown)}
                  >
                    {all ? `Show the ${end} ${SHOWN}` : `Show all ${ranked.length} products`}
                  </button>
                )}
                <p className="muted">
                  Cost and margin come from the recipes' stock costs; "—" where a product has no costed recipe.
                </p>
              </>
            );
          }}
        </Loaded>
      </Section>
      <SalesChart
        range={range}
        groupBy="category"
        title="Sales by category"
        orientation="horizontal"
        width={1200}
        testId="sales-by-category"
      />
    </div>
  );
}
