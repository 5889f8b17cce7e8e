import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The manager dashboard: a tablet by the pass or a laptop in the office, served by the appliance at /manager/.
// No service worker: everything it shows is live from the appliance, and a cached shell would only pin the
// tablet to an old build (and its old API types).
export default defineConfig({
  base: "/manager/",
  plugins: [react()],
  build: {
    outDir: "../../dist/manager",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running appliance (make demo): the REST API and the event socket.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
});
