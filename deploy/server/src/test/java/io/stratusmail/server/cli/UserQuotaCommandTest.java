package io.stratusmail.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.server.cli.Cli.Result;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stratus user quota} as an operator types it, against the test Cassandra node: setting limits, showing
 * them with the exact usage, and the errors for bad sizes and unknown users (exit 2 and 1).
 */
class UserQuotaCommandTest {

    static {
        Cli.fastDriverShutdown();
    }

    private static final String KEYSPACE = "it_cli_quota_" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "q-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    private static CqlSession session() {
        return Cli.session();
    }

    @AfterAll
    static void dropKeyspace() {
        try (CqlSession session = session()) {
            session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        }
    }

    private static Result stratus(String... args) {
        return Cli.onKeyspace(KEYSPACE, args);
    }

    @Test
    void limitsAreSetAndShownWithTheExactUsage() throws Exception {
        assertThat(stratus("user", "add", user, "--password", "pw").code()).isZero();
        assertThat(stratus("user", "quota", user)).isEqualTo(new Result(0, "user " + user + "\n"
                + "  storage:  limit node default, usage 0 octets\n"
                + "  messages: limit node default, usage 0\n", ""));

        try (CqlSession session = session()) {
            CassandraStore store = CassandraStore.open(session, CassandraStoreConfig.defaults(KEYSPACE))
                    .toCompletableFuture().get();
            Mailbox inbox = store.mailboxes().ensureInbox(Username.of(user)).toCompletableFuture().get();
            store.messages().append(inbox, "Subject: a\r\n\r\n12345\r\n".getBytes(StandardCharsets.US_ASCII),
                    Flags.EMPTY, Instant.now()).toCompletableFuture().get();
        }

        assertThat(stratus("user", "quota", user.toUpperCase(), "--storage", "500M", "--messages", "1000"))
                .isEqualTo(new Result(0, "user " + user + ": quota set\nuser " + user + "\n"
                        + "  storage:  limit 500M (524288000 octets), usage 21 octets\n"
                        + "  messages: limit 1000, usage 1\n", ""));
        // one resource changed, the other kept
        assertThat(stratus("user", "quota", user, "--storage", "2gib").out())
                .contains("storage:  limit 2G (2147483648 octets)", "messages: limit 1000,");
        assertThat(stratus("user", "quota", user, "--messages", "default").out())
                .contains("storage:  limit 2G", "messages: limit node default,");
        assertThat(stratus("user", "quota", user, "--unlimited").out())
                .contains("storage:  limit unlimited,", "messages: limit unlimited,");
    }

    @Test
    void badInputIsAUsageErrorAndAnUnknownUserIsRefused() {
        assertThat(stratus("user", "add", user, "--password", "pw").code()).isZero();

        Result badSize = stratus("user", "quota", user, "--storage", "12X");
        assertThat(badSize.code()).isEqualTo(2);
        assertThat(badSize.err()).startsWith("--storage: invalid size '12X': expected octets or a number with K");

        Result negative = stratus("user", "quota", user, "--messages", "-3");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).startsWith("--messages: invalid message count '-3'");

        Result tooLarge = stratus("user", "quota", user, "--storage", "9999999999T");
        assertThat(tooLarge.code()).isEqualTo(2);
        assertThat(tooLarge.err()).startsWith("--storage: size '9999999999T' is too large");

        Result both = stratus("user", "quota", user, "--unlimited", "--messages", "3");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).startsWith("--unlimited cannot be combined with --storage or --messages");

        String ghost = "ghost-" + user;
        Result unknown = stratus("user", "quota", ghost, "--messages", "3");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("stratus: unknown user " + ghost + "\n");

        // nothing was changed by the refused commands
        assertThat(stratus("user", "quota", user).out()).contains("storage:  limit node default,",
                "messages: limit node default,");
    }

    @Test
    void sizesParseWithBinarySuffixes() {
        assertThat(QuotaArguments.octets("1024")).isEqualTo(1024);
        assertThat(QuotaArguments.octets("10k")).isEqualTo(10 * 1024);
        assertThat(QuotaArguments.octets("500MB")).isEqualTo(500L << 20);
        assertThat(QuotaArguments.octets("2 GiB")).isEqualTo(2L << 30);
        assertThat(QuotaArguments.octets("1T")).isEqualTo(1L << 40);
        assertThat(QuotaArguments.storage("Unlimited")).isEqualTo(QuotaLimit.UNLIMITED);
        assertThat(QuotaArguments.storage("default")).isEqualTo(QuotaLimit.DEFAULT);
        assertThat(QuotaArguments.human(524288000)).isEqualTo("500M");
        assertThat(QuotaArguments.human(1000)).isEqualTo("1000");
        for (String bad : List.of("", "M", "1.5G", "-1", "12 X", "0x10", "iB", "5iB")) {
            assertThatThrownBy(() -> QuotaArguments.octets(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
