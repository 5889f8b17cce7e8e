// Routes of the sysadmin panel (History API; the cloud answers unknown paths with index.html). Screens come
// from features; the shell holds the header every signed-in screen shows.
import "@tavolo/ui/src/styles.css";
import { Banner } from "@tavolo/ui";
import { useEffect, useRef, type ReactNode } from "react";
import { Link, Redirect, Route, Switch, useLocation, useRoute } from "wouter";
import { useHistoryState } from "wouter/use-browser-location";
import { AlertsScreen } from "./features/alerts";
import { AuditScreen } from "./features/audit";
import { LoginScreen, LogoutButton, useMe } from "./features/auth";
import { RegisterScreen } from "./features/register";
import { SiteDetailScreen } from "./features/site-detail";
import { SitesScreen } from "./features/sites";
import { useReachable } from "./lib/connection";
import { UNREACHABLE } from "./lib/errors";
import { useSession } from "./lib/session";

export function App() {
  const { signedIn } = useSession();
  // Signed out on any route: after login the sysadmin stays where the address bar points.
  if (!signedIn) return <LoginScreen />;
  return (
    <Shell>
      <Switch>
        <Route path="/">
          <SitesScreen />
        </Route>
        <Route path="/register">
          <RegisterRoute />
        </Route>
        <Route path="/sites/:siteId">{(params) => <SiteDetailScreen siteId={params.siteId} />}</Route>
        <Route path="/audit">
          <AuditScreen />
        </Route>
        <Route path="/alerts">
          <AlertsScreen />
        </Route>
        <Route>
          <Redirect to="/" replace />
        </Route>
      </Switch>
    </Shell>
  );
}

// Each click on "New site" is a new visit of /register, even from /register itself: the form must start empty
// again after a secret was shown, and the secret must not come back. The visit number (never the secret) rides
// in the history entry's state and keys the screen.
let registerVisits = 0;

function RegisterRoute() {
  const state = useHistoryState<{ visit?: number } | null>();
  return <RegisterScreen key={state?.visit ?? 0} />;
}

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [, navigate] = useLocation();
  // The overview also owns the site pages; the others match their own path only.
  const [exact] = useRoute(href);
  const [site] = useRoute("/sites/*");
  const current = exact || (href === "/" && site);
  return (
    <Link
      href={href}
      className="nav__link"
      aria-current={current ? "page" : undefined}
      onClick={(event) => {
        if (href !== "/register") return;
        event.preventDefault();
        registerVisits += 1;
        navigate(href, { state: { visit: registerVisits } });
      }}
    >
      {children}
    </Link>
  );
}

/** A new screen starts at its top, and a screen reader hears its heading (not the old page's last focus). */
function useFocusOnNavigate() {
  const mainRef = useRef<HTMLElement>(null);
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    heading?.focus({ preventScroll: true });
  }, [location]);
  return mainRef;
}

function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const reachable = useReachable();
  const mainRef = useFocusOnNavigate();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="topbar">
          <Link href="/" className="topbar__brand">
            Tavolo Cloud
          </Link>
          <nav className="nav" aria-label="Main">
            <NavLink href="/">Sites</NavLink>
            <NavLink href="/register">New site</NavLink>
            <NavLink href="/alerts">Alerts</NavLink>
            <NavLink href="/audit">Audit log</NavLink>
          </nav>
          <span className="topbar__user" data-testid="current-sysadmin">
            {me.data?.username}
          </span>
          <LogoutButton />
        </div>
        {!reachable && (
          <Banner tone="error" compact data-testid="connection-banner">
            {UNREACHABLE}
          </Banner>
        )}
      </header>
      <main id="main" className="shell__main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
