package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tern.engine.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint on a loopback port: records every POST, answers 500 to the first {@code failFirst} of them (or to
 * all while {@link #down} is set), and checks each {@code Tern-Signature} against the secret the way a receiver should.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received: the raw body, its headers, whether the signature verified, and what we answered. */
    record Received(
            String body, JsonNode json, String deliveryId, String signature, boolean signatureValid, int answered) {}

    private final HttpServer server;
    private final String secret;
    private final AtomicInteger failuresLeft;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    volatile boolean down;

    WebhookReceiver(String secret, int failFirst) throws IOException {
        this.secret = secret;
        this.failuresLeft = new AtomicInteger(failFirst);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String signature = exchange.getRequestHeaders().getFirst("Tern-Signature");
            int status = down || failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            received.add(new Received(
                    body,
                    Json.MAPPER.readTree(body),
                    exchange.getRequestHeaders().getFirst("Tern-Delivery-Id"),
                    signature,
                    verify(signature, body),
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests we answered 2xx: the deliveries that arrived. */
    List<Received> accepted() {
        return received.stream().filter(r -> r.answered() < 300).toList();
    }

    /** What a receiver does: split {@code t=…,v1=…}, recompute HMAC-SHA256 over "t.body", compare in constant time. */
    boolean verify(String header, String body) {
        if (header == null) return false;
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) t = part.substring(2);
            if (part.startsWith("v1=")) v1 = part.substring(3);
        }
        if (t == null || v1 == null) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
