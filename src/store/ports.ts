/**
 * The storage ports: small interfaces named after what the domains need.
 * Every method is async so that a PostgreSQL backend can implement them without
 * touching protocol code. Times are integer seconds since the epoch.
 */
export * from "./ports/identity.ts";
export * from "./ports/tokens.ts";
export * from "./ports/sign-in.ts";
export * from "./ports/wallet.ts";
export * from "./ports/trusted-lists.ts";
export * from "./ports/store.ts";
