package io.stratusmail.storage.cassandra.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    private static List<String> tables(CqlSession session, String keyspace) {
        return session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
                .all().stream().map(r -> r.getString("table_name")).sorted().toList();
    }

    @Test
    void migrationFileSplitsIntoStatementsForTheKeyspace() {
        List<String> statements = SchemaMigrator.MIGRATIONS.get(0).statements("ks_x");

        assertThat(statements).hasSize(4).allSatisfy(s -> {
            assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS ks_x.").doesNotContain("${keyspace}", "--", ";");
        });
    }

    @Test
    void twoNodesMigratingANewKeyspaceAtOnceBothSucceedAndRecordVersionOneOnce() throws Exception {
        String keyspace = "it_schema_" + CassandraFixture.unique().replace('-', '_');
        CassandraStoreConfig config = CassandraFixture.config(keyspace);
        try (CqlSession a = CassandraFixture.openSession(); CqlSession b = CassandraFixture.openSession()) {
            CompletableFuture<Void> first = SchemaMigrator.migrateAsync(a, config).toCompletableFuture();
            CompletableFuture<Void> second = SchemaMigrator.migrateAsync(b, config).toCompletableFuture();
            // A fresh keyspace takes about 30 s for all migrations on a 2-core machine: more than join's 30 s.
            first.get(3, TimeUnit.MINUTES);
            second.get(3, TimeUnit.MINUTES);

            assertThat(tables(a, keyspace)).contains("blob_chunks", "mailboxes", "messages", "schema_version", "users",
                    "subscriptions", "deleted_mailboxes");
            List<Row> versions = a.execute("SELECT version, state, applied_at FROM " + keyspace + ".schema_version")
                    .all();
            // One row per migration: each version was applied once although both nodes ran the migrator.
            assertThat(versions).extracting(r -> r.getInt("version")).containsExactlyInAnyOrderElementsOf(
                    SchemaMigrator.MIGRATIONS.stream().map(Migration::version).toList());
            assertThat(versions).allSatisfy(r -> {
                assertThat(r.getString("state")).isEqualTo("done");
                assertThat(r.getInstant("applied_at")).isNotNull();
            });
            assertThat(a.checkSchemaAgreement()).isTrue();

            // Running it again (a node restart) changes nothing.
            SchemaMigrator.migrate(b, config);
            assertThat(a.execute("SELECT version FROM " + keyspace + ".schema_version").all())
                    .hasSize(SchemaMigrator.MIGRATIONS.size());
            a.execute("DROP KEYSPACE " + keyspace);
        }
    }

    @Test
    void keyspaceIsCreatedWithTheConfiguredReplication() {
        String keyspace = "it_schema_repl_" + CassandraFixture.unique().replace('-', '_');
        CassandraStoreConfig config = CassandraFixture.config(keyspace)
                .withReplication(CassandraStoreConfig.Replication.simple(1));
        try (CqlSession session = CassandraFixture.openSession()) {
            SchemaMigrator.migrate(session, config);

            Row row = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                    keyspace).one();
            assertThat(row.getMap("replication", String.class, String.class))
                    .containsEntry("replication_factor", "1")
                    .hasEntrySatisfying("class", c -> assertThat(c).endsWith("SimpleStrategy"));
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }
}
