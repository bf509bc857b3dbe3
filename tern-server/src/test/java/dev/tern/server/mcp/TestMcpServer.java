package dev.tern.server.mcp;

import dev.tern.agents.mcp.McpJson;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * An MCP server for tests: the SDK's own server on its servlet transport, on a small Jetty at a loopback port chosen by
 * the system. Tools: {@code add} (structured {@code sum}), {@code shout} (text only), {@code fail} (an {@code isError}
 * result) and {@code slow}, which holds each call until {@link #release} and counts calls.
 */
public final class TestMcpServer implements AutoCloseable {
    public final AtomicInteger slowCalls = new AtomicInteger();
    public final CountDownLatch slowGate = new CountDownLatch(1);
    private final Server jetty;
    private final McpSyncServer server;

    private TestMcpServer(Server jetty, McpSyncServer server) {
        this.jetty = jetty;
        this.server = server;
    }

    public static TestMcpServer start() throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .jsonMapper(McpJson.JSON)
                .build();
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/mcp");
        jetty.setHandler(context);
        TestMcpServer[] self = new TestMcpServer[1];
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("test-tools", "1.0")
                .jsonMapper(McpJson.JSON)
                .jsonSchemaValidator(McpJson.VALIDATOR)
                .requestTimeout(Duration.ofMinutes(2))
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(
                        tool(
                                "add",
                                "Adds two numbers",
                                Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")),
                                (ex, req) -> {
                                    double sum = ((Number) req.arguments().get("a")).doubleValue()
                                            + ((Number) req.arguments().get("b")).doubleValue();
                                    return McpSchema.CallToolResult.builder()
                                            .structuredContent(Map.of("sum", sum))
                                            .addTextContent("" + sum)
                                            .build();
                                }),
                        tool(
                                "shout",
                                "Upper-cases text",
                                Map.of("text", Map.of("type", "string")),
                                (ex, req) -> McpSchema.CallToolResult.builder()
                                        .addTextContent(
                                                String.valueOf(req.arguments().get("text"))
                                                        .toUpperCase())
                                        .build()),
                        tool(
                                "fail",
                                "Always fails",
                                Map.of(),
                                (ex, req) -> McpSchema.CallToolResult.builder()
                                        .addTextContent("no such file: /nope")
                                        .isError(true)
                                        .build()),
                        tool("slow", "Waits to be released", Map.of(), (ex, req) -> {
                            int n = self[0].slowCalls.incrementAndGet();
                            try {
                                self[0].slowGate.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return McpSchema.CallToolResult.builder()
                                    .structuredContent(Map.of("calls", n))
                                    .addTextContent("done")
                                    .build();
                        }))
                .build();
        jetty.start();
        self[0] = new TestMcpServer(jetty, server);
        return self[0];
    }

    private static McpServerFeatures.SyncToolSpecification tool(
            String name,
            String description,
            Map<String, Object> properties,
            java.util.function.BiFunction<
                            io.modelcontextprotocol.server.McpSyncServerExchange,
                            McpSchema.CallToolRequest,
                            McpSchema.CallToolResult>
                    handler) {
        Map<String, Object> schema =
                Map.of("type", "object", "properties", properties, "required", List.copyOf(properties.keySet()));
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(name)
                        .description(description)
                        .inputSchema(schema)
                        .build())
                .callHandler(handler)
                .build();
    }

    public String url() {
        return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/mcp";
    }

    public void release() {
        slowGate.countDown();
    }

    @Override
    public void close() throws Exception {
        release();
        server.close();
        jetty.stop();
    }
}
