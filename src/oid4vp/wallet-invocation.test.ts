import { expect, test } from "bun:test";
import { buildWalletUrl, walletQrSvg } from "./wallet-invocation.ts";

test("builds scheme://?client_id&request_uri&request_uri_method=post with a configurable scheme", () => {
  const url = buildWalletUrl({ scheme: "haip-vp", clientId: "x509_hash:abc", requestUri: "https://v.test/r/1" });
  expect(url.startsWith("haip-vp://?")).toBe(true);
  const query = new URL(url).searchParams;
  expect(query.get("client_id")).toBe("x509_hash:abc");
  expect(query.get("request_uri")).toBe("https://v.test/r/1");
  expect(query.get("request_uri_method")).toBe("post");
  expect(buildWalletUrl({ clientId: "c", requestUri: "https://v.test/r", requestUriMethod: "get" })).toBe("openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.test%2Fr");
});

test("accepts a full authorization endpoint instead of a scheme", () => {
  const url = buildWalletUrl({ scheme: "https://suite.test/authorize", clientId: "c", requestUri: "https://v.test/r" });
  expect(url).toStartWith("https://suite.test/authorize?client_id=c");
});

test("renders the wallet URL as an SVG QR code", async () => {
  const svg = await walletQrSvg("openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.test%2Fr");
  expect(svg).toStartWith("<svg");
  expect(svg).toContain("<path");
});
