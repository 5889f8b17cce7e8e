// Inventory: stock on hand, tomorrow's forecast, deliveries, counts, recipes, purchase orders and suppliers, each a
// route nested under /inventory so any page can be linked to and the back button works.
import { Route, Switch } from "wouter";
import { Tabs, type Tab } from "../../../shared/tabs";
import { CountPage } from "./count-page";
import { DeliveriesPage } from "./deliveries-page";
import { ForecastPage } from "./forecast-page";
import { PurchaseOrdersPage } from "./purchase-orders-page";
import { RecipesPage } from "./recipes-page";
import { StockPage } from "./stock-page";
import { SuppliersPage } from "./suppliers-page";
import "./inventory.css";

const TABS: Tab[] = [
  { href: "/", label: "Stock" },
  { href: "/forecast", label: "Forecast" },
  { href: "/deliveries", label: "Deliveries" },
  { href: "/count", label: "Count" },
  { href: "/recipes", label: "Recipes" },
  { href: "/orders", label: "Purchase orders" },
  { href: "/suppliers", label: "Suppliers" },
];

export function InventoryScreen() {
  return (
    <section className="page" aria-labelledby="inventory-title">
      <div className="page-head">
        <h1 id="inventory-title" tabIndex={-1}>
          Inventory
        </h1>
      </div>
      <Tabs label="Inventory" tabs={TABS} />
      <Switch>
        <Route path="/forecast">
          <ForecastPage />
        </Route>
        <Route path="/deliveries">
          <DeliveriesPage />
        </Route>
        <Route path="/count">
          <CountPage />
        </Route>
        <Route path="/recipes">
          <RecipesPage />
        </Route>
        <Route path="/orders">
          <PurchaseOrdersPage />
        </Route>
        <Route path="/suppliers">
          <SuppliersPage />
        </Route>
        <Route>
          <StockPage />
        </Route>
      </Switch>
    </section>
  );
}
