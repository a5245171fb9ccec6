package io.stratusmail.server.cli;

import io.stratusmail.storage.cassandra.cql.CqlSessions;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The {@code --cassandra} value: {@code host:port[,host:port...]}, optionally followed by {@code /datacenter}
 * (the form {@code stratus cluster run} writes to its env file), which then overrides {@code --datacenter}.
 *
 * @param contactPoints {@code host:port[,host:port...]}
 * @param datacenter    the local datacenter
 */
record CassandraTarget(String contactPoints, String datacenter) {

    /** Parses the {@code --cassandra} option; a malformed value is a usage error naming it. */
    static CassandraTarget option(CommandLine commandLine, String text, String defaultDatacenter) {
        try {
            return parse(text, defaultDatacenter);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine,
                    "invalid --cassandra '" + text + "': " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when a contact point is not {@code host:port} */
    static CassandraTarget parse(String text, String defaultDatacenter) {
        String value = text.strip();
        String datacenter = defaultDatacenter;
        int slash = value.lastIndexOf('/');
        if (slash >= 0) {
            datacenter = value.substring(slash + 1).strip();
            value = value.substring(0, slash).strip();
        }
        if (datacenter.isEmpty()) {
            throw new IllegalArgumentException("empty datacenter in '" + text + "'");
        }
        // validates every host:port now, so a typo fails before any connection attempt
        new CqlSessions.Settings(value, datacenter, Duration.ofSeconds(1));
        return new CassandraTarget(value, datacenter);
    }
}
