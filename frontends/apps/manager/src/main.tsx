import { NetworkError } from "@tavolo/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { startLive } from "./lib/live";
import { onSessionEnd } from "./lib/session";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The appliance is on the LAN: navigator.onLine says nothing about it.
      networkMode: "always",
      // A refusal will not change on a retry; one retry covers a blip on the network.
      retry: (failures, error) => failures < 1 && (error instanceof NetworkError || !("status" in error)),
      staleTime: 5_000,
    },
    // An action is sent once: the manager sees a refusal and decides again.
    mutations: { networkMode: "always", retry: false },
  },
});

// What was read belongs to the session that read it.
onSessionEnd(() => queryClient.clear());
startLive(queryClient);

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
