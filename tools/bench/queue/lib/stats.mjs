// Medians across runs and percentiles within a run.

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100); NaN for no samples. */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const v = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * v.length));
  return v[rank - 1];
}

export const fmtRate = (x) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en-US')}/s` : '-');
export const fmtMs = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
