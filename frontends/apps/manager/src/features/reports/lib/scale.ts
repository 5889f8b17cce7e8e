// The value axis of a bar chart: a round top ("nice" numbers people read at a glance) and evenly spaced ticks.

export interface Scale {
  /** The axis' top value, at least the largest datum. */
  max: number;
  /** Tick values from 0 to max inclusive. */
  ticks: number[];
}

/**
 * 1, 2, 2.5 or 5 times a power of ten: the smallest such whole step that fits `max` in `count` steps (the data
 * are whole minor units or counts, so a tick of 2.5 would be a label nobody can read exactly).
 */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(raw)));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    const step = factor * magnitude;
    if (step >= raw && Number.isInteger(step)) return step;
  }
  return 10 * magnitude;
}

/**
 * A value axis for data whose largest value is `max` (negatives are drawn as 0: a refund-heavy hour shows an
 * empty bar, its number stays in the table). Integer data (minor units, counts) keep integer ticks.
 */
export function niceScale(max: number, count = 4): Scale {
  if (!Number.isFinite(max) || max <= 0) return { max: count, ticks: Array.from({ length: count + 1 }, (_, i) => i) };
  const step = niceStep(max, count);
  const steps = Math.ceil(max / step);
  const ticks = Array.from({ length: steps + 1 }, (_, i) => i * step);
  return { max: ticks[ticks.length - 1] ?? max, ticks };
}

/** A bar's length in pixels for `value` on an axis `length` pixels long. */
export function barLength(value: number, scale: Scale, length: number): number {
  if (value <= 0 || scale.max <= 0) return 0;
  return (Math.min(value, scale.max) / scale.max) * length;
}
