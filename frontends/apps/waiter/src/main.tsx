import { NetworkError } from "@tavolo/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Always try the appliance (navigator.onLine says nothing about the restaurant LAN) and keep showing
      // the last data when it cannot be reached.
      networkMode: "always",
      retry: (failures, error) => !(error instanceof NetworkError) && failures < 1,
      staleTime: 2_000,
    },
    mutations: { networkMode: "always", retry: false },
  },
});

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
