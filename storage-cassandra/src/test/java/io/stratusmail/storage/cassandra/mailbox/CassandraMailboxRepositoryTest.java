package io.stratusmail.storage.cassandra.mailbox;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxHasChildrenException;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.MailboxRepositoryContract;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.schema.Migration;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry contract on the real Cassandra node: two stores with their own sessions play two server nodes.
 * Plus what only this store has: the {@code deleted_mailboxes} record and rows written by older versions.
 */
class CassandraMailboxRepositoryTest extends MailboxRepositoryContract {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_mailboxes");
    private static CqlSession session;
    private static CqlSession otherSession;
    private static CassandraStore store;
    /** A second, independent store: what another server node would run. */
    private static CassandraStore otherStore;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        otherSession = CassandraFixture.openSession();
        store = CassandraFixture.store(session, CONFIG);
        otherStore = CassandraFixture.store(otherSession, CONFIG);
    }

    @AfterAll
    static void stop() {
        session.close();
        otherSession.close();
    }

    @Override
    protected MailboxRepository mailboxes() {
        return store.mailboxes();
    }

    @Override
    protected MailboxRepository otherNode() {
        return otherStore.mailboxes();
    }

    @Override
    protected MessageStore messages() {
        return store.messages();
    }

    @Test
    void registryMigrationRunsAgainWithoutErrorAfterAnInterruption() {
        Migration registry = SchemaMigrator.MIGRATIONS.stream().filter(m -> m.version() == 2).findFirst().orElseThrow();
        List<String> statements = registry.statements(CONFIG.keyspace());

        assertThat(statements).hasSize(5);
        statements.forEach(cql -> session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60))));
        assertThat(join(mailboxes().create(new Username("again-" + unique() + "@example.org"),
                new MailboxName("After")))).isNotNull();
    }

    @Test
    void deleteRecordsTheMailboxIdForTheCollector() {
        Username owner = new Username("gc-" + unique() + "@example.org");
        Mailbox doomed = join(mailboxes().create(owner, new MailboxName("Doomed")));

        join(mailboxes().delete(owner, new MailboxName("Doomed")));

        Row row = session.execute(SimpleStatement.newInstance("SELECT owner, name, uid_validity, deleted_at FROM "
                        + CONFIG.table("deleted_mailboxes") + " WHERE day = ? AND mailbox_id = ?",
                LocalDate.now(ZoneOffset.UTC), doomed.id().value())).one();
        assertThat(row).isNotNull();
        assertThat(row.getString("owner")).isEqualTo(owner.value());
        assertThat(row.getString("name")).isEqualTo("Doomed");
        assertThat(row.getLong("uid_validity")).isEqualTo(doomed.uidValidity());
        assertThat(join(mailboxes().findById(owner, doomed.id()))).isEmpty();
    }

    @Test
    void rowsWithoutTheirSuperiorNamesFromOlderVersionsListTheParentAsNoselect() {
        Username owner = new Username("old-" + unique() + "@example.org");
        UUID id = UUID.randomUUID();
        // What version 1 wrote for CREATE Archive/2019: no row for Archive.
        session.execute(SimpleStatement.newInstance("INSERT INTO " + CONFIG.table("mailboxes")
                + " (owner, name, id, uid_validity) VALUES (?, ?, ?, ?)", owner.value(), "Archive/2019", id, 7L));

        assertThat(join(mailboxes().listWithAttributes(owner))).extracting(l -> l.name() + " " + l.noselect())
                .containsExactly("Archive true", "Archive/2019 false");
        assertThat(CassandraFixture.failure(mailboxes().delete(owner, new MailboxName("Archive"))))
                .isInstanceOf(MailboxHasChildrenException.class);

        join(mailboxes().rename(owner, new MailboxName("Archive"), new MailboxName("Attic")));

        assertThat(join(mailboxes().list(owner))).extracting(m -> m.name().value() + " " + m.id().value() + " "
                + m.uidValidity()).containsExactly("Attic/2019 " + id + " 7");
        assertThat(join(mailboxes().create(owner, new MailboxName("Next"))).uidValidity()).isGreaterThan(7L);
    }
}
