package dev.tern.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --log-format} values, the server's {@code logback.xml}, and JSON replacing its console appender. */
class LogFormatTest {
    @Test
    void textOrJsonInAnyCaseBlankIsText() {
        assertThat(LogFormat.parse(null)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse("")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse("  ")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse("text")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse(" JSON ")).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.parse("logfmt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be text or json, was 'logfmt'");
    }

    @Test
    void theServersLogbackXmlLoadsWithoutErrors() throws Exception {
        LoggerContext context = serverConfiguration();
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.INFO);
            assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
            assertThat(root.getAppender("OUT")).isInstanceOf(ConsoleAppender.class);
            assertThat(((ConsoleAppender<ILoggingEvent>) root.getAppender("OUT")).getEncoder())
                    .isInstanceOf(PatternLayoutEncoder.class);
        } finally {
            context.stop();
        }
    }

    @Test
    void jsonReplacesTheRootConsoleAppenderWithAJsonOneOnTheSameStream() throws Exception {
        LoggerContext context = serverConfiguration();
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            Appender<ILoggingEvent> text = root.getAppender("OUT");
            LogFormat.JSON.apply(context);

            assertThat(appenders(root)).singleElement().isNotSameAs(text);
            assertThat(text.isStarted()).isFalse();
            ConsoleAppender<ILoggingEvent> json = (ConsoleAppender<ILoggingEvent>) root.getAppender("OUT");
            assertThat(json.isStarted()).isTrue();
            assertThat(json.getTarget()).isEqualTo("System.out");
            assertThat(json.getEncoder()).isInstanceOf(LayoutWrappingEncoder.class);
            assertThat(((LayoutWrappingEncoder<ILoggingEvent>) json.getEncoder()).getLayout())
                    .isInstanceOf(JsonLogLayout.class);

            LoggingEvent event =
                    new LoggingEvent(LogFormatTest.class.getName(), root, Level.INFO, "héllo ✓ \"x\"", null, null);
            event.setMDCPropertyMap(Map.of("runId", "run_1"));
            JsonNode line =
                    JsonLogLayoutTest.parse(new String(json.getEncoder().encode(event), StandardCharsets.UTF_8));
            assertThat(line.get("message").asText()).isEqualTo("héllo ✓ \"x\"");
            assertThat(line.get("runId").asText()).isEqualTo("run_1");

            LogFormat.TEXT.apply(context);
            assertThat(appenders(root)).containsExactly(json);
        } finally {
            context.stop();
        }
    }

    @Test
    void jsonAddsAStdoutAppenderWhenTheRootHasNoConsoleAppender() {
        LoggerContext context = new LoggerContext();
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            LogFormat.JSON.apply(context);
            assertThat(appenders(root)).singleElement().satisfies(a -> {
                assertThat(a).isInstanceOf(ConsoleAppender.class);
                assertThat(a.getName()).isEqualTo("JSON");
                assertThat(((ConsoleAppender<ILoggingEvent>) a).getTarget()).isEqualTo("System.out");
            });
        } finally {
            context.stop();
        }
    }

    /** A fresh context configured by the server's {@code logback.xml}, failing on any warning or error it reports. */
    private static LoggerContext serverConfiguration() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getClassLoader().getResource("logback.xml"));
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.WARN)
                .toList();
        assertThat(problems).as("what Logback reports on logback.xml").isEmpty();
        return context;
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
        List<Appender<ILoggingEvent>> out = new ArrayList<>();
        logger.iteratorForAppenders().forEachRemaining(out::add);
        return out;
    }
}
