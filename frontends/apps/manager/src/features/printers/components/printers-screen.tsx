// Printers & screens: the printers (live state, test print), the print log, and the kitchen screens, each a
// nested route under /printers so a link can open the print log of one order (/printers/jobs?order=12).
import { Route, Switch } from "wouter";
import { Tabs } from "../../../shared/tabs";
import { JobsPage } from "./jobs-page";
import { PrintersPage } from "./printers-page";
import { ScreensPage } from "./screens-page";
import "./printers.css";

const TABS = [
  { href: "/", label: "Printers" },
  { href: "/jobs", label: "Print log" },
  { href: "/screens", label: "Kitchen screens" },
];

export function PrintersScreen() {
  return (
    <section className="page" aria-labelledby="printers-title">
      <div className="page-head">
        <h1 id="printers-title" tabIndex={-1}>
          Printers &amp; screens
        </h1>
      </div>
      <Tabs label="Printers and screens" tabs={TABS} />
      <Switch>
        <Route path="/jobs">
          <JobsPage />
        </Route>
        <Route path="/screens">
          <ScreensPage />
        </Route>
        <Route>
          <PrintersPage />
        </Route>
      </Switch>
    </section>
  );
}
