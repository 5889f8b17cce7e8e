import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The guest app: a diner's own phone, opened from the QR code on the table (/t/<token>), served by the appliance
// at /t/. No service worker: a guest uses it for one meal, and a cached shell would only pin a phone to an old
// build (and its old API types).
export default defineConfig({
  base: "/t/",
  plugins: [react()],
  build: {
    outDir: "../../dist/guest",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running appliance (make demo): the REST API and the guest socket.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
});
