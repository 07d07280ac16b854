// Bundles the dashboard into dist/: index.html, main.js, main.css and the icon, with no reference to anything but
// the files beside them (nothing is fetched from the network at run time). The server copies dist/ into wwwroot.
import * as esbuild from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = "dist";
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await esbuild.build({
  entryPoints: ["src/main.ts", "src/main.css"],
  outdir: out,
  bundle: true,
  format: "esm",
  target: ["es2022", "chrome100", "firefox100", "safari16"],
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
for (const file of ["index.html", "favicon.svg"]) {
  await copyFile(`public/${file}`, `${out}/${file}`);
}
