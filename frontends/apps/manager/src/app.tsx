// Routes of the manager dashboard. Screens come from features; the shell holds what every signed-in screen
// shows: the navigation, the connection and live state, and the alerts banner.
import "@tavolo/ui/src/styles.css";
import { Banner } from "@tavolo/ui";
import { useEffect, useRef, type ReactNode } from "react";
import { Link, Redirect, Route, Router, Switch, useLocation, useRoute } from "wouter";
import { AlertsBanner } from "./features/alerts";
import { AnalyticsScreen } from "./features/analytics";
import { LoginScreen, LogoutButton } from "./features/auth";
import { FloorScreen } from "./features/floor";
import { InventoryScreen } from "./features/inventory";
import { MenuScreen } from "./features/menu";
import { PrintersScreen } from "./features/printers";
import { ReportsScreen } from "./features/reports";
import { SettingsScreen } from "./features/settings";
import { StaffScreen } from "./features/staff";
import { SystemScreen } from "./features/system";
import { TablesScreen } from "./features/tables";
import { useReachable } from "./lib/connection";
import { useLiveConnected } from "./lib/live";
import { useUser } from "./lib/session";
import { useSiteInfo } from "./lib/site";

/** The app lives under /manager/ (Vite's base): every route below is relative to it. */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export function App() {
  return (
    <Router base={BASE}>
      <Routes />
    </Router>
  );
}

function Routes() {
  const user = useUser();
  // Signed out on any route: after sign-in the manager stays where the address bar points.
  if (!user) return <LoginScreen />;
  return (
    <Shell>
      <Switch>
        <Route path="/">
          <FloorScreen />
        </Route>
        <Route path="/orders/:orderId">{(params) => <FloorScreen orderId={Number(params.orderId)} />}</Route>
        <Route path="/menu" nest>
          <MenuScreen />
        </Route>
        <Route path="/staff">
          <StaffScreen />
        </Route>
        <Route path="/tables">
          <TablesScreen />
        </Route>
        <Route path="/printers" nest>
          <PrintersScreen />
        </Route>
        <Route path="/reports" nest>
          <ReportsScreen />
        </Route>
        <Route path="/analytics" nest>
          <AnalyticsScreen />
        </Route>
        <Route path="/inventory" nest>
          <InventoryScreen />
        </Route>
        <Route path="/settings">
          <SettingsScreen />
        </Route>
        <Route path="/system">
          <SystemScreen />
        </Route>
        <Route>
          <Redirect to="/" replace />
        </Route>
      </Switch>
    </Shell>
  );
}

const NAV: { href: string; label: string }[] = [
  { href: "/", label: "Floor" },
  { href: "/menu", label: "Menu" },
  { href: "/staff", label: "Staff" },
  { href: "/tables", label: "Tables" },
  { href: "/printers", label: "Printers & screens" },
  { href: "/reports", label: "Reports" },
  { href: "/analytics", label: "Analytics" },
  { href: "/inventory", label: "Inventory" },
  { href: "/settings", label: "Settings" },
  { href: "/system", label: "System" },
];

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [exact] = useRoute(href);
  const [nested] = useRoute(href === "/" ? "/orders/*" : `${href}/*`);
  return (
    <Link href={href} className="nav__link" aria-current={exact || nested ? "page" : undefined}>
      {children}
    </Link>
  );
}

/** A new screen starts at its top, and a screen reader hears its heading (not the old page's last focus). */
function useFocusOnNavigate() {
  const mainRef = useRef<HTMLElement>(null);
  const [location] = useLocation();
  const section = location.split("/")[1] ?? "";
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
  }, [section]);
  return mainRef;
}

function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  const site = useSiteInfo();
  const reachable = useReachable();
  const live = useLiveConnected();
  const mainRef = useFocusOnNavigate();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="topbar">
          <Link href="/" className="topbar__brand">
            {site.data?.restaurant_name ?? "Tavolo"}
          </Link>
          <nav className="nav" aria-label="Main">
            {NAV.map((item) => (
              <NavLink key={item.href} href={item.href}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <span
            className={`live-dot ${live ? "live-dot--on" : ""}`}
            data-testid="live-state"
            data-live={live ? "on" : "off"}
          >
            {live ? "Live" : "Reconnecting…"}
          </span>
          <span className="topbar__user" data-testid="current-manager">
            {user?.display_name}
          </span>
          <LogoutButton />
        </div>
        {!reachable && (
          <Banner tone="error" compact data-testid="connection-banner">
            Can't reach the Tavolo appliance. What you see may be out of date; changes can't be saved until it
            is back.
          </Banner>
        )}
        <AlertsBanner />
      </header>
      <main id="main" className="shell__main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
