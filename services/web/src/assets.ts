// The browser client: index.html, styles and one bundled script. In the
// image they are built ahead of time into public/ beside the server bundle;
// from source they are bundled at start with Bun.build (a second or less).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Asset {
  body: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};
const typeOf = (name: string) => TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";

export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const prebuilt = join(import.meta.dir, "public");
  if (existsSync(prebuilt)) {
    for (const name of readdirSync(prebuilt))
      assets.set(`/${name}`, { body: readFileSync(join(prebuilt, name)), type: typeOf(name) });
    return assets;
  }
  const source = join(import.meta.dir, "client");
  const built = await Bun.build({
    entrypoints: [join(source, "main.ts")],
    target: "browser",
    minify: true,
    naming: "app.js",
  });
  if (!built.success) throw new AggregateError(built.logs, "building the browser client failed");
  for (const output of built.outputs)
    assets.set(`/${output.path.replace(/^\.\//, "")}`, {
      body: new Uint8Array(await output.arrayBuffer()),
      type: typeOf(output.path),
    });
  for (const name of ["index.html", "styles.css"])
    assets.set(`/${name}`, { body: readFileSync(join(source, name)), type: typeOf(name) });
  return assets;
}
