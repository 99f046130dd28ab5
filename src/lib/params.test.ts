import { expect, test } from "bun:test";
import { Params } from "./params.ts";

test("remembers repeated parameters and treats empty values as absent", () => {
  const params = Params.fromSearch(new URLSearchParams("a=1&a=2&b=&c=3"));
  expect(params.get("a")).toBe("1");
  expect(params.repeatedAmong(["a", "b", "c"])).toEqual(["a"]);
  expect(params.has("b")).toBe(false);
  expect(params.get("c")).toBe("3");
});

test("reads flat JSON objects, stringifying non-string values", () => {
  const params = Params.fromObject({ user: "alice", n: 3, nested: { x: 1 } });
  expect(params.get("user")).toBe("alice");
  expect(params.get("n")).toBe("3");
  expect(params.get("nested")).toBe('{"x":1}');
});
