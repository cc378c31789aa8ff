/** Seeded randomness for synthetic series, so every test run sees the same numbers. */

/** mulberry32: a small, fast, seeded PRNG returning values in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exact Poisson sample (Knuth), split into chunks of λ ≤ 30 so e^−λ never underflows. */
export function poisson(rng: () => number, lambda: number): number {
  let n = 0;
  for (let rest = lambda; rest > 0; rest -= 30) {
    const limit = Math.exp(-Math.min(rest, 30));
    for (let p = rng(); p > limit; p *= rng()) n++;
  }
  return n;
}
