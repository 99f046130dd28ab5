import { expect, test } from "bun:test";
import type { Store, User, UserPatch } from "../store/index.ts";
import { noteEmailProved } from "./email-proof.ts";

function fakeStore() {
  const patches: UserPatch[] = [];
  const store = { users: { update: async (_tenant: string, _username: string, patch: UserPatch) => { patches.push(patch); return true; } } } as unknown as Store;
  return { store, patches };
}

const user = (fields: Partial<User>): User => ({ tenant: "t", sub: "s", username: "u", email: "u@example.org", emailVerified: false, updatedAt: 1000, ...fields }) as User;

test("a proof made after the mail went out to an unchanged address marks it verified", async () => {
  const { store, patches } = fakeStore();
  await noteEmailProved(store, user({ updatedAt: 1000 }), 1000);
  expect(patches).toEqual([{ emailVerified: true }]);
});

test("a link mailed before the user record changed (perhaps to a new address) proves nothing of the address now", async () => {
  const { store, patches } = fakeStore();
  await noteEmailProved(store, user({ updatedAt: 1001 }), 1000);
  expect(patches).toEqual([]);
});

test("no address, or one already verified, is left as it is", async () => {
  const { store, patches } = fakeStore();
  await noteEmailProved(store, user({ email: null }), 2000);
  await noteEmailProved(store, user({ emailVerified: true }), 2000);
  expect(patches).toEqual([]);
});
