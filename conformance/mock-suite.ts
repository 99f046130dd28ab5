// A stand-in for the OpenID Foundation conformance suite's REST API, for the runner's tests.
// Every route answers as the suite's source does (openid-certification/conformance-suite,
// read at 12f2a4dac6; the comment above each route names the file and method), never as
// Sigil's runner would like. Modules move through TestModule.Status on timers, the way the
// suite's background executor moves them, and every change reaches the waiters at once
// (runner/TestStatusWaiterService.java, publishStatusChange).
import type { ModuleResult } from "./suite-api.ts";

export interface MockModule {
  name: string;
  result: ModuleResult;
  log?: Record<string, unknown>[];
  /** The plan's per-module variant (info/Plan.java, Module.variant). */
  variant?: Record<string, string>;
  /** How long the module runs once started, before it finishes or waits for the wallet. */
  runMs?: number;
  /** An OID4VP verifier module: WAITING until its authorize endpoint is called. */
  waitsForWallet?: boolean;
}

/** "current": the suite at 12f2a4dac6; "before-wait-state": before f84a95da2 and 738fc73c3. */
export type Generation = "current" | "before-wait-state";

interface RunningTest { id: string; module: MockModule; alias: string; status: string; autoStart: boolean; started: boolean }

const json = (body: unknown, status = 200) => Response.json(body, { status });
const empty = (status: number) => new Response(null, { status });
const newId = () => crypto.randomUUID().replace(/-/g, "").slice(0, 14);

export class MockSuite {
  modules: MockModule[] = [];
  generation: Generation = "current";
  readonly requests: { method: string; path: string; query: URLSearchParams; body: string; at: number }[] = [];
  /** How many wait-state answers were {"timeout": true}, and which modules were started twice. */
  timeoutAnswers = 0;
  readonly doubleStarts: string[] = [];
  // runner/InMemoryTestRunnerSupport.java: runningTests lives in memory; a restart empties it.
  private readonly running = new Map<string, RunningTest>();
  // info/DBTestInfoService.java: the persisted TestInfo documents, which survive a restart.
  private readonly infos = new Map<string, Record<string, unknown>>();
  private readonly waiters = new Map<string, Set<(status: string) => void>>();
  private readonly plans = new Map<string, { name: string; alias: string; variant: Record<string, string> }>();
  private server: ReturnType<typeof Bun.serve> | undefined;

  constructor(private readonly token: string, private readonly other?: (request: Request, url: URL) => Response | undefined) {}

  get url(): string {
    return `http://127.0.0.1:${this.server!.port}`;
  }

  listen(): this {
    this.server = Bun.serve({ port: 0, hostname: "127.0.0.1", idleTimeout: 60, fetch: (request) => this.handle(request) });
    return this;
  }

  stop(): void {
    this.server?.stop(true);
  }

  /** The suite restarted: running tests are gone, their persisted info is not. */
  restart(): void {
    this.running.clear();
  }

  /** Ids of the module runs created for a module name. */
  idsOf(name: string): string[] {
    return [...this.infos.values()].filter((info) => info.testName === name).map((info) => info.testId as string);
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const body = await request.text();
    this.requests.push({ method: request.method, path, query: url.searchParams, body, at: Date.now() });
    const other = this.other?.(request, url);
    if (other) return other;
    // vp1finalverifier/AbstractVP1FinalVerifierTest.java, handleHttp "authorize": the wallet's
    // authorization endpoint; the request moves a WAITING verifier module on to its end.
    const authorize = /^\/test\/a\/([^/]+)\/authorize$/.exec(path);
    if (authorize) {
      for (const test of this.running.values()) {
        if (test.alias !== authorize[1] || !test.module.waitsForWallet || test.status !== "WAITING") continue;
        this.setStatus(test, "RUNNING");
        this.finish(test);
      }
      return new Response("<html>request received</html>", { headers: { "content-type": "text/html" } });
    }
    // security/WebSecurityResourceServerConfig.java: RestAuthenticationEntryPoint, 401 without a valid token.
    if (request.headers.get("authorization") !== `Bearer ${this.token}`) return empty(401);
    // runner/TestRunner.java, getAvailableTests: a list of module descriptions.
    if (path === "/api/runner/available" && request.method === "GET") return json(this.modules.map((m) => ({ testName: m.name })));
    // info/TestPlanApi.java, createTestPlan: 201 {name, id, modules: [Plan.Module]}.
    if (path === "/api/plan" && request.method === "POST") {
      const id = newId();
      const variant = JSON.parse(url.searchParams.get("variant") ?? "{}") as Record<string, string>;
      this.plans.set(id, { name: url.searchParams.get("planName") ?? "", alias: (JSON.parse(body) as { alias?: string }).alias ?? "", variant });
      return json({ name: url.searchParams.get("planName"), id, modules: this.modules.map((m) => ({ testModule: m.name, variant: m.variant ?? null, instances: [] })) }, 201);
    }
    // runner/TestRunner.java, createTest: 201 {name, id, url}; configure() and, for
    // autoStart() modules (all but OIDCCServerRotateKeys), start() run in the background.
    if (path === "/api/runner" && request.method === "POST") {
      const name = url.searchParams.get("test") ?? "";
      const module = this.modules.find((m) => m.name === name);
      if (!module) return json({ error: "test module not found" }, 500);
      const id = newId();
      const test: RunningTest = { id, module, alias: this.plans.get(url.searchParams.get("plan") ?? "")?.alias ?? "", status: "CREATED", autoStart: name !== "oidcc-server-rotate-keys", started: false };
      this.running.set(id, test);
      // info/TestInfo.java: status CREATED, result null until the module ends.
      this.infos.set(id, { _id: id, testId: id, testName: name, variant: module.variant ?? null, started: new Date().toISOString(), planId: url.searchParams.get("plan"), status: "CREATED", result: null });
      setTimeout(() => {
        this.setStatus(test, "CONFIGURED");
        if (test.autoStart) this.begin(test);
      }, 20);
      return json({ name, id, url: `${this.url}/test/a/${test.alias}` }, 201);
    }
    // runner/TestRunner.java, waitForState: see conformance/wait-for-state.ts for the shapes.
    const wait = /^\/api\/runner\/([^/]+)\/wait-state$/.exec(path);
    if (wait && request.method === "GET" && this.generation === "current") return this.waitForState(wait[1]!, url.searchParams);
    // runner/TestRunner.java, startTest: 200 with createTestStatusMap (no status field), 404 with
    // no body. Since 738fc73c3 it starts only a CONFIGURED module that did not start itself.
    const start = /^\/api\/runner\/([^/]+)$/.exec(path);
    if (start && request.method === "POST") {
      const test = this.running.get(start[1]!);
      if (!test) return empty(404);
      if (this.generation === "before-wait-state" || (!test.autoStart && test.status === "CONFIGURED")) this.begin(test);
      return json({ name: test.module.name, id: test.id, exposed: {}, owner: {}, created: "", updated: "", error: null });
    }
    // info/TestInfoApi.java, getTestInfo: the persisted TestInfo, or 404 with no body.
    const info = /^\/api\/info\/([^/]+)$/.exec(path);
    if (info && request.method === "GET") return this.infos.has(info[1]!) ? json(this.infos.get(info[1]!)) : empty(404);
    // logging/LogApi.java, getLogResults: the module's log entries.
    const log = /^\/api\/log\/([^/]+)$/.exec(path);
    if (log && request.method === "GET") return json(this.modules.find((m) => m.name === this.infos.get(log[1]!)?.testName)?.log ?? []);
    // logging/LogApi.java, exportHtml: a zip named "{planName}-{variant values}-{planId}-{dd-MMM-yyyy}.zip".
    const exported = /^\/api\/plan\/exporthtml\/([^/]+)$/.exec(path);
    const plan = exported && this.plans.get(exported[1]!);
    if (plan) return new Response("PK", { headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${[plan.name, ...Object.values(plan.variant), exported[1]].join("-")}-20-Aug-2026.zip"` } });
    // errorhandling/FAPIErrorController.java, handleError: Spring's error attributes as JSON under /api/.
    return json({ timestamp: new Date().toISOString(), status: 404, error: "Not Found", path }, 404);
  }

  private waitForState(id: string, query: URLSearchParams): Response | Promise<Response> {
    const states = new Set((query.get("states") ?? "").split(",").filter(Boolean));
    const timeoutMs = Math.max(1, Math.min(30_000, Number(query.get("timeoutMs") ?? 30_000)));
    const test = this.running.get(id);
    if (!test) return json({ error: "test not found" }, 404);
    if (states.has(test.status)) return json({ state: test.status });
    return new Promise<Response>((resolve) => {
      const waiters = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, waiters);
      const done = (answer: Record<string, unknown>) => {
        clearTimeout(timer);
        waiters.delete(callback);
        resolve(json(answer));
      };
      const callback = (status: string) => void (states.has(status) && done({ state: status }));
      const timer = setTimeout(() => {
        this.timeoutAnswers++;
        done({ timeout: true });
      }, timeoutMs);
      waiters.add(callback);
    });
  }

  private begin(test: RunningTest): void {
    if (test.started) this.doubleStarts.push(test.module.name);
    test.started = true;
    this.setStatus(test, "RUNNING");
    setTimeout(() => (test.module.waitsForWallet ? this.setStatus(test, "WAITING") : this.finish(test)), test.module.runMs ?? 50);
  }

  // testmodule/AbstractTestModule.java, fireTestFinished: WAITING first, then the result, then FINISHED last.
  private finish(test: RunningTest): void {
    this.setStatus(test, "WAITING");
    setTimeout(() => {
      this.infos.get(test.id)!.result = test.module.result;
      this.setStatus(test, "FINISHED");
    }, 20);
  }

  private setStatus(test: RunningTest, status: string): void {
    // A test lost in a restart no longer moves.
    if (this.running.get(test.id) !== test) return;
    test.status = status;
    const info = this.infos.get(test.id);
    if (info) info.status = status;
    for (const callback of [...(this.waiters.get(test.id) ?? [])]) callback(status);
  }
}
