import { unwrap } from "@tavolo/api";
import { createSyncStoragePersister } from "@tanstack/query-sync-storage-persister";
import {
  PersistQueryClientProvider,
  removeOldestQuery,
  type PersistQueryClientOptions,
} from "@tanstack/react-query-persist-client";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { api } from "./lib/api";
import { startLive } from "./lib/live";
import { onSettled, resolveOrderRef } from "./lib/outbox";
import { QUERY_CACHE_MAX_AGE_MS, clearCachesOnSessionReset, createQueryClient } from "./lib/query-client";
import { sessionStore } from "./lib/session";
import { QUERY_CACHE_KEY } from "./lib/storage";
import "./styles.css";

const queryClient = createQueryClient();

// The service worker brings the app back after a restart with the Wi-Fi down, but only the menu is in its
// cache: the waiter's tables and open bills would be gone. The last answers of these queries are kept in
// localStorage and shown (stale, refetched) until the appliance answers again. Only what a waiter needs; the
// license too, so a phone restarted offline still says why new orders are paused.
const PERSISTED = new Set([
  "products",
  "categories",
  "site-info",
  "tables",
  "table-groups",
  "order",
  "my-orders",
  "license",
]);
const persister = createSyncStoragePersister({
  storage: window.localStorage,
  key: QUERY_CACHE_KEY,
  throttleTime: 2_000,
  // Storage full: drop the oldest cached answers until the rest fits (the outbox needs the room more).
  retry: removeOldestQuery,
});
const persistOptions: Omit<PersistQueryClientOptions, "queryClient"> = {
  persister,
  maxAge: QUERY_CACHE_MAX_AGE_MS,
  // A new build may change response shapes: never feed it another build's cache.
  buster: __BUILD_ID__,
  dehydrateOptions: {
    shouldDehydrateQuery: (query) => query.state.status === "success" && PERSISTED.has(String(query.queryKey[0])),
  },
};

// A forced sign-out or another waiter's login: nothing of the last session's data stays on screen or on disk.
clearCachesOnSessionReset(queryClient, persister);

// Whatever screen queued a write may be gone when it is replayed: refresh what it changed from here.
onSettled((entry) => {
  const orderId = resolveOrderRef(entry.orderRef);
  if (orderId !== null) {
    // Screens key an order by the id from the route or from the server: match either spelling.
    void queryClient.invalidateQueries({
      predicate: ({ queryKey }) => queryKey[0] === "order" && String(queryKey[1]) === String(orderId),
    });
  }
  void queryClient.invalidateQueries({ queryKey: ["tables"] });
  void queryClient.invalidateQueries({ queryKey: ["my-orders"] });
});

// The menu matters most when the appliance is out of reach: load it once a waiter is signed in, not when the
// first order is opened (same keys and requests as the order screen; the service worker keeps a copy too).
function warmMenu(): void {
  if (!sessionStore.get()) return;
  void queryClient.prefetchQuery({
    queryKey: ["products"],
    queryFn: () => unwrap(api.GET("/api/products/")),
    staleTime: 60_000,
  });
  void queryClient.prefetchQuery({
    queryKey: ["categories"],
    queryFn: () => unwrap(api.GET("/api/products/categories")),
    staleTime: 60_000,
  });
}
warmMenu();
startLive(queryClient);
sessionStore.subscribe(warmMenu);

// Service workers exist only in secure contexts (HTTPS or localhost); over http://<appliance-ip> the app runs
// without one and the outbox still keeps every write. Only production builds have a worker to register.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then((registration) => {
        // The app stays open for a whole shift: look for a new build now and then, not only at start.
        setInterval(() => void registration.update().catch(() => undefined), 60 * 60 * 1000);
      })
      .catch((error: unknown) => console.warn("service worker not registered", error));
  });
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PersistQueryClientProvider client={queryClient} persistOptions={persistOptions}>
        <App />
      </PersistQueryClientProvider>
    </StrictMode>,
  );
}
