import { NetworkError } from "@tavolo/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { langStore } from "./lib/i18n";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The appliance is on the restaurant's LAN: navigator.onLine says nothing about it.
      networkMode: "always",
      // A refusal will not change on a retry; one retry covers a blip on the Wi-Fi.
      retry: (failures, error) => failures < 1 && (error instanceof NetworkError || !("status" in error)),
      staleTime: 5_000,
    },
    // A guest's tap is sent once: a refusal is shown and the guest decides again.
    mutations: { networkMode: "always", retry: false },
  },
});

document.documentElement.lang = langStore.get();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
