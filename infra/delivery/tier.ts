// The delivery tier of `bun run test`: runs test/delivery against the test
// stack (the service images are built and the todo-api image runs against it).
export async function runDeliveryTier(_repoRoot: string, bunTest: (args: string[], env: Record<string, string>) => Promise<number>, stackInfo: string): Promise<number> {
  return bunTest(["images.delivery.test.ts", "--timeout=600000"], { STACK_INFO: stackInfo });
}
