// Reports: the day (Z), the open shift (X), shift summaries, closed days and the CSV exports, each a route
// nested under /reports so a report can be linked to and the back button works.
import { Route, Switch } from "wouter";
import { Tabs, type Tab } from "../../../shared/tabs";
import { DayClosesPage } from "./day-closes-page";
import { ExportPage } from "./export-page";
import { ShiftReportPage, ShiftsPage } from "./shifts-page";
import { XReportPage } from "./x-report-page";
import { ZReportPage } from "./z-report-page";
import "./reports.css";

const TABS: Tab[] = [
  { href: "/", label: "Day (Z)", also: "/day/*" },
  { href: "/now", label: "Open shift (X)" },
  { href: "/shifts", label: "Shifts", also: "/shifts/*" },
  { href: "/closes", label: "Closed days" },
  { href: "/export", label: "Export CSV" },
];

export function ReportsScreen() {
  return (
    <section className="page" aria-labelledby="reports-title">
      <div className="page-head">
        <h1 id="reports-title" tabIndex={-1}>
          Reports
        </h1>
      </div>
      <Tabs label="Reports" tabs={TABS} />
      <Switch>
        <Route path="/">
          <ZReportPage />
        </Route>
        <Route path="/day/:day">{(params) => <ZReportPage key={params.day} day={params.day} />}</Route>
        <Route path="/now">
          <XReportPage />
        </Route>
        <Route path="/shifts">
          <ShiftsPage />
        </Route>
        <Route path="/shifts/:id">{(params) => <ShiftReportPage shiftId={Number(params.id)} />}</Route>
        <Route path="/closes">
          <DayClosesPage />
        </Route>
        <Route path="/export">
          <ExportPage />
        </Route>
        <Route>
          <ZReportPage />
        </Route>
      </Switch>
    </section>
  );
}
