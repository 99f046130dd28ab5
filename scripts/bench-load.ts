// The load the benchmark puts on Sigil: complete authorization-code + PKCE flows by the test
// harness's flow driver (authorize → login → token), each timed per phase and its id_token verified
// as a relying party would; then each endpoint alone, for its CPU cost per request.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { login, obtainTokens, pkcePair, readCode, redeemCode, startAuthorization, type FlowParty, type FlowTimings } from "../test/support/oauth-flow.ts";
import type { SigilServer } from "../test/support/sigil.ts";
import { mainThreadName, processCpuMs, threadCpuMs } from "./bench-proc.ts";
import { pool, round } from "./bench-stats.ts";

export const SCOPE = "openid profile email";

/** A running server, who signs in there, and its published keys. */
export interface Target {
  server: SigilServer;
  party: FlowParty;
  jwks: ReturnType<typeof createLocalJWKSet>;
}

export async function targetOf(server: SigilServer, party: FlowParty): Promise<Target> {
  const response = await server.fetch("/.well-known/jwks.json", { host: party.host });
  if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
  return { server, party, jwks: createLocalJWKSet((await response.json()) as JSONWebKeySet) };
}

export interface FlowTiming extends FlowTimings {
  total: number;
  verify: number;
}

/** One complete flow, timed per phase; throws on any unexpected answer. */
async function flow(t: Target): Promise<FlowTiming> {
  const t0 = performance.now();
  const timings: Partial<FlowTimings> = {};
  const { tokens, nonce } = await obtainTokens(t.server, t.party, { scope: SCOPE, timings });
  const t3 = performance.now();
  if (!tokens.id_token || !tokens.access_token) throw new Error("token: no id_token or access_token");
  const { payload } = await jwtVerify(tokens.id_token, t.jwks, { issuer: t.server.origin(t.party.host), audience: t.party.clientId, algorithms: ["RS256"] });
  if (payload.nonce !== nonce) throw new Error(`id_token: nonce ${String(payload.nonce)} != ${nonce}`);
  const t4 = performance.now();
  return { total: t4 - t0, authorize: timings.authorize ?? NaN, login: timings.login ?? NaN, token: timings.token ?? NaN, verify: t4 - t3 };
}

export interface LoadResult {
  flows: number;
  errors: number;
  firstErrors: string[];
  wallMs: number;
  timings: FlowTiming[];
}

/** Runs `count` flows with `concurrency` workers pulling from a shared counter. */
export async function load(t: Target, count: number, concurrency: number): Promise<LoadResult> {
  const { results, errors, firstErrors, wallMs } = await pool(count, concurrency, () => flow(t));
  return { flows: count, errors, firstErrors, wallMs, timings: results };
}

export interface EndpointCost {
  requests: number;
  errors: number;
  perSecond: number;
  serverCpuMs: number;
  mainThreadCpuMs: number;
}

/**
 * Server CPU per request of each endpoint on its own (same concurrency): discovery as the
 * floor of the HTTP pipeline, then authorize, login (one `return`, many codes), token (those codes).
 */
export async function endpointCosts(t: Target, pid: number, count: number, concurrency: number): Promise<Record<string, EndpointCost>> {
  // The cheap endpoints get more requests: CPU time is read in 10 ms ticks.
  const measure = async <T>(step: (index: number) => Promise<T>, requests = count) => {
    const mainThread = `${pid} ${mainThreadName(pid)}`;
    const cpu0 = processCpuMs(pid);
    const main0 = threadCpuMs(pid).get(mainThread) ?? 0;
    const result = await pool(requests, concurrency, step);
    const cpu = processCpuMs(pid) - cpu0;
    const main = (threadCpuMs(pid).get(mainThread) ?? 0) - main0;
    const cost: EndpointCost = {
      requests, errors: result.errors, perSecond: round((requests * 1000) / result.wallMs),
      serverCpuMs: round(cpu / requests, 3), mainThreadCpuMs: round(main / requests, 3),
    };
    return { cost, results: result.results };
  };
  const { server, party } = t;
  const pkce = pkcePair();
  const started = await startAuthorization(server, party, { scope: SCOPE, pkce });
  const discovery = await measure(async () => {
    const response = await server.fetch("/.well-known/openid-configuration", { host: party.host });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`discovery: ${response.status}`);
  }, 4 * count);
  const authorize = await measure(() => startAuthorization(server, party, { scope: SCOPE, pkce }), 4 * count);
  const signIn = await measure(async () => (await readCode(await login(server, party, started.returnTo), party, started.state)).code);
  const codes = signIn.results;
  const token = await measure((index) => redeemCode(server, party, codes[index] ?? "missing", pkce.verifier));
  return { discovery: discovery.cost, authorize: authorize.cost, login: signIn.cost, token: token.cost };
}
