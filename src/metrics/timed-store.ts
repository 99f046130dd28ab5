// Store latency without touching a backend: each port method is wrapped once, timed to when its
// promise settles, and named "port.method" (a fixed set: the Store interface's own names).
import type { Store } from "../store/index.ts";

type Observe = (operation: string, seconds: number) => void;

export function timeStore(store: Store, observe: Observe): Store {
  const timed = (target: object, prefix: string) => {
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        if (typeof value !== "function" || typeof key !== "string") return value;
        let fn = wrapped.get(key);
        if (!fn) wrapped.set(key, (fn = timeCall(value as (...args: unknown[]) => unknown, object, `${prefix}${key}`, observe)));
        return fn;
      },
    });
  };
  const ports = new Map<PropertyKey, unknown>();
  // The top level holds the ports (store.users, store.codes, ...) and a few methods of its own (sweep, readiness).
  return new Proxy(store, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof key !== "string" || value === null || (typeof value !== "object" && typeof value !== "function")) return value;
      let port = ports.get(key);
      if (!port) ports.set(key, (port = typeof value === "function" ? timeCall(value as (...args: unknown[]) => unknown, object, key, observe) : timed(value, `${key}.`)));
      return port;
    },
  });
}

function timeCall(fn: (...args: unknown[]) => unknown, self: object, operation: string, observe: Observe) {
  return (...args: unknown[]) => {
    const started = performance.now();
    const done = () => observe(operation, (performance.now() - started) / 1000);
    const result = fn.apply(self, args);
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
}
