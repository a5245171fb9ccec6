package io.stratusmail.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.server.cli.Cli.Result;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The administration commands as an operator types them ({@code stratus user|alias|domain|schema ...}), run
 * in-process against the test Cassandra node: what they print and the exit codes (0 done, 1 refused or failed
 * with {@code stratus: <reason>}, 2 bad usage). The tests share one keyspace (a migration costs many seconds)
 * and use names of their own ({@code NAME-TAG@example.com}); the one that lists local domains removes them again.
 */
class AdminCommandsTest {


    static {
        Cli.fastDriverShutdown();
    }

    private static final String SHARED_KEYSPACE = "it_cli_" + UUID.randomUUID().toString().substring(0, 8);
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private String keyspace = SHARED_KEYSPACE;

    @AfterAll
    static void dropSharedKeyspace() {
        try (CqlSession session = Cli.session()) {
            session.execute("DROP KEYSPACE IF EXISTS " + SHARED_KEYSPACE);
        }
    }

    /** {@code name-TAG@domain}, unique to the test. */
    private String a(String name, String domain) {
        return name + "-" + tag + "@" + domain;
    }

    /** The lines of {@code text} that mention this test's tag. */
    private List<String> mine(String text) {
        return text.lines().filter(l -> l.contains(tag)).toList();
    }

    /** Runs {@code stratus ARGS --cassandra ... --keyspace <the test's>}. */
    private Result stratus(String... args) {
        return Cli.onKeyspace(keyspace, args);
    }

    private static Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void usersAreAddedListedGivenANewPasswordAndDeleted() {
        String alice = a("alice", "example.com");
        String bob = a("bob", "example.com");
        assertThat(stratus("user", "add", a("Alice", "Example.COM"), "--password", "one")).isEqualTo(
                new Result(0, "user " + alice + " created\n", ""));
        assertThat(stratus("user", "add", bob, "--password", "two").code()).isZero();
        assertThat(stratus("user", "add", alice.toUpperCase(), "--password", "again").out())
                .isEqualTo("user " + alice + ": password set\n");

        assertThat(mine(stratus("user", "list").out())).containsExactly(alice, bob);
        assertThat(stratus("user", "passwd", alice, "--password", "three").out())
                .isEqualTo("user " + alice + ": password changed\n");
        assertThat(stratus("user", "delete", a("Bob", "example.com")).out())
                .isEqualTo("user " + bob + " deleted with all its mail\n");
        assertThat(mine(stratus("user", "list").out())).containsExactly(alice);
    }

    @Test
    void userCommandsNameTheProblemAndExitNonZero() {
        String ghost = a("ghost", "example.com");
        Result passwd = stratus("user", "passwd", ghost, "--password", "x");
        assertThat(passwd.code()).isEqualTo(1);
        assertThat(passwd.err()).isEqualTo("stratus: unknown user " + ghost + "\n");

        Result delete = stratus("user", "delete", ghost);
        assertThat(delete.code()).isEqualTo(1);
        assertThat(delete.err()).isEqualTo("stratus: unknown user " + ghost + "\n");

        Result badAddress = stratus("user", "add", "two@at@example.com", "--password", "x");
        assertThat(badAddress.code()).isEqualTo(2);
        assertThat(badAddress.err()).startsWith("invalid address 'two@at@example.com': ");

        Result emptyPassword = stratus("user", "add", a("carol", "example.com"), "--password", "");
        assertThat(emptyPassword.code()).isEqualTo(2);
        assertThat(emptyPassword.err()).startsWith("--password must not be empty");

        assertThat(mine(stratus("user", "list").out())).isEmpty();
    }

    @Test
    void aliasesAreAddedListedAndDeletedAndLoopsAreRefused() {
        String alice = a("alice", "example.com");
        String sales = a("sales", "example.com");
        String info = a("info", "example.com");
        String old = "old-" + tag + ".example";
        String newer = "new-" + tag + ".example";
        stratus("user", "add", alice, "--password", "pw");

        assertThat(stratus("alias", "add", a("Sales", "example.com"), alice).out())
                .isEqualTo("alias " + sales + " -> " + alice + " saved\n");
        assertThat(stratus("alias", "add", info, sales).code()).isZero();
        assertThat(stratus("alias", "add", "@" + old, "@" + newer).code()).isZero();
        assertThat(mine(stratus("alias", "list").out())).containsExactly(
                "@" + old + " -> @" + newer, info + " -> " + sales, sales + " -> " + alice);

        Result loop = stratus("alias", "add", sales, info);
        assertThat(loop.code()).isEqualTo(1);
        assertThat(loop.err()).isEqualTo("stratus: alias loop: " + sales + " -> " + info + " -> " + sales + "\n");
        Result domainLoop = stratus("alias", "add", "@" + newer, "@" + old);
        assertThat(domainLoop.code()).isEqualTo(1);
        assertThat(domainLoop.err()).startsWith("stratus: alias loop: @" + newer + " -> @" + old);

        String ghost = a("ghost", "example.com");
        Result unknownTarget = stratus("alias", "add", a("x", "example.com"), ghost);
        assertThat(unknownTarget.code()).isEqualTo(1);
        assertThat(unknownTarget.err()).isEqualTo("stratus: target " + ghost + " is neither a user nor an alias of one\n");
        Result shadow = stratus("alias", "add", alice, sales);
        assertThat(shadow.code()).isEqualTo(1);
        assertThat(shadow.err()).contains(alice + " is a user");

        Result badSyntax = stratus("alias", "add", "@" + old, alice);
        assertThat(badSyntax.code()).isEqualTo(2);
        assertThat(badSyntax.err()).startsWith("a whole-domain alias maps @domain to @domain");

        assertThat(stratus("alias", "delete", info).out()).isEqualTo("alias " + info + " deleted\n");
        assertThat(stratus("alias", "delete", "@" + old).out()).isEqualTo("alias @" + old + " deleted\n");
        Result missing = stratus("alias", "delete", info);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("stratus: no alias " + info + "\n");
        assertThat(mine(stratus("alias", "list").out())).containsExactly(sales + " -> " + alice);
    }

    @Test
    void localDomainsRestrictNewUsersAndAliases() {
        String local = "local-" + tag + ".example";
        String other = "a-" + tag + ".example";
        assertThat(mine(stratus("domain", "list").out())).isEmpty();
        try {
            assertThat(stratus("domain", "add", local.toUpperCase()).out()).isEqualTo("domain " + local + " added\n");
            assertThat(stratus("domain", "add", local).out()).isEqualTo("domain " + local + " was local already\n");
            assertThat(stratus("domain", "add", other).code()).isZero();
            assertThat(stratus("domain", "list").out()).isEqualTo(other + "\n" + local + "\n");

            Result outside = stratus("user", "add", a("eve", "elsewhere.example"), "--password", "pw");
            assertThat(outside.code()).isEqualTo(1);
            assertThat(outside.err()).isEqualTo(
                    "stratus: domain elsewhere.example is not a local domain (add it first)\n");
            assertThat(stratus("user", "add", a("eve", local), "--password", "pw").code()).isZero();
            Result aliasOutside = stratus("alias", "add", a("x", "elsewhere.example"), a("eve", local));
            assertThat(aliasOutside.code()).isEqualTo(1);
            assertThat(aliasOutside.err()).contains("not a local domain");

            Result badDomain = stratus("domain", "add", "bad_domain.example");
            assertThat(badDomain.code()).isEqualTo(2);
            assertThat(badDomain.err()).startsWith("invalid domain 'bad_domain.example': ");
            assertThat(stratus("domain", "delete", other).out()).isEqualTo("domain " + other + " deleted\n");
            Result notLocal = stratus("domain", "delete", other);
            assertThat(notLocal.code()).isEqualTo(1);
            assertThat(notLocal.err()).isEqualTo("stratus: domain " + other + " is not a local domain\n");
        } finally {
            // the list applies to the whole shared keyspace: leave it empty for the other tests
            stratus("domain", "delete", local);
            stratus("domain", "delete", other);
        }
    }

    @Test
    void schemaMigrateCreatesTheKeyspaceWithTheGivenReplicationAndIsIdempotent() {
        keyspace = "it_cli_schema_" + tag;
        CassandraEndpoint c = TestCluster.cassandra();
        String replication = "NetworkTopologyStrategy:" + c.localDatacenter() + "=1";

        Result first = stratus("schema", "migrate", "--replication", replication);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("schema of keyspace " + keyspace + " is at version ");
        assertThat(stratus("schema", "migrate", "--replication", replication).code()).isZero();

        try (CqlSession session = CqlSessions.open(new CqlSessions.Settings(c.host() + ":" + c.port(),
                c.localDatacenter(), Duration.ofSeconds(10)))) {
            Row row = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                    keyspace).one();
            assertThat(row.getMap("replication", String.class, String.class))
                    .containsEntry(c.localDatacenter(), "1")
                    .hasEntrySatisfying("class", cls -> assertThat(cls).endsWith("NetworkTopologyStrategy"));
            assertThat(session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
                    keyspace).all()).extracting(r -> r.getString(0)).contains("users", "aliases", "local_domains");
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }

    @Test
    void badStoreOptionsAreUsageErrorsNamingTheOption() {
        Result replication = stratus("schema", "migrate", "--replication", "NetworkTopologyStrategy:dc1");
        assertThat(replication.code()).isEqualTo(2);
        assertThat(replication.err()).contains("--replication").contains("datacenter=factor");

        Result consistency = stratus("user", "list", "--consistency", "MOST");
        assertThat(consistency.code()).isEqualTo(2);
        assertThat(consistency.err()).contains("--consistency").contains("unknown consistency level 'MOST'");

        Result serialRole = stratus("user", "list", "--consistency", "SERIAL");
        assertThat(serialRole.code()).isEqualTo(2);
        assertThat(serialRole.err()).startsWith("consistency must not be a serial level");

        Result contactPoint = run("user", "list", "--cassandra", "localhost", "--keyspace", keyspace);
        assertThat(contactPoint.code()).isEqualTo(2);
        assertThat(contactPoint.err()).startsWith("invalid --cassandra 'localhost': ");
    }
}
