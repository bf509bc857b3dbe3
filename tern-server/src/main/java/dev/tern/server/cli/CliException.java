package dev.tern.server.cli;

/** A command that cannot go on: its message is printed as is, with its exit code (2 = bad arguments). */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliException badArgument(String message) {
        return new CliException(2, message);
    }
}
