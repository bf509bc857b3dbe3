package dev.tern.server.http;

import dev.tern.agents.mcp.McpJson;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * In front of {@code /mcp}, which is a servlet of its own rather than a Javalin route: the same bearer token as the
 * rest of the API (401 problem otherwise), and a connection idle timeout long enough for a {@code tools/call} that
 * waits for its run without sending anything.
 */
final class McpFilter implements Filter {
    private final BearerAuth auth;
    private final long idleMillis;

    McpFilter(BearerAuth auth, Duration idle) {
        this.auth = auth;
        this.idleMillis = idle.toMillis();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        if (auth != null && !auth.accepts(req.getHeader("Authorization"))) {
            Problem problem = ApiException.unauthorized().problem().withInstance(req.getRequestURI());
            res.setStatus(401);
            res.setHeader("WWW-Authenticate", "Bearer");
            res.setContentType(Problem.CONTENT_TYPE);
            res.getOutputStream().write(McpJson.MAPPER.writeValueAsBytes(problem));
            return;
        }
        org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(request);
        if (base != null && base.getHttpChannel() != null) {
            var endPoint = base.getHttpChannel().getEndPoint();
            if (endPoint.getIdleTimeout() < idleMillis) endPoint.setIdleTimeout(idleMillis);
        }
        chain.doFilter(request, response);
    }
}
