package dev.tern.server.cli;

import dev.tern.server.auth.TokenRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code kill -HUP} re-reads the tokens file at once (it is re-read on its own within a second of a change anyway).
 * Installed only when there is a tokens file: SIGHUP then no longer stops the JVM. Where the signal cannot be handled
 * (Windows, {@code -Xrs}) nothing is installed and the file is still re-read when it changes.
 */
final class HangupReload {
    private static final Logger log = LoggerFactory.getLogger(HangupReload.class);

    private HangupReload() {}

    static void install(TokenRegistry tokens) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                log.info("SIGHUP: re-reading the tokens file {}", tokens.file());
                tokens.reload();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP cannot be handled here ({}); the tokens file is re-read when it changes", e.getMessage());
        }
    }
}
