import { initialSchema } from "./001-initial.ts";
import { secondFactorSchema } from "./002-second-factor.ts";
import { tenantMailSchema } from "./003-tenant-mail.ts";
import { passkeySchema } from "./004-passkeys.ts";
import { walletSchema } from "./005-wallet.ts";
import { signInHardeningSchema } from "./006-sign-in-hardening.ts";
import { walletRelaySchema } from "./007-wallet-relay.ts";
import { secretsAtRestSchema } from "./008-secrets-at-rest.ts";
import { clientGrantsSchema } from "./009-client-grants.ts";
import { adminSchema } from "./010-admin.ts";
import { sharedLimitsSchema } from "./011-shared-limits.ts";
import { signInMethodsSchema } from "./012-sign-in-methods.ts";
import { clientRemovalSchema } from "./013-client-removal.ts";
import { trustedListsSchema } from "./014-trusted-lists.ts";

/**
 * The PostgreSQL schema, one entry per SQLite migration (../../migrations/index.ts) in the same
 * order, so that version N means the same tables on both backends. Never edit one that shipped: add the next.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  initialSchema, secondFactorSchema, tenantMailSchema, passkeySchema, walletSchema, signInHardeningSchema, walletRelaySchema, secretsAtRestSchema, clientGrantsSchema, adminSchema, sharedLimitsSchema, signInMethodsSchema, clientRemovalSchema, trustedListsSchema,
];
