// The guest app: /t/<token> from the QR code on the table. No login and nothing personal: the table's token is
// the key, the nickname stays on the phone. The shell holds the header (restaurant, table, live state,
// language), the menu / "your order" tabs, the submission's progress and the cart bar.
import "@tavolo/ui/src/styles.css";
import { ApiError } from "@tavolo/api";
import { Banner, Spinner } from "@tavolo/ui";
import { useEffect, useState, type ReactNode } from "react";
import { Route, Router, Switch } from "wouter";
import { Cart } from "./features/cart";
import { MenuScreen } from "./features/menu";
import { OrderScreen, SubmissionStatus } from "./features/order";
import { rememberedPayment } from "./features/pay";
import { NicknameForm } from "./features/welcome";
import { useReachable } from "./lib/connection";
import { errorMessage } from "./lib/errors";
import { setLang, useLang, useStrings } from "./lib/i18n";
import { startLive, useLink } from "./lib/live";
import { useNickname } from "./lib/nickname";
import { useGuestTable } from "./lib/table";
import type { GuestSubmission } from "./lib/types";

/** The app lives under /t/ (Vite's base): the route below is relative to it. */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export function App() {
  return (
    <Router base={BASE}>
      <Switch>
        <Route path="/:token">{(params) => <TableApp key={params.token} token={params.token} />}</Route>
        <Route>
          <NoTable />
        </Route>
      </Switch>
    </Router>
  );
}

function NoTable() {
  const t = useStrings();
  return (
    <Page>
      <Banner tone="error" data-testid="token-invalid">
        {t.tokenInvalid}
      </Banner>
    </Page>
  );
}

function Page({ children, header }: { children: ReactNode; header?: ReactNode }) {
  const t = useStrings();
  const reachable = useReachable();
  return (
    <div className="g-shell">
      {header}
      {!reachable && (
        <Banner tone="error" compact data-testid="connection-banner">
          {t.unreachable}
        </Banner>
      )}
      <main className="g-main">{children}</main>
    </div>
  );
}

function LanguageToggle() {
  const lang = useLang();
  const t = useStrings();
  return (
    <button
      type="button"
      className="g-lang"
      lang={lang === "el" ? "en" : "el"}
      aria-label={t.languageSwitchLabel}
      onClick={() => setLang(lang === "el" ? "en" : "el")}
      data-testid="language-toggle"
    >
      {t.languageSwitch}
    </button>
  );
}

type Tab = "menu" | "order";

function TableApp({ token }: { token: string }) {
  const t = useStrings();
  const table = useGuestTable(token);
  const link = useLink();
  const nickname = useNickname(token);
  const [editingName, setEditingName] = useState(false);
  // Back after a reload with a payment under way: its outcome is on "your order".
  const [tab, setTab] = useState<Tab>(() => (rememberedPayment(token) === null ? "menu" : "order"));
  const [sent, setSent] = useState<GuestSubmission | null>(null);

  const refused = table.error instanceof ApiError && (table.error.status === 404 || table.error.status === 410);
  useEffect(() => {
    if (refused) return;
    return startLive(token);
  }, [token, refused]);

  const header = (
    <header className="g-header">
      <div className="g-header__row">
        <div className="g-header__where">
          <h1 className="g-header__restaurant" data-testid="restaurant-name">
            {table.data?.restaurant_name ?? "\u00a0"}
          </h1>
          {table.data && (
            <span className="g-header__table" data-testid="table-label">
              {t.table(table.data.table_label)}
            </span>
          )}
        </div>
        {table.data && (
          <span
            className={`g-live ${link === "live" ? "g-live--on" : ""}`}
            data-testid="live-state"
            data-live={link === "live" ? "on" : "off"}
          >
            {link === "live" ? t.live : t.reconnecting}
          </span>
        )}
        <LanguageToggle />
      </div>
      {table.data && nickname && !editingName && (
        <button
          type="button"
          className="g-link g-header__name"
          onClick={() => setEditingName(true)}
          data-testid="nickname-edit"
        >
          {t.nicknameEdit(nickname)}
        </button>
      )}
    </header>
  );

  if (link === "invalid" || (table.error instanceof ApiError && table.error.code === "TABLE_TOKEN_INVALID")) {
    return (
      <Page header={header}>
        <Banner tone="error" data-testid="token-invalid">
          {t.tokenInvalid}
        </Banner>
      </Page>
    );
  }
  if (link === "inactive" || (table.error instanceof ApiError && table.error.code === "TABLE_INACTIVE")) {
    return (
      <Page header={header}>
        <Banner tone="error" data-testid="table-inactive">
          {t.tableInactive}
        </Banner>
      </Page>
    );
  }
  if (!table.data) {
    return (
      <Page header={header}>
        {table.isError ? (
          <Banner tone="error">{errorMessage(table.error, t)}</Banner>
        ) : (
          <div className="g-center">
            <Spinner />
          </div>
        )}
      </Page>
    );
  }
  if (!nickname || editingName) {
    return (
      <Page header={header}>
        <NicknameForm
          token={token}
          initial={nickname}
          mode={nickname ? "edit" : "welcome"}
          onDone={() => setEditingName(false)}
        />
      </Page>
    );
  }

  const { currency, ordering, accepting_orders: canOrder } = table.data;
  return (
    <Page header={header}>
      <nav className="g-tabs" role="tablist">
        {(["menu", "order"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            className="g-tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            data-testid={`tab-${name}`}
          >
            {name === "menu" ? t.tabMenu : t.tabOrder}
          </button>
        ))}
      </nav>
      {!canOrder && (
        <Banner tone="warn" compact data-testid="not-accepting">
          {t.notAccepting}
        </Banner>
      )}
      <SubmissionStatus sent={sent} />
      {tab === "menu" ? (
        <MenuScreen token={token} currency={currency} nickname={nickname} canOrder={canOrder} />
      ) : (
        <OrderScreen token={token} currency={currency} nickname={nickname} />
      )}
      <Cart
        token={token}
        currency={currency}
        nickname={nickname}
        ordering={ordering}
        canOrder={canOrder}
        onSent={(submission) => {
          setSent(submission);
          setTab("order");
        }}
      />
    </Page>
  );
}
