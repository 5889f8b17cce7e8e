import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const THEME_COLOUR = "#1f2937";

export default defineConfig({
  base: "/",
  // Tags the persisted query cache (main.tsx) so a new build never reads an older build's data shapes.
  define: { __BUILD_ID__: JSON.stringify(Date.now().toString(36)) },
  plugins: [
    react(),
    // The service worker lets the app start with no connection (shell precached) and still show the menu and
    // the floor plan (runtime cache). Order writes never touch it: the outbox (localStorage) handles those,
    // and it must work without a service worker, which phones only get over HTTPS.
    VitePWA({
      strategies: "generateSW",
      // main.tsx registers the worker (no workbox-window in the bundle). A new one takes over at once
      // (skipWaiting below); the open page keeps its running code and loads the new build on its next
      // start, so a waiter is never reloaded in the middle of an order.
      registerType: "autoUpdate",
      injectRegister: false,
      // The glob below precaches every icon already; listing them again would only duplicate entries.
      includeManifestIcons: false,
      manifest: {
        name: "Tavolo Waiter",
        short_name: "Tavolo",
        description: "Tavolo waiter app: tables, orders and payments",
        id: "/",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "portrait",
        theme_color: THEME_COLOUR,
        background_color: THEME_COLOUR,
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icon-maskable-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
          { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{html,js,css,svg,png}"],
        cleanupOutdatedCaches: true,
        skipWaiting: true,
        clientsClaim: true,
        navigateFallback: "/index.html",
        // Paths the appliance owns (webapps.py RESERVED_PREFIXES) and the other apps it serves (webapps.py
        // WEB_APPS: the kitchen display, the manager and guest apps): never answer them with this app.
        navigateFallbackDenylist: [
          /^\/api\//,
          /^\/docs/,
          /^\/redoc/,
          /^\/openapi\.json/,
          /^\/media\//,
          /^\/kitchen(?:[/?]|$)/,
          /^\/manager(?:[/?]|$)/,
          /^\/t(?:[/?]|$)/,
        ],
        // Routes are registered for GET only (workbox's default method): POST, PATCH and DELETE go straight to
        // the network, and no write is ever cached. Matchers are serialized into sw.js: keep them
        // self-contained.
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin && /^\/api\/products\/\d+\/image$/.test(url.pathname),
            handler: "CacheFirst",
            method: "GET",
            options: {
              cacheName: "tavolo-product-images",
              expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600, purgeOnQuotaError: true },
              cacheableResponse: { statuses: [200] },
            },
          },
          {
            // The menu and the floor plan: fresh when the appliance answers within 3 s, the last copy when not.
            urlPattern: ({ url, sameOrigin }) =>
              sameOrigin &&
              ["/api/products/", "/api/products/categories", "/api/system/info", "/api/tables/groups"].includes(
                url.pathname,
              ),
            handler: "NetworkFirst",
            method: "GET",
            options: {
              cacheName: "tavolo-menu",
              networkTimeoutSeconds: 3,
              expiration: { maxEntries: 50, maxAgeSeconds: 7 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
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
