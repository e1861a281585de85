import { expect, test } from "bun:test";
import { failedTests } from "../../infra/stack/failures.ts";

// `bun test`'s stderr for two files, one failure each, as Bun 1.3.14 prints it.
const report = `
b.test.ts:
1 | import { test, expect } from "bun:test";
2 | test("throws", async () => { throw new Error("boom"); });
                                           ^
error: boom
      at <anonymous> (/tmp/bt/b.test.ts:2:40)
(fail) throws [0.33ms]

a.test.ts:
(pass) grp > ok [0.12ms]
4 |   test("bad", () => { expect({a: 1}).toEqual({a: 2}); });
                                         ^
error: expect(received).toEqual(expected)

- Expected  - 1
+ Received  + 1

      at <anonymous> (/tmp/bt/a.test.ts:4:38)
(fail) grp > bad [0.20ms]
(fail) grp > hook [5000.40ms]
  ^ a beforeEach/afterEach hook timed out for this test.
(pass) grp > after [1.00ms]

2 tests failed:
(fail) throws [0.33ms]
(fail) grp > bad [0.20ms]

 1 pass
 2 fail
`;

test("each failed test is named with its file and the error bun printed for it, once", () => {
  expect(failedTests(report)).toEqual([
    "b.test.ts: (fail) throws [0.33ms]\n    error: boom\n          at <anonymous> (/tmp/bt/b.test.ts:2:40)",
    "a.test.ts: (fail) grp > bad [0.20ms]\n    error: expect(received).toEqual(expected)\n    - Expected  - 1\n    + Received  + 1\n          at <anonymous> (/tmp/bt/a.test.ts:4:38)",
    "a.test.ts: (fail) grp > hook [5000.40ms]\n    ^ a beforeEach/afterEach hook timed out for this test.",
  ]);
});

test("a report without failures names none", () => {
  expect(failedTests("a.test.ts:\n(pass) fine [1.00ms]\n\n 1 pass\n 0 fail\n")).toEqual([]);
});
