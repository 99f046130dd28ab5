import { expect, test } from "bun:test";
import type { LogLevel } from "../config/index.ts";
import { createLogger } from "./log.ts";

const capture = (format: "text" | "json", least: LogLevel) => {
  const lines: string[] = [];
  return { lines, logger: createLogger(format, least, (line) => void lines.push(line)) };
};

test("records below the configured level are dropped", () => {
  const { lines, logger } = capture("json", "warn");
  logger.log("info", "request", { status: 200 });
  logger.log("error", "unexpected error", { stack: "x" });
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", msg: "unexpected error", stack: "x" });
});

test("a text record stays on one line even when a value holds line breaks, spaces or quotes", () => {
  const { lines, logger } = capture("text", "debug");
  logger.log("error", "unexpected error", { request_id: "abc", stack: "Error: x\n    at f (a.ts:1)", note: 'say "hi"' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain("\n");
  expect(lines[0]).toMatch(/^\S+ ERROR unexpected error request_id=abc stack="Error: x\\n    at f \(a\.ts:1\)" note="say \\"hi\\""$/);
});
