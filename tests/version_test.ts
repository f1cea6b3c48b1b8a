import assert from "node:assert/strict";
import { TINYRNN_VERSION } from "../mod.ts";

Deno.test("TINYRNN_VERSION equals deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.equal(TINYRNN_VERSION, config.version);
});
