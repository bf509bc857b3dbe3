package dev.tern.server.http;

import dev.tern.engine.TernJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error pages as RFC 9457 problems instead of HTML: requests the HTTP parser refuses (a bad URI, a URI or
 * header block too long, bad header bytes, an unknown HTTP version) and errors sent outside Javalin's routes. Never
 * shows a servlet, class or stack.
 */
final class ProblemErrorHandler extends ErrorHandler {
    ProblemErrorHandler() {
        setShowServlet(false);
        setShowStacks(false);
    }

    /** The body of an answer to a request that could not be parsed (no route ever saw it). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) return ByteBuffer.allocate(0);
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(TernJson.write(StatusProblems.of(status, reason)).getBytes(StandardCharsets.UTF_8));
    }

    /** An error page for a request that was parsed (a status sent with {@code sendError}, an uncaught failure). */
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        if (HttpStatus.hasNoBody(status)) return;
        Problem problem;
        if (status == 404 && request.getHeader("Sec-WebSocket-Key") != null) {
            problem = Problem.of(
                    404,
                    StatusProblems.slug(404),
                    StatusProblems.title(404),
                    "no WebSocket endpoint at " + request.getRequestURI());
        } else if (status == 404 || status == 405) {
            problem = StatusProblems.forRoute(status, request.getMethod(), request.getRequestURI());
        } else {
            problem = StatusProblems.of(status, null);
        }
        byte[] body =
                TernJson.write(problem.withInstance(request.getRequestURI())).getBytes(StandardCharsets.UTF_8);
        response.setContentType(Problem.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
    }
}
