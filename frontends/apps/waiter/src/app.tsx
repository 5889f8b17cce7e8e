// Routes of the waiter app. Screens come from features; the shell holds what every signed-in screen shows.
import "@tavolo/ui/src/styles.css";
import type { User } from "@tavolo/api";
import { useEffect, useRef, type ReactNode } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { AlertBanner, ReadyBanner } from "./features/alerts";
import { LoginScreen, LogoutButton } from "./features/auth";
import { GuestCallsBanner, GuestOrdersBanner } from "./features/guest-orders";
import { LicenseBanner } from "./features/license";
import { ConnectionBanner, OutboxButton } from "./features/offline";
import { OrderScreen } from "./features/order";
import { PaymentScreen } from "./features/payment";
import { TablesScreen } from "./features/tables";
import { useConnection } from "./lib/connection";
import { useOutbox } from "./lib/outbox";
import { useUser } from "./lib/session";
import { useSiteInfo } from "./lib/site";

export function App() {
  const user = useUser();
  // Signed out on any route: after login the waiter lands where the phone was (a reload keeps the URL).
  if (!user) return <LoginScreen />;
  return (
    <Shell user={user}>
      <Switch>
        <Route path="/">
          <TablesScreen />
        </Route>
        <Route path="/order/:ref/pay">{(params) => <PaymentScreen orderRef={params.ref} />}</Route>
        <Route path="/order/:ref">{(params) => <OrderScreen orderRef={params.ref} />}</Route>
        <Route>
          <Redirect to="/" replace />
        </Route>
      </Switch>
    </Shell>
  );
}

/**
 * Publishes the sticky header's height as --shell-top, so a screen's own sticky bar (a search field, a total)
 * can sit right under it with `top: var(--shell-top)` instead of sliding beneath it.
 */
function useShellTop() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const header = ref.current;
    if (!header || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty("--shell-top", `${header.offsetHeight}px`));
    observer.observe(header);
    return () => {
      observer.disconnect();
      root.style.removeProperty("--shell-top");
    };
  }, []);
  return ref;
}

function Shell({ user, children }: { user: User; children: ReactNode }) {
  const site = useSiteInfo();
  const { reachable } = useConnection();
  // Writes another waiter queued on this phone wait for their login; they are not this waiter's to count.
  const queued = useOutbox().filter((entry) => entry.userId === undefined || entry.userId === user.id).length;
  const headerRef = useShellTop();
  const [location] = useLocation();

  // A new screen starts at its top, not at the scroll position of the table list.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location]);

  return (
    <div className="shell">
      <header className="shell__header" ref={headerRef}>
        <div className="topbar">
          <Link href="/" className="topbar__home" aria-label="Tables">
            <span className="topbar__site">{site.data?.restaurant_name ?? "Tavolo"}</span>
            <span className="topbar__user" data-testid="current-user">
              {user.display_name}
            </span>
          </Link>
          <span className="topbar__status" data-testid="connection-status" data-online={String(reachable)}>
            <span className="topbar__dot" aria-hidden="true" />
            {reachable ? "Online" : "Offline"}
          </span>
          {queued > 0 && (
            <OutboxButton
              className="topbar__queue"
              data-testid="outbox-count"
              aria-label={queued === 1 ? "1 change waiting to be sent" : `${queued} changes waiting to be sent`}
            >
              {queued}
            </OutboxButton>
          )}
          <LogoutButton />
        </div>
        <ConnectionBanner />
        <LicenseBanner />
        <AlertBanner />
        <ReadyBanner />
        <GuestCallsBanner />
        <GuestOrdersBanner />
      </header>
      <main className="shell__main">{children}</main>
    </div>
  );
}
