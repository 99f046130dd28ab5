/** The store: every storage port together (see ../ports.ts). */
import type { ClientRepo, TenantRepo, UserRepo } from "./identity.ts";
import type { AuthorizationCodeRepo, GrantRepo, JtiRepo, SetupTokenRepo, SigningKeyRepo } from "./tokens.ts";
import type { AttemptRepo, PasskeyRepo, PendingLoginRepo, SecondFactorRepo, ThrottleRepo, WebAuthnChallengeRepo } from "./sign-in.ts";
import type { VerifierRepo, WalletLinkRepo, WalletTransactionRepo } from "./wallet.ts";
import type { TrustedListRepo } from "./trusted-lists.ts";

export interface Store {
  readonly tenants: TenantRepo;
  readonly users: UserRepo;
  readonly clients: ClientRepo;
  readonly signingKeys: SigningKeyRepo;
  readonly codes: AuthorizationCodeRepo;
  readonly grants: GrantRepo;
  readonly jti: JtiRepo;
  readonly setupTokens: SetupTokenRepo;
  readonly secondFactors: SecondFactorRepo;
  readonly pendingLogins: PendingLoginRepo;
  readonly passkeys: PasskeyRepo;
  readonly webauthnChallenges: WebAuthnChallengeRepo;
  readonly verifiers: VerifierRepo;
  readonly walletTransactions: WalletTransactionRepo;
  readonly walletLinks: WalletLinkRepo;
  readonly trustedLists: TrustedListRepo;
  readonly throttles: ThrottleRepo;
  readonly attempts: AttemptRepo;
  /** Deletes expired single-use rows; returns how many went. */
  sweep(now: number): Promise<number>;
  /** Null when the store answers and holds the latest schema; else why it does not, in words safe to show a probe (GET /readyz). */
  readiness(): Promise<string | null>;
  close(): void;
}

/** A uniqueness violation (tenant, user or client that already exists). */
export class DuplicateError extends Error {
  override name = "DuplicateError";
}
