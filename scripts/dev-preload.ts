// Loaded by bunfig.toml before `bun src/main.ts` and `bun test`: serves web/ from source, built on first use.
import { plugin } from "bun";
import { webAssetsPlugin } from "./web-assets.ts";

plugin(webAssetsPlugin(false));
