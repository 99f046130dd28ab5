export { createMetrics, type Metrics } from "./metrics.ts";
export { metricsHandler } from "./serve-metrics.ts";
export { timeStore } from "./timed-store.ts";
