// cbor-x loads cbor-extract inside try/catch and falls back to its JavaScript decoder.
throw new Error("cbor-extract is disabled in Sigil: see vendor/cbor-extract-disabled/package.json");
