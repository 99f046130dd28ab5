// Serving HTTP through a fetch handler, with the address of the client that opened the connection:
// Bun.serve (server.requestIP) on Bun, Deno.serve (info.remoteAddr) on Deno. The handler reads that
// address back with peerAddress(request); headers never carry it, so a client cannot forge it.
import { IS_BUN } from "./which.ts";

export interface ServeOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  port: number;
  hostname: string;
  /**
   * Bun's own ceiling on a request body (Deno has none, and reads bodies only as the handler asks).
   * Kept far above the application's limit, so that oversized bodies reach the handler and get its answer.
   */
  maxRequestBodySize: number;
}

export interface RunningServer {
  /** The port actually bound (port 0 asks for a free one). */
  readonly port: number;
  stop(): Promise<void>;
}

/** The bind failed because another process holds the address: one line for the operator, no stack. */
export class AddressInUseError extends Error {
  constructor(hostname: string, port: number) {
    super(`cannot listen on ${hostname}:${port}: the address is already in use`);
    this.name = "AddressInUseError";
  }
}

const peers = new WeakMap<Request, string>();

/** The address of the client whose connection carried `request`, or null for a request that came from no connection. */
export function peerAddress(request: Request): string | null {
  return peers.get(request) ?? null;
}

interface BunServer {
  port: number;
  requestIP(request: Request): { address: string } | null;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunGlobal {
  serve(options: Record<string, unknown>): BunServer;
}
interface DenoServer {
  addr: { port: number };
  shutdown(): Promise<void>;
}
interface DenoGlobal {
  serve(options: Record<string, unknown>, handler: (request: Request, info: { remoteAddr: { hostname?: string } }) => Response | Promise<Response>): DenoServer;
  errors: { AddrInUse: new (...args: never[]) => Error };
}

/** Starts listening; throws AddressInUseError when the port is taken. */
export function serveHttp(options: ServeOptions): RunningServer {
  return IS_BUN ? serveOnBun(options) : serveOnDeno(options);
}

function serveOnBun(options: ServeOptions): RunningServer {
  const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
  let server: BunServer;
  try {
    server = bun.serve({
      port: options.port,
      hostname: options.hostname,
      maxRequestBodySize: options.maxRequestBodySize,
      // As Elysia's listen() set it: a slow client holds a connection 30 s, not Bun's default 10 s.
      idleTimeout: 30,
      // A second Sigil on a taken port must fail, not silently share the port (Elysia's listen() asked for reusePort).
      reusePort: false,
      development: false,
      fetch(request: Request, self: BunServer) {
        const address = self.requestIP(request)?.address;
        if (address) peers.set(request, address);
        return options.fetch(request);
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") throw new AddressInUseError(options.hostname, options.port);
    throw error;
  }
  return { port: server.port, stop: () => server.stop(true) };
}

function serveOnDeno(options: ServeOptions): RunningServer {
  const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;
  let server: DenoServer;
  try {
    server = deno.serve({
      port: options.port,
      hostname: options.hostname,
      // Deno prints "Listening on …" unless told otherwise; serve prints its own line.
      onListen: () => {},
    }, (request, info) => {
      const address = info.remoteAddr.hostname;
      if (address) peers.set(request, address);
      return options.fetch(request);
    });
  } catch (error) {
    if (error instanceof deno.errors.AddrInUse) throw new AddressInUseError(options.hostname, options.port);
    throw error;
  }
  return { port: server.addr.port, stop: () => server.shutdown() };
}
