// The colour scale of the peak-hours heat map: a few steps from empty to the busiest cell, so neighbouring shades
// stay tellable apart on a tablet in a bright room, and a legend can say which amounts each step holds.

export const HEAT_LEVELS = 5;
export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** 0 for nothing; otherwise 1..levels, the busiest cell always `levels`, each step an equal slice of `max`. */
export function heatLevel(value: number, max: number, levels = HEAT_LEVELS): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(levels, Math.max(1, Math.ceil((value / max) * levels)));
}

export interface LegendStep {
  level: number;
  /** The smallest and largest whole values the step holds. */
  from: number;
  to: number;
}

/** The steps of the legend for whole values up to `max` (a step no whole value falls in is left out). */
export function heatLegend(max: number, levels = HEAT_LEVELS): LegendStep[] {
  const steps: LegendStep[] = [{ level: 0, from: 0, to: 0 }];
  if (max <= 0) return steps;
  for (let level = 1; level <= levels; level += 1) {
    const from = Math.floor(((level - 1) * max) / levels) + 1;
    const to = Math.floor((level * max) / levels);
    if (from <= to) steps.push({ level, from, to });
  }
  return steps;
}

/** The fill of a step: the theme's primary colour mixed into the surface, stronger with each step. */
export function heatColor(level: number, levels = HEAT_LEVELS): string {
  if (level <= 0) return "var(--color-surface-2)";
  const share = Math.round(20 + (80 * (level - 1)) / Math.max(1, levels - 1));
  return `color-mix(in srgb, var(--color-primary) ${share}%, var(--color-surface))`;
}

export function hourRange(hour: number): string {
  const hh = String(hour).padStart(2, "0");
  return `${hh}:00–${hh}:59`;
}
