package dev.tern.server.auth;

/**
 * A tokens file that cannot be used: its message names the file and the entry and field at fault (never a token's
 * value).
 */
public final class TokensFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TokensFileException(String message) {
        super(message);
    }
}
