/** Seconds since the epoch: the one unit times are stored and compared in. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
