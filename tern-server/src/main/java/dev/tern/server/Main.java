package dev.tern.server;

import dev.tern.server.cli.TernCli;

/** The {@code tern} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(TernCli.commandLine().execute(args));
    }
}
