package dev.tern.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tern}: start a server, or talk to one. */
@Command(
        name = "tern",
        mixinStandardHelpOptions = true,
        version = "tern 0.1.0",
        description = "Durable execution server for AI agents and workflows.",
        subcommands = {
            ServerCommand.class,
            InitCommand.class,
            RunCommand.class,
            RunsCommand.class,
            SendCommand.class,
            AnswerCommand.class,
            SchedulesCommand.class,
            CheckUpgradeCommand.class
        })
public final class TernCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required: server, init, run, runs, send, answer or schedules");
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TernCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                commandLine.getErr().println("tern: " + c.getMessage());
                return c.exitCode();
            }
            commandLine.getErr().println("tern: " + e);
            return 1;
        });
        return cli;
    }
}
