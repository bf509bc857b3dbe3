package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.server.auth.Caller;
import dev.tern.server.auth.Role;
import dev.tern.server.auth.TokenRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * In front of {@code /mcp}, which is a servlet of its own rather than a Javalin route: the same tokens as the rest of
 * the API (401 problem otherwise), the {@link Caller} kept as the request attribute {@link Caller#ATTRIBUTE} for the
 * MCP handlers, and a connection idle timeout long enough for a {@code tools/call} that waits for its run without
 * sending anything. A {@code tools/call} starts a run, so it needs the member role: a viewer's POST is read here
 * (bounded by the body limit) and refused with 403 when it calls a tool, then handed on from memory. Members' and
 * admins' bodies are not looked at.
 */
final class McpFilter implements Filter {
    private final TokenRegistry tokens;
    private final long idleMillis;
    private final int maxBodyBytes;

    McpFilter(TokenRegistry tokens, Duration idle, int maxBodyBytes) {
        this.tokens = tokens;
        this.idleMillis = idle.toMillis();
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        Caller caller = tokens.authenticate(req.getHeader("Authorization")).orElse(null);
        if (caller == null) {
            res.setHeader("WWW-Authenticate", "Bearer");
            refuse(req, res, ApiException.unauthorized());
            return;
        }
        req.setAttribute(Caller.ATTRIBUTE, caller);
        ServletRequest onward = request;
        if ("POST".equalsIgnoreCase(req.getMethod()) && !caller.allows(Role.MEMBER)) {
            if (req.getContentLengthLong() <= maxBodyBytes) { // a longer one is refused by the MCP servlet, unread
                byte[] body = readAtMost(req.getInputStream(), maxBodyBytes);
                if (body == null) {
                    refuse(req, res, ApiException.tooLarge(maxBodyBytes));
                    return;
                }
                if (callsTool(body)) {
                    refuse(req, res, ApiException.forbidden(Role.MEMBER, caller.role()));
                    return;
                }
                onward = new BufferedBodyRequest(req, body);
            }
        }
        org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(request);
        if (base != null && base.getHttpChannel() != null) {
            var endPoint = base.getHttpChannel().getEndPoint();
            if (endPoint.getIdleTimeout() < idleMillis) endPoint.setIdleTimeout(idleMillis);
        }
        chain.doFilter(onward, response);
    }

    /**
     * Whether a JSON-RPC message (or batch) calls a tool; a body that is not JSON is left to the MCP servlet to refuse.
     */
    static boolean callsTool(byte[] body) {
        JsonNode message;
        try {
            message = McpJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return false;
        }
        if (message == null) return false;
        if (message.isArray()) {
            for (JsonNode m : message) if ("tools/call".equals(m.path("method").asText(null))) return true;
            return false;
        }
        return "tools/call".equals(message.path("method").asText(null));
    }

    /** The stream's bytes, or null if there are more than {@code limit}. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit);
        return bytes.length == limit && in.read() != -1 ? null : bytes;
    }

    private static void refuse(HttpServletRequest req, HttpServletResponse res, ApiException e) throws IOException {
        Problem problem = e.problem().withInstance(req.getRequestURI());
        res.setStatus(problem.status());
        res.setContentType(Problem.CONTENT_TYPE);
        res.getOutputStream().write(McpJson.MAPPER.writeValueAsBytes(problem));
    }
}
