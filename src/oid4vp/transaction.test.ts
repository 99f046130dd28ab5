import { expect, test } from "bun:test";
import { defaultPidQuery } from "./dcql-query.ts";
import { createTransaction, isExpired } from "./transaction.ts";

test("a transaction carries a private ECDH-ES key for the caller to seal, its public half, and a lifetime", async () => {
  const transaction = await createTransaction({ clientId: "x509_hash:abc", responseUri: (id) => `https://v.test/response/${id}`, dcqlQuery: defaultPidQuery(), ttl: 120, now: 1000 });
  expect(transaction.response_uri).toBe(`https://v.test/response/${transaction.id}`);
  expect(transaction.response_mode).toBe("direct_post.jwt");
  expect(transaction.status).toBe("pending");
  expect(transaction.response_key.private_jwk).toMatchObject({ kty: "EC", crv: "P-256", kid: transaction.response_key.kid, alg: "ECDH-ES" });
  expect(typeof transaction.response_key.private_jwk.d).toBe("string");
  expect(transaction.response_key.public_jwk.d).toBeUndefined();
  expect(JSON.parse(JSON.stringify(transaction))).toEqual(transaction);
  expect(isExpired(transaction, 1119)).toBe(false);
  expect(isExpired(transaction, 1120)).toBe(true);
});

test("refuses a malformed DCQL query when the transaction is created", async () => {
  await expect(createTransaction({ clientId: "x509_hash:abc", responseUri: "https://v.test/r", dcqlQuery: { credentials: [] } as never })).rejects.toThrow();
});
