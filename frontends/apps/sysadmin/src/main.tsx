import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { onSessionEnd } from "./lib/session";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    // A refusal (404, 401) will not change on a retry; one retry covers a blip on the way to the cloud.
    queries: { retry: (failures, error) => failures < 1 && !("status" in error), refetchOnWindowFocus: true },
    // An action is sent once: a sysadmin sees the refusal and decides again.
    mutations: { retry: false },
  },
});

// What was read belongs to the session that read it.
onSessionEnd(() => queryClient.clear());

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
