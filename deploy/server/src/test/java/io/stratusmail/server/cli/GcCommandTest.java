package io.stratusmail.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.server.cli.Cli.Result;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stratus gc [--grace DURATION] [--dry-run]} as an operator runs it against the test Cassandra node: the
 * summary line, what it removes and keeps, and its exit codes (0 done, 2 could not run or bad usage).
 */
class GcCommandTest {

    static {
        Cli.fastDriverShutdown();
    }

    private static final String KEYSPACE = "it_gc_cli_" + UUID.randomUUID().toString().substring(0, 8);
    private static final CassandraStoreConfig CONFIG = CassandraStoreConfig.defaults(KEYSPACE);
    private static CqlSession session;
    private static CassandraStore store;

    @BeforeAll
    static void start() {
        session = Cli.session();
        SchemaMigrator.migrate(session, CONFIG);
        store = CassandraStore.open(session, CONFIG).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    private static Result stratus(String... args) {
        return Cli.onKeyspace(KEYSPACE, args);
    }

    private static long chunks(UUID blob) {
        return session.execute(SimpleStatement.newInstance("SELECT chunk FROM " + CONFIG.table("blob_chunks")
                + " WHERE blob_id = ? AND chunk = 0", blob)).all().size();
    }

    @Test
    void aDryRunReportsTheOrphanAndARealRunFreesItKeepingReferencedMessages() {
        Username user = new Username("gc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");
        Mailbox inbox = store.mailboxes().create(user, MailboxName.INBOX).toCompletableFuture().join();
        byte[] mail = "Subject: kept\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        long uid = store.messages().append(inbox, mail, Flags.EMPTY, Instant.parse("2024-01-02T03:04:05Z"))
                .toCompletableFuture().join().record().uid();
        StoredContent orphan = store.messages().storeContent("Subject: orphan\r\n\r\nx\r\n"
                .getBytes(StandardCharsets.US_ASCII)).toCompletableFuture().join();

        Result young = stratus("gc");
        assertThat(young.code()).isZero();
        assertThat(young.out()).matches("gc: scanned=\\d+ orphan_blobs=0 freed_bytes=0 stale_refs=0"
                + " deleted_mailboxes=0\\R");

        Result dry = stratus("gc", "--grace", "0s", "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("orphan_blobs=1 freed_bytes=" + orphan.size()).contains("dry_run=true");
        assertThat(chunks(orphan.id())).isEqualTo(1);

        Result run = stratus("gc", "--grace", "0s");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("gc: scanned=2 orphan_blobs=1 freed_bytes=" + orphan.size() + " ");
        assertThat(chunks(orphan.id())).isZero();
        assertThat(store.messages().content(inbox.id(), uid).toCompletableFuture().join()).contains(mail);
        assertThat(stratus("gc", "--grace", "0s").out()).contains("orphan_blobs=0");
    }

    @Test
    void aBadGraceIsAUsageErrorAndAMissingSchemaExitsTwo() {
        Result bad = stratus("gc", "--grace", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("'soon' is not a duration");
        assertThat(stratus("gc", "--grace", "31d").err()).contains("0 to 30 days");

        Result absent = Cli.onKeyspace("it_gc_absent", "gc");
        assertThat(absent.code()).isEqualTo(2);
        assertThat(absent.err()).startsWith("stratus: ").contains("stratus schema migrate");
    }
}
