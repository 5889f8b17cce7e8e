import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The kitchen display: a wall screen on the restaurant's LAN, served by the appliance at /kitchen/. No service
// worker: the screen is useless without the appliance anyway (it shows live tickets), and a cached shell would
// only pin it to an old build.
export default defineConfig({
  base: "/kitchen/",
  plugins: [react()],
  build: {
    outDir: "../../dist/kitchen",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running appliance (make demo): the REST API and the kitchen socket.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
});
