import { expect, test } from "bun:test";
import { parseHostHeader } from "./host-name.ts";

test("accepts a host with or without port and lower-cases it", () => {
  expect(parseHostHeader("Acme.Localhost:8080")).toEqual({ host: "acme.localhost", port: "8080" });
  expect(parseHostHeader("localhost")).toEqual({ host: "localhost", port: null });
});

test("rejects host headers that could reach a path, a query or another tenant", () => {
  for (const bad of ["../etc", "a/b", "a%2fb", "a b", "[::1]:80", "a..b", "-a.com", "a_b.com", "host:99999", "host:", "", "x".repeat(300)]) {
    expect(parseHostHeader(bad)).toBeNull();
  }
});
