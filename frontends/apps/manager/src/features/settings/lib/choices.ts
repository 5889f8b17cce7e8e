// The choices of the timezone and currency selects: what this browser knows, plus the one saved now.

/** Every IANA zone the browser knows, with `current` kept even when the browser does not list it (e.g. "UTC"). */
export function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

export function currencies(current: string): string[] {
  let codes: string[];
  try {
    codes = Intl.supportedValuesOf("currency");
  } catch {
    codes = [];
  }
  return codes.includes(current) ? codes : [current, ...codes].sort();
}
