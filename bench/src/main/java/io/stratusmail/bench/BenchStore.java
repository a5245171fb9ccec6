package io.stratusmail.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The Cassandra options of the storage benchmarks ({@code --cassandra host:port[/dc] --keyspace K}, the form
 * {@code stratus cluster run} writes to its env file) and what they open: a session and a migrated store on a
 * keyspace of the benchmark's own.
 */
final class BenchStore {

    @Option(names = "--cassandra", defaultValue = "${env:STRATUS_CASSANDRA}", required = true,
            description = "Cassandra contact point host:port[/datacenter] (env STRATUS_CASSANDRA).")
    String cassandra;

    @Option(names = "--keyspace", description = "Keyspace of the benchmark (created and migrated if missing).")
    String keyspace;

    @Option(names = "--page-size", description = "Rows per page of the store's partition scans (default: the"
            + " store's default).")
    Integer pageSize;

    /** Opens a session (request timeout 60 s: the bench's reads of big partitions are long). */
    CqlSession open() {
        String value = cassandra.strip();
        String dc = "datacenter1";
        int slash = value.lastIndexOf('/');
        if (slash >= 0) {
            dc = value.substring(slash + 1);
            value = value.substring(0, slash);
        }
        return CqlSessions.open(new CqlSessions.Settings(value, dc, Duration.ofSeconds(60), null, null));
    }

    CassandraStoreConfig config(String defaultKeyspace) {
        CassandraStoreConfig config = CassandraStoreConfig.defaults(keyspace == null ? defaultKeyspace : keyspace);
        return pageSize == null ? config : config.withPageSize(pageSize);
    }

    static CassandraStore store(CqlSession session, CassandraStoreConfig config) {
        SchemaMigrator.migrate(session, config);
        return join(CassandraStore.open(session, config));
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * A small realistic message (about 600 octets: the usual headers and a short text body), distinct per
     * {@code n} so no two share content.
     */
    static byte[] message(long n) {
        Instant date = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(n * 37);
        String text = "Return-Path: <sender" + (n % 97) + "@example.net>\r\n"
                + "Received: from mx.example.net by stratus.local with LMTP; " + date + "\r\n"
                + "From: Sender " + (n % 97) + " <sender" + (n % 97) + "@example.net>\r\n"
                + "To: Bench <bench@stratus.local>\r\n"
                + "Subject: Weekly report number " + n + "\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <" + n + ".bench@example.net>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Hello,\r\n\r\nthis is report " + n + ". Everything went as planned this week; the numbers are\r\n"
                + "attached below and the next meeting is on Monday.\r\n\r\n"
                + String.format(Locale.ROOT, "  processed=%d failed=%d latency_ms=%d%n", n * 13 % 10007, n % 7, n % 250)
                + "\r\nRegards,\r\nThe bench\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
