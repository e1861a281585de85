import { baseConfig, loadConfig } from "@todo/shared";

export const loadServiceConfig = (env?: Record<string, string | undefined>) => loadConfig(baseConfig(3004, 3504), env);
export type Config = ReturnType<typeof loadServiceConfig>;
