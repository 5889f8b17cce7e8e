import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "api", root: "packages/api", environment: "jsdom" } },
      { test: { name: "ui", root: "packages/ui", environment: "jsdom" } },
      {
        test: {
          name: "waiter",
          root: "apps/waiter",
          environment: "jsdom",
          setupFiles: ["./src/test-setup.ts"],
        },
      },
      {
        test: {
          name: "kitchen",
          root: "apps/kitchen",
          environment: "jsdom",
          setupFiles: ["./src/test-setup.ts"],
        },
      },
      {
        test: {
          name: "manager",
          root: "apps/manager",
          environment: "jsdom",
          setupFiles: ["./src/test-setup.ts"],
        },
      },
      {
        test: {
          name: "guest",
          root: "apps/guest",
          environment: "jsdom",
          setupFiles: ["./src/test-setup.ts"],
        },
      },
      {
        test: {
          name: "sysadmin",
          root: "apps/sysadmin",
          environment: "jsdom",
          setupFiles: ["./src/test-setup.ts"],
        },
      },
    ],
  },
});
