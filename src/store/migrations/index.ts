import { initialSchema } from "./001-initial.ts";

/** Ordered schema migrations; the store's `user_version` is the number applied. Never edit one that shipped: add the next. */
export const MIGRATIONS: readonly string[] = [initialSchema];
