import { timingSafeEqual } from "node:crypto";

/** Compares two strings in time that depends only on their lengths (and not at all when the lengths match). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    // Still spend a comparison so an attacker cannot time the length check alone.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
