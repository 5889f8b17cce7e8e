// Analytics: how a period went against the one before it, page by page (overview, peak hours, products, waiters,
// tables, kitchen, exceptions). Pages are routes nested under /analytics and the period is the address's query,
// so any view can be linked to and the back button works.
import { Spinner } from "@tavolo/ui";
import type { ReactNode } from "react";
import { Route, Switch, useSearchParams } from "wouter";
import { useSiteInfo } from "../../../lib/site";
import { todayIn } from "../../../shared/format";
import { Tabs, type Tab } from "../../../shared/tabs";
import { periodFromSearch, periodToSearch, rangeOf, type Range } from "../lib/period";
import { ExceptionsPage } from "./exceptions-page";
import { HoursPage } from "./hours-page";
import { KitchenPage } from "./kitchen-page";
import { OverviewPage } from "./overview-page";
import { PeriodPicker } from "./period-picker";
import { ProductsPage } from "./products-page";
import { TurnoverPage } from "./turnover-page";
import { WaitersPage } from "./waiters-page";
import "../../reports/components/reports.css";
import "./analytics.css";

const TABS: Tab[] = [
  { href: "/", label: "Overview" },
  { href: "/hours", label: "Peak hours" },
  { href: "/products", label: "Products" },
  { href: "/waiters", label: "Waiters" },
  { href: "/tables", label: "Tables" },
  { href: "/kitchen", label: "Kitchen" },
  { href: "/exceptions", label: "Exceptions" },
];

const PAGES: { path: string; Page: (props: { range: Range }) => ReactNode }[] = [
  { path: "/hours", Page: HoursPage },
  { path: "/products", Page: ProductsPage },
  { path: "/waiters", Page: WaitersPage },
  { path: "/tables", Page: TurnoverPage },
  { path: "/kitchen", Page: KitchenPage },
  { path: "/exceptions", Page: ExceptionsPage },
];

export function AnalyticsScreen() {
  const site = useSiteInfo();
  const [search, setSearch] = useSearchParams();
  // "Today" is the restaurant's, not the tablet's: wait for the site's timezone before picking a period.
  const ready = site.isSuccess || site.isError;
  const today = todayIn(site.data?.timezone);
  const period = periodFromSearch(search, today);
  const range = rangeOf(period);
  const query = search.toString();

  return (
    <section className="page" aria-labelledby="analytics-title">
      <div className="page-head">
        <h1 id="analytics-title" tabIndex={-1}>
          Analytics
        </h1>
      </div>
      {!ready ? (
        <Spinner />
      ) : (
        <>
          <PeriodPicker period={period} today={today} onChange={(next) => setSearch(periodToSearch(next))} />
          <Tabs label="Analytics" tabs={TABS} search={query} />
          <Switch>
            {PAGES.map(({ path, Page }) => (
              <Route key={path} path={path}>
                <Page range={range} />
              </Route>
            ))}
            <Route>
              <OverviewPage range={range} />
            </Route>
          </Switch>
        </>
      )}
    </section>
  );
}
