// /mcp: the task tools over MCP's Streamable HTTP transport, for any MCP
// client, authenticated with the same bearer JWT as REST.
//
// Stateless: every request gets a fresh server and transport bound to the
// caller, so nothing is kept between requests and any replica can answer.
// The low-level Server (not McpServer) is on purpose: McpServer wants zod
// schemas, and the tools' schemas already exist once, as TypeBox (JSON Schema).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Elysia } from "elysia";
import type { TokenVerifier, RateLimiter } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import type { TaskService } from "../tasks/service.ts";
import { runTool, TOOLS } from "../tools/catalog.ts";

export function mcpServer(service: TaskService, userId: string): Server {
  const server = new Server(
    { name: "todo-api", version: "1.0.0" },
    {
      capabilities: { tools: {} },
      instructions: "Manage the signed-in user's tasks. Every tool acts only on that user's tasks.",
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    // JSON round trip: TypeBox marks its schemas with symbol keys that are no part of JSON Schema.
    tools: TOOLS.map((x) => ({
      name: x.name,
      description: x.description,
      inputSchema: JSON.parse(JSON.stringify(x.inputSchema)),
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const outcome = await runTool(service, userId, request.params.name, request.params.arguments);
    // A failure the model can act on is a tool result with isError, not a protocol error (MCP spec, "Error Handling").
    const payload = outcome.ok ? outcome.result : { error: outcome.error };
    const structured =
      typeof payload === "object" && payload !== null ? { structuredContent: payload as Record<string, unknown> } : {};
    return { content: [{ type: "text", text: JSON.stringify(payload) }], ...structured, isError: !outcome.ok };
  });
  return server;
}

export function mcpRoutes(service: TaskService, verify: TokenVerifier, users: UserDirectory, limiter?: RateLimiter) {
  return new Elysia().use(authentication(verify, users, limiter)).all(
    "/mcp",
    async ({ request, user }) => {
      const server = mcpServer(service, user.userId);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        return await transport.handleRequest(request);
      } finally {
        // With JSON responses the answer is complete here; nothing streams on after it.
        await server.close();
      }
    },
    // The transport reads and checks the body itself: Elysia workaround 8 (docs/architecture.md).
    {
      parse: "none",
      detail: { tags: ["mcp"], summary: "MCP server (Streamable HTTP, stateless) exposing the task tools" },
    },
  );
}
