package dev.tern.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.tern.agents.internal.AgentJson;
import dev.tern.agents.internal.ToolSchemas;
import dev.tern.agents.mcp.McpServers;
import dev.tern.agents.mcp.McpToolCall;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tool the model may call: a typed Java function from an argument record to a result, whose JSON Schema (generated
 * from the record) is offered to the model. Each call the model asks for runs as its own durable {@code tool_call} step
 * with this tool's retry policy and timeout. {@link #fromAnnotated} turns LangChain4j {@code @Tool} methods into tools
 * too.
 */
public final class AgentTool {
    /** The function behind a tool. */
    @FunctionalInterface
    public interface Body<A, R> {
        R apply(A arguments) throws Exception;
    }

    /** Reads the model's arguments and runs the tool; throws {@link InvalidArgumentsException} when they do not fit. */
    @FunctionalInterface
    interface Invoker {
        Object invoke(String argumentsJson) throws Exception;
    }

    /** The model's arguments do not fit the tool: told to the model, never retried. */
    static final class InvalidArgumentsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidArgumentsException(String message) {
            super(message);
        }
    }

    private final String name;
    private final ToolSpecification specification;
    private final StepOptions options;
    private final Invoker invoker;

    private AgentTool(String name, ToolSpecification specification, StepOptions options, Invoker invoker) {
        this.name = name;
        this.specification = specification;
        this.options = options;
        this.invoker = invoker;
    }

    /** A tool named {@code name} taking {@code argumentsType} (a record) and returning what {@code body} returns. */
    public static <A, R> AgentTool of(String name, String description, Class<A> argumentsType, Body<A, R> body) {
        Objects.requireNonNull(body, "body");
        ToolSchemas schemas = new ToolSchemas(argumentsType);
        ToolSpecification spec = ToolSpecification.builder()
                .name(checkName(name))
                .description(description)
                .parameters(schemas.parameters(null))
                .build();
        return new AgentTool(name, spec, StepOptions.of(StepType.TOOL_CALL), json -> {
            JsonNode arguments = AgentJson.parseOrNull(json);
            if (arguments == null) throw new InvalidArgumentsException("the arguments are not JSON: " + json);
            List<String> problems = schemas.violations(arguments);
            if (!problems.isEmpty())
                throw new InvalidArgumentsException("invalid arguments: " + String.join("; ", problems));
            A typed;
            try {
                typed = AgentJson.MAPPER.treeToValue(arguments, argumentsType);
            } catch (Exception e) {
                throw new InvalidArgumentsException("invalid arguments: " + arguments);
            }
            return body.apply(typed);
        });
    }

    /**
     * A tool whose arguments are described by a JSON Schema given whole (an object schema, such as an MCP tool's
     * {@code inputSchema}); {@code body} gets the arguments as JSON once they fit it.
     */
    public static AgentTool ofJsonSchema(
            String name,
            String description,
            com.fasterxml.jackson.databind.node.ObjectNode schema,
            Body<JsonNode, ?> body) {
        Objects.requireNonNull(body, "body");
        ToolSchemas schemas = new ToolSchemas(schema);
        ToolSpecification spec = ToolSpecification.builder()
                .name(checkName(name))
                .description(description)
                .parameters(schemas.parameters(null))
                .build();
        return new AgentTool(name, spec, StepOptions.of(StepType.TOOL_CALL), json -> {
            JsonNode arguments = AgentJson.parseOrNull(json);
            if (arguments == null) throw new InvalidArgumentsException("the arguments are not JSON: " + json);
            List<String> problems = schemas.violations(arguments);
            if (!problems.isEmpty())
                throw new InvalidArgumentsException("invalid arguments: " + String.join("; ", problems));
            return body.apply(arguments);
        });
    }

    /**
     * The tools {@code server} offers now, each call the model makes being one durable {@code tool_call} step through
     * {@code servers} (retried by {@link McpServers#RETRY}); the server must be reachable when this is called.
     */
    public static List<AgentTool> fromMcp(McpServers servers, String server) {
        List<AgentTool> tools = new ArrayList<>();
        for (McpSchema.Tool tool : servers.tools(server)) {
            com.fasterxml.jackson.databind.node.ObjectNode schema = AgentJson.MAPPER.valueToTree(
                    tool.inputSchema() == null ? java.util.Map.of("type", "object") : tool.inputSchema());
            String description = tool.description() != null
                    ? tool.description()
                    : "tool '" + tool.name() + "' of MCP server '" + server + "'";
            tools.add(ofJsonSchema(
                            tool.name(),
                            description,
                            schema,
                            arguments -> servers.call(
                                    server,
                                    new McpToolCall(tool.name(), AgentJson.MAPPER.convertValue(arguments, MAP))))
                    .withRetry(McpServers.RETRY));
        }
        return List.copyOf(tools);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    /** One tool per LangChain4j {@code @Tool} method of {@code target}, described as LangChain4j describes them. */
    public static List<AgentTool> fromAnnotated(Object target) {
        List<AgentTool> tools = new ArrayList<>();
        for (Method method : target.getClass().getDeclaredMethods()) {
            if (!method.isAnnotationPresent(Tool.class)) continue;
            ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(method);
            DefaultToolExecutor executor = DefaultToolExecutor.builder()
                    .object(target)
                    .originalMethod(method)
                    .methodToInvoke(method)
                    .wrapToolArgumentsExceptions(true)
                    .propagateToolExecutionExceptions(true)
                    .build();
            tools.add(new AgentTool(checkName(spec.name()), spec, StepOptions.of(StepType.TOOL_CALL), json -> {
                try {
                    return executor.execute(
                            ToolExecutionRequest.builder()
                                    .id("tern")
                                    .name(spec.name())
                                    .arguments(json)
                                    .build(),
                            null);
                } catch (ToolArgumentsException e) {
                    throw new InvalidArgumentsException("invalid arguments: " + e.getMessage());
                } catch (ToolExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }));
        }
        if (tools.isEmpty())
            throw new IllegalArgumentException(
                    "no @Tool methods on " + target.getClass().getSimpleName());
        return List.copyOf(tools);
    }

    private static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException(
                    "invalid tool name '" + name + "': use a letter, then letters, digits, '_' or '-' (at most 64)");
        }
        return name;
    }

    /** The same tool with {@code value} as its retry policy (default: three attempts). */
    public AgentTool withRetry(RetryPolicy value) {
        return new AgentTool(name, specification, options.withRetry(value), invoker);
    }

    /** The same tool, each attempt bounded by {@code value}. */
    public AgentTool withTimeout(Duration value) {
        return new AgentTool(name, specification, options.withTimeout(value), invoker);
    }

    public String name() {
        return name;
    }

    /** How the tool is offered to the model. */
    public ToolSpecification specification() {
        return specification;
    }

    StepOptions options() {
        return options;
    }

    Object invoke(String argumentsJson) throws Exception {
        return invoker.invoke(argumentsJson);
    }
}
