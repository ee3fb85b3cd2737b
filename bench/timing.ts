/** Wall time of a synchronous call, in seconds. */
export function timed<T>(f: () => T): { value: T; sec: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, sec: Number(process.hrtime.bigint() - t0) / 1e9 };
}
