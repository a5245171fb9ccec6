package io.stratusmail.server.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code stratus} commands in-process against the test Cassandra node, as an operator would. */
final class Cli {

    /** Exit code and the complete stdout and stderr of one command. */
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /**
     * Every command opens and closes a driver session; closing waits for 2 s of quiet on the driver's Netty loops
     * by default, which adds minutes to a test class. Call from the test class's static initialiser, before any
     * driver session exists. Nothing in the tests depends on that wait.
     */
    static void fastDriverShutdown() {
        System.setProperty("datastax-java-driver.advanced.netty.io-group.shutdown.quiet-period", "0");
        System.setProperty("datastax-java-driver.advanced.netty.admin-group.shutdown.quiet-period", "0");
    }

    /** {@code host:port/datacenter} of the test node, the form {@code --cassandra} takes. */
    static String cassandra() {
        CassandraEndpoint c = TestCluster.cassandra();
        return c.host() + ":" + c.port() + "/" + c.localDatacenter();
    }

    /** A new driver session to the test node (close it). */
    static CqlSession session() {
        CassandraEndpoint c = TestCluster.cassandra();
        return CqlSessions.open(new CqlSessions.Settings(c.host() + ":" + c.port(), c.localDatacenter(),
                Duration.ofSeconds(30)));
    }

    /** Runs {@code stratus ARGS --cassandra <the test node> --keyspace KEYSPACE}. */
    static Result onKeyspace(String keyspace, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--cassandra", cassandra(), "--keyspace", keyspace));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code stratus ARGS} exactly as given. */
    static Result run(String... args) {
        CommandLine cl = StratusCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
