package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tern.server.OtlpReceiver.ReceivedSpan;
import dev.tern.server.telemetry.ServerTelemetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerTelemetry#fromEnvironment} exports when only an OTLP endpoint is configured (OTLP/HTTP with
 * protobuf, to {@link OtlpReceiver}) and which service it names. The {@code OTEL_*} settings are given as the system
 * properties OpenTelemetry reads beside the variables ({@code otel.service.name} for {@code OTEL_SERVICE_NAME}), set
 * for one call at a time.
 */
class ServerTelemetryExportTest {
    @Test
    void exportsOverOtlpHttpProtobufAsTernUnlessTheServiceIsNamed() throws Exception {
        assumeTrue(
                System.getenv().keySet().stream().noneMatch(k -> k.startsWith("OTEL_")),
                "OTEL_* variables in the environment would override these settings");
        assertThat(exportedServiceName(Map.of())).isEqualTo("tern");
        assertThat(exportedServiceName(Map.of("otel.resource.attributes", "service.name=from-attributes,team=a")))
                .as("service.name in OTEL_RESOURCE_ATTRIBUTES")
                .isEqualTo("from-attributes");
        assertThat(exportedServiceName(Map.of(
                        "otel.service.name", "from-name", "otel.resource.attributes", "service.name=from-attributes")))
                .as("OTEL_SERVICE_NAME wins over OTEL_RESOURCE_ATTRIBUTES")
                .isEqualTo("from-name");
    }

    @Test
    void sendsLargerBatchesThanTheSdkUnlessTheBatchSizeIsSet() throws Exception {
        assumeTrue(
                System.getenv().keySet().stream().noneMatch(k -> k.startsWith("OTEL_")),
                "OTEL_* variables in the environment would override these settings");
        // 1,500 spans: one request with Tern's batch of 2,048 (the SDK's 512 would make three)
        assertThat(requestsFor(1_500, Map.of())).isEqualTo(1);
        assertThat(requestsFor(1_500, Map.of("otel.bsp.max.export.batch.size", "500")))
                .as("OTEL_BSP_MAX_EXPORT_BATCH_SIZE wins")
                .isEqualTo(3);
    }

    /** The export requests {@code count} spans took, ended at once and exported when the telemetry closes. */
    private static int requestsFor(int count, Map<String, String> settings) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> properties = new HashMap<>(settings);
            properties.put("otel.exporter.otlp.endpoint", receiver.endpoint());
            properties.put("otel.bsp.schedule.delay", "60000"); // no export on a timer: only full batches and close
            properties.forEach(System::setProperty);
            try {
                ServerTelemetry telemetry =
                        ServerTelemetry.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()));
                var tracer = telemetry.openTelemetry().getTracer("test");
                for (int i = 0; i < count; i++)
                    tracer.spanBuilder("span " + i).startSpan().end();
                telemetry.close();
            } finally {
                properties.keySet().forEach(System::clearProperty);
            }
            assertThat(receiver.spans()).hasSize(count);
            return receiver.requests();
        }
    }

    /** Exports one span with the endpoint and {@code settings} as system properties; the service it came from. */
    private static String exportedServiceName(Map<String, String> settings) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> properties = new HashMap<>(settings);
            properties.put("otel.exporter.otlp.endpoint", receiver.endpoint());
            properties.forEach(System::setProperty);
            try {
                ServerTelemetry telemetry =
                        ServerTelemetry.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()));
                telemetry
                        .openTelemetry()
                        .getTracer("test")
                        .spanBuilder("probe")
                        .startSpan()
                        .end();
                telemetry.close(); // exports what is buffered
            } finally {
                properties.keySet().forEach(System::clearProperty);
            }
            assertThat(receiver.rejected()).isEmpty();
            List<ReceivedSpan> spans = receiver.spans();
            assertThat(spans).extracting(ReceivedSpan::name).containsExactly("probe");
            return spans.getFirst().serviceName();
        }
    }
}
