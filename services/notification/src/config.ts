import { baseConfig, loadConfig } from "@todo/shared";

export const loadServiceConfig = (env?: Record<string, string | undefined>) => loadConfig(baseConfig(3001, 3501), env);
export type Config = ReturnType<typeof loadServiceConfig>;
