package dev.tern.server.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The listening socket of a node: its address, a listen backlog that absorbs a burst of connects (the JDK's default of
 * 50 resets the rest), the idle timeout of connections, and the deadline for a request's headers
 * ({@link RequestHeaderDeadline}).
 */
final class HttpConnector {
    private HttpConnector() {}

    static ServerConnector create(Server server, HttpConfiguration http, TernHttpServer.Settings settings) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setAcceptQueueSize(settings.acceptQueueSize());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.addBean(new RequestHeaderDeadline(settings.requestTimeout()));
        return connector;
    }
}
