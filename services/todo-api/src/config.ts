import { baseConfig, loadConfig } from "@todo/shared";

export const loadTodoApiConfig = (env?: Record<string, string | undefined>) => loadConfig(baseConfig(3000, 3500), env);
export type Config = ReturnType<typeof loadTodoApiConfig>;
