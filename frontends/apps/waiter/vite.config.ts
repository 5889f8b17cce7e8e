import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../../dist/waiter",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev` against a running appliance (make demo).
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
});
