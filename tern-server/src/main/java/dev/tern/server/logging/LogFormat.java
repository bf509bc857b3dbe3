package dev.tern.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** How the server writes its log: the pattern of {@code logback.xml} ({@code text}), or {@link JsonLogLayout}. */
public enum LogFormat {
    TEXT,
    JSON;

    /** {@code text} or {@code json} (any case); null or blank is {@code text}. */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) return TEXT;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("must be text or json, was '" + value + "'");
        };
    }

    /**
     * Makes the log this format. {@code text} leaves Logback's configuration as it is. {@code json} replaces each
     * console appender of the root logger with one writing {@link JsonLogLayout} lines to the same stream, or adds one
     * on stdout when the root logger has none.
     *
     * @throws IllegalStateException when SLF4J is not bound to Logback
     */
    public void apply() {
        if (this == TEXT) return;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context))
            throw new IllegalStateException("JSON logs need Logback; the logging backend is "
                    + factory.getClass().getName());
        apply(context);
    }

    /** {@link #apply()} on the given context. */
    void apply(LoggerContext context) {
        if (this == TEXT) return;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<ConsoleAppender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) consoles.add(console);
        }
        if (consoles.isEmpty()) {
            root.addAppender(jsonConsole(context, "JSON", "System.out"));
            return;
        }
        for (ConsoleAppender<ILoggingEvent> console : consoles) {
            root.addAppender(jsonConsole(context, console.getName(), console.getTarget()));
            root.detachAppender(console);
            console.stop();
        }
    }

    private static ConsoleAppender<ILoggingEvent> jsonConsole(LoggerContext context, String name, String target) {
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
