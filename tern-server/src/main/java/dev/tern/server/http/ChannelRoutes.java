package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.Releases;
import dev.tern.engine.TernEngine;
import java.util.List;

/**
 * Release channels: {@code GET /v1/channels} lists which revision each channel names per definition, {@code POST
 * /v1/channels/{name}} with {@code {"definition", "revision"}} points a channel at a revision loaded on a live node.
 * Channels are shared by every organisation of a server: they name code deployed on its nodes.
 */
final class ChannelRoutes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("definition", "revision");

    private final TernEngine engine;

    ChannelRoutes(TernEngine engine) {
        this.engine = engine;
    }

    void register(RouteRegistrar r) {
        r.get("/v1/channels", ctx -> {
            ObjectNode out = NODES.objectNode();
            ArrayNode list = out.putArray("channels");
            engine.releases().channels().forEach(c -> list.add(view(c)));
            ctx.json(out);
        });
        r.post("/v1/channels/{name}", ctx -> {
            ObjectNode body = Bodies.object(ctx);
            Bodies.requireKnownFields(body, FIELDS);
            Releases.Channel channel = engine.releases()
                    .setChannel(
                            ctx.pathParam("name"),
                            Bodies.requiredText(body, "definition"),
                            Bodies.requiredText(body, "revision"));
            ctx.json(view(channel));
        });
    }

    private static ObjectNode view(Releases.Channel c) {
        ObjectNode n = NODES.objectNode()
                .put("name", c.name())
                .put("definition", c.definition())
                .put("revision", c.revision());
        RunViews.putTime(n, "updatedAt", c.updatedAt());
        return n;
    }
}
