/** Set by vite.config.ts for each build; changes whenever the app is rebuilt. */
declare const __BUILD_ID__: string;
