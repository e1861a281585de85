// The launchers refuse a Bun outside package.json's engines range, naming the README's command.
import { expect, test } from "bun:test";
import { bunVersionProblem, README_COMMAND } from "../../infra/stack/bun-version.ts";
import manifest from "../../package.json";

test("the pinned Bun is inside the declared range, and the README names it", async () => {
  expect(bunVersionProblem("1.3.14", manifest.engines.bun)).toBeNull();
  expect(await Bun.file(new URL("../../README.md", import.meta.url)).text()).toContain(
    README_COMMAND.replace(" <dev|test>", ""),
  );
});

test("a newer or older Bun is refused with the README's command", () => {
  for (const version of ["1.4.5", "1.3.13", "1.2.0"]) {
    expect(bunVersionProblem(version, manifest.engines.bun)).toContain(README_COMMAND);
  }
});
