package io.stratusmail.server.cli;

import picocli.CommandLine.Command;

/** {@code stratus}: the top-level command; every action is a subcommand. */
@Command(name = "stratus", mixinStandardHelpOptions = true, version = "Stratus 0.1.0-SNAPSHOT",
        description = "Cluster-scale IMAP/LMTP mail store on Apache Cassandra and OpenSearch.",
        subcommands = {DevCommand.class, ServeCommand.class, UserCommand.class, ClusterCommand.class})
public final class StratusCommand {
}
