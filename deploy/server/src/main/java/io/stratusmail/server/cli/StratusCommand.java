package io.stratusmail.server.cli;

import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stratus}: the top-level command; every action is a subcommand. */
@Command(name = "stratus", mixinStandardHelpOptions = true, version = "Stratus 0.1.0-SNAPSHOT",
        description = "Cluster-scale IMAP/LMTP mail store on Apache Cassandra and OpenSearch.",
        subcommands = {DevCommand.class, ServeCommand.class, UserCommand.class, AliasCommand.class,
                DomainCommand.class, SchemaCommand.class, ClusterCommand.class, VerifyCommand.class,
                GcCommand.class})
public final class StratusCommand {

    /** Exit code of a command that ran and failed (a refusal, an unknown name, Cassandra unavailable). */
    public static final int FAILED = 1;

    /**
     * The command line as {@code ./stratus} runs it. Exit codes: 0 done, {@value #FAILED} refused or failed
     * (one line {@code stratus: <reason>} on stderr), 2 bad usage (picocli's message and the usage help).
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StratusCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((error, command, parseResult) -> report(command, error, FAILED));
        return cl;
    }

    /** Prints {@code stratus: <reason>} for {@code error} on the command's stderr; returns {@code exitCode}. */
    static int report(CommandLine command, Throwable error, int exitCode) {
        command.getErr().println("stratus: " + describe(error));
        command.getErr().flush();
        return exitCode;
    }

    private static String describe(Throwable error) {
        if (error instanceof StorageUnavailableException || StorageErrors.isUnavailable(error)) {
            return "Cassandra unavailable: " + error.getMessage();
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.toString() : message;
    }
}
