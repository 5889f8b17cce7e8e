// Every query key of the dashboard in one place: the live socket (live.ts) invalidates by these, so a screen
// that spells a key differently would silently stop updating. Ids are numbers.
export const keys = {
  siteInfo: ["site-info"] as const,
  tables: ["tables"] as const,
  tableGroups: ["table-groups"] as const,
  tableQr: ["table-qr"] as const,
  orders: ["orders"] as const,
  order: (id: number) => ["order", id] as const,
  orderHistory: (id: number) => ["order-history", id] as const,
  products: ["products"] as const,
  categories: ["categories"] as const,
  staff: ["staff"] as const,
  printers: ["printers"] as const,
  printerStatus: ["printer-status"] as const,
  printJobs: ["print-jobs"] as const,
  alerts: ["alerts"] as const,
  screens: ["kds-screens"] as const,
  license: ["license"] as const,
  settings: ["settings"] as const,
  reports: ["reports"] as const,
  shifts: ["shifts"] as const,
  // Everything of the inventory sits under one key; the figures that sales move (stock, movements, forecast) and
  // the low-stock alerts under their own, so an order event refreshes them without the suppliers or recipes.
  inventory: ["inventory"] as const,
  stock: ["inventory", "stock"] as const,
  lowStock: ["inventory", "low-stock"] as const,
};
