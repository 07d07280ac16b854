// The README's TypeScript is code the tests compile and run: its example is examples/submit-and-score.ts, and
// every other snippet is a region of a test, between "// README: <name>" and "// README: end".
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { serverAddress } from "./support.js";

// Compiled to dist/test/: the SDK's folder is two levels up.
const sdk = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = readFileSync(join(sdk, "README.md"), "utf8");
const blocks = new Set([...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]));

/** Each region's lines, without the indentation they share. */
function regions(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of source.matchAll(/^[ \t]*\/\/ README: (\S+)\n([\s\S]*?)^[ \t]*\/\/ README: end$/gm)) {
    const lines = m[2].split("\n").slice(0, -1);
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    found.set(m[1], lines.map((l) => l.slice(indent)).join("\n") + "\n");
  }
  return found;
}

describe("README", () => {
  it("shows examples/submit-and-score.ts as it is", () => {
    assert.ok(blocks.has(readFileSync(join(sdk, "examples", "submit-and-score.ts"), "utf8")),
      "README.md has no ```ts block equal to examples/submit-and-score.ts");
  });

  it("shows every README region of the tests as it is", () => {
    let count = 0;
    for (const file of readdirSync(join(sdk, "test")).filter((f) => f.endsWith(".ts"))) {
      for (const [name, body] of regions(readFileSync(join(sdk, "test", file), "utf8"))) {
        count++;
        assert.ok(blocks.has(body), `README.md has no \`\`\`ts block equal to the region ${name} of test/${file}:\n${body}`);
      }
    }
    assert.ok(count >= 1, "no README regions in the tests");
  });

  it("runs the example: a product of its own, a rejection, the score", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(sdk, "dist", "examples", "submit-and-score.js"), serverAddress()],
      { timeout: 60000 });
    assert.match(stdout, /^rejected responses\[8\]\.score: score must be 0 to 10; got 11\.$/m);
    assert.match(stdout, /^writer typescript-[0-9a-f-]{36}: \{"accepted":8,"rejected":1,"replaced":0,"superseded":0,"duplicates":0,"reconnects":0,"batches":\d+\}$/m);
    assert.match(stdout, /^example-typescript-\d+: NPS 25 from 8 responses \(4 promoters, 2 passives, 2 detractors\)$/m);
  });
});
