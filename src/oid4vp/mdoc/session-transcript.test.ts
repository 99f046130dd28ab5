import { describe, expect, test } from "bun:test";
import { mdocSessionTranscript } from "./session-transcript.ts";

// The non-normative examples of OpenID4VP 1.0 Appendix B.2.6.1 and B.2.6.2: inputs and expected bytes copied from the spec.
const jwk = { kty: "EC", crv: "P-256", x: "DxiH5Q4Yx3UrukE2lWCErq8N8bqC9CHLLrAwLz5BmE0", y: "XtLM4-3h5o3HUH0MHVJV0kyq0iBlrBwlh8qEDMZ4-Pc", use: "enc", alg: "ECDH-ES", kid: "1" };
const nonce = "exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA";
const base = { client_id: "x509_san_dns:example.com", nonce, response_uri: "https://example.com/response", response_key: { public_jwk: jwk } };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("mdocSessionTranscript", () => {
  test("direct_post.jwt: OpenID4VPHandover over client_id, nonce, key thumbprint and response_uri (spec example B.2.6.1)", async () => {
    expect(hex(await mdocSessionTranscript({ ...base, response_mode: "direct_post.jwt" }))).toBe(
      "83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac",
    );
  });

  test("dc_api.jwt: OpenID4VPDCAPIHandover over the transaction's origin, nonce and key thumbprint (spec example B.2.6.2)", async () => {
    expect(hex(await mdocSessionTranscript({ ...base, response_mode: "dc_api.jwt", origin: "https://example.com" }))).toBe(
      "83f6f682764f70656e4944345650444341504948616e646f7665725820fbece366f4212f9762c74cfdbf83b8c69e371d5d68cea09cb4c48ca6daab761a",
    );
  });

  test("an unencrypted response puts null where the thumbprint goes, so the transcript differs", async () => {
    const plain = hex(await mdocSessionTranscript({ ...base, response_mode: "direct_post" }));
    expect(plain).not.toBe(hex(await mdocSessionTranscript({ ...base, response_mode: "direct_post.jwt" })));
    expect(hex(await mdocSessionTranscript({ ...base, response_mode: "dc_api", origin: "https://example.com" }))).not.toBe(plain);
  });

  test("another client_id, nonce or origin gives another transcript", async () => {
    const reference = hex(await mdocSessionTranscript({ ...base, response_mode: "direct_post.jwt" }));
    expect(hex(await mdocSessionTranscript({ ...base, client_id: "x509_san_dns:evil.example", response_mode: "direct_post.jwt" }))).not.toBe(reference);
    expect(hex(await mdocSessionTranscript({ ...base, nonce: "other", response_mode: "direct_post.jwt" }))).not.toBe(reference);
    const dc = hex(await mdocSessionTranscript({ ...base, response_mode: "dc_api.jwt", origin: "https://example.com" }));
    expect(hex(await mdocSessionTranscript({ ...base, response_mode: "dc_api.jwt", origin: "https://evil.example" }))).not.toBe(dc);
  });

  test("a dc_api transaction without an origin is a programming error, not a silent default", async () => {
    await expect(mdocSessionTranscript({ ...base, response_mode: "dc_api" })).rejects.toThrow(/origin/);
  });
});
