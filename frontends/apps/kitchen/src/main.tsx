import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { startLive } from "./lib/live";
import { pairFromLink } from "./lib/screen";
import { chime, initSound } from "./lib/sound";
import "./styles.css";

// Before anything reads the token: a pairing link stores it and leaves the address bar clean.
pairFromLink();
initSound();
startLive({ onArrival: chime });

const queryClient = new QueryClient({
  defaultOptions: {
    // The board lives on the socket; queries here are one-off reads (zones, the recall list).
    queries: { refetchOnWindowFocus: false, retry: 1 },
    // A tap is sent once; the cook sees a refusal and taps again if it still matters.
    mutations: { retry: false },
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
