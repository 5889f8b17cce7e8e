import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The sysadmin panel: served by the licensing cloud at / (cloud_backend/system/webapp.py answers unknown paths
// with index.html, so the History API routes survive a reload). No service worker: the panel is useless without
// the cloud, and a cached shell would only pin a sysadmin to an old build.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../../dist/sysadmin",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running cloud (make demo, or python -m cloud_backend).
    proxy: {
      "/api": "http://127.0.0.1:8001",
      "/health": "http://127.0.0.1:8001",
    },
  },
});
