import { describe, expect, test } from "bun:test";
import { SDJwt } from "@sd-jwt/core";
import { digest } from "@sd-jwt/crypto-nodejs";
import { checkDisclosures } from "./check-disclosures.ts";

const hash = { alg: "sha-256", hasher: digest };

/** A Disclosure object as @sd-jwt decodes it from a presentation (no direct dependency on @sd-jwt/utils). */
async function disclose(data: [string, string, unknown] | [string, unknown]) {
  const encoded = Buffer.from(JSON.stringify(data)).toString("base64url");
  const decoded = await SDJwt.fromEncode(`e30.e30.sig~${encoded}~`, digest);
  const disclosure = decoded.disclosures![0]!;
  return { disclosure, digest: await disclosure.digest(hash) };
}

function checkOf(work: () => void): string {
  try {
    work();
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? String(error);
  }
}

describe("checkDisclosures", () => {
  test("accepts object and array disclosures each referenced once", async () => {
    const name = await disclose(["salt1", "given_name", "Erika"]);
    const nationality = await disclose(["salt2", "DE"]);
    const payload = { _sd: [name.digest], nationalities: [{ "...": nationality.digest }] };
    expect(checkOf(() => checkDisclosures(payload, [name, nationality]))).toBe("accepted");
  });

  test("rejects an injected disclosure no digest refers to", async () => {
    const name = await disclose(["salt1", "given_name", "Erika"]);
    const injected = await disclose(["salt9", "is_admin", true]);
    expect(checkOf(() => checkDisclosures({ _sd: [name.digest] }, [name, injected]))).toBe("disclosure_digest");
  });

  test("rejects the same disclosure twice and a digest repeated in the payload", async () => {
    const name = await disclose(["salt1", "given_name", "Erika"]);
    expect(checkOf(() => checkDisclosures({ _sd: [name.digest] }, [name, name]))).toBe("disclosure_duplicate");
    expect(checkOf(() => checkDisclosures({ _sd: [name.digest], nested: { _sd: [name.digest] } }, [name]))).toBe("disclosure_duplicate");
  });

  test("rejects disclosures named _sd or ...", async () => {
    for (const reserved of ["_sd", "..."]) {
      const bad = await disclose(["salt1", reserved, "x"]);
      expect(checkOf(() => checkDisclosures({ _sd: [bad.digest] }, [bad]))).toBe("disclosure_reserved_name");
    }
  });

  test("rejects a claim disclosed over a plaintext claim of the same name, and disclosures of the wrong kind", async () => {
    const name = await disclose(["salt1", "given_name", "Mallory"]);
    expect(checkOf(() => checkDisclosures({ given_name: "Erika", _sd: [name.digest] }, [name]))).toBe("disclosure_duplicate");
    const element = await disclose(["salt2", "DE"]);
    expect(checkOf(() => checkDisclosures({ _sd: [element.digest] }, [element]))).toBe("disclosure_digest");
    expect(checkOf(() => checkDisclosures({ list: [{ "...": name.digest }] }, [name]))).toBe("disclosure_digest");
  });
});
