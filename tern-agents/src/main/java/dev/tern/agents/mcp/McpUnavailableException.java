package dev.tern.agents.mcp;

/** An MCP server could not be reached or did not answer a request; a call step retries it. */
public final class McpUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    McpUnavailableException(String server, String location, Throwable cause) {
        super("MCP server '" + server + "' at " + location + " is unavailable: " + reason(cause), cause);
    }

    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
