package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's quota wiring over real sockets and the real Cassandra: the node default applies to a user without
 * own limits, LMTP refuses a full account at RCPT with the configured reply, IMAP reports the quota root and
 * refuses APPEND with {@code NO [OVERQUOTA]}; an own setting overrides the default.
 */
class QuotaNodeTest {

    private static StratusNode node;

    @BeforeAll
    static void start() {
        CassandraEndpoint c = TestCluster.cassandra();
        NodeConfig config = new NodeConfig(c.host() + ":" + c.port(), c.localDatacenter(),
                "it_quota_node_" + UUID.randomUUID().toString().substring(0, 8), 1, null,
                EnumSet.allOf(NodeConfig.Service.class), "127.0.0.1", 0, "127.0.0.1", 0, "stratus-test")
                .withQuota(new QuotaLimits(OptionalLong.empty(), OptionalLong.of(2)),
                        LmtpConfig.OverQuotaReply.PERMANENT);
        node = StratusNode.start(config);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A line-oriented client: sends lines, reads reply lines. */
    private static final class Lines implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Lines(InetSocketAddress address) throws Exception {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        void send(String text) throws Exception {
            out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        String line() throws Exception {
            return in.readLine();
        }

        /** Sends an IMAP command and returns every line up to its tagged reply. */
        List<String> imap(String tag, String command) throws Exception {
            send(tag + " " + command);
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = line();
                lines.add(line);
            } while (line != null && !line.startsWith(tag + " "));
            return lines;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static String deliver(Lines lmtp, Username to) throws Exception {
        lmtp.send("MAIL FROM:<sender@example.org>");
        assertThat(lmtp.line()).startsWith("250 ");
        lmtp.send("RCPT TO:<" + to + ">");
        String rcpt = lmtp.line();
        if (!rcpt.startsWith("250 ")) {
            lmtp.send("RSET");
            assertThat(lmtp.line()).startsWith("250 ");
            return rcpt;
        }
        lmtp.send("DATA");
        assertThat(lmtp.line()).startsWith("354 ");
        // Distinct octets each time: an identical message would be taken for an MTA retry and not stored again.
        lmtp.send("Subject: hello " + UUID.randomUUID() + "\r\n\r\nhi\r\n.");
        return lmtp.line();
    }

    @Test
    void theNodeDefaultIsEnforcedOverLmtpAndImapAndAnOwnSettingOverridesIt() throws Exception {
        Username user = Username.of("quota-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
        node.accounts().createOrUpdate(user, "pw".toCharArray()).toCompletableFuture().get();

        try (Lines lmtp = new Lines(node.lmtpAddress())) {
            assertThat(lmtp.line()).startsWith("220 ");
            lmtp.send("LHLO client.example");
            String line;
            do {
                line = lmtp.line();
            } while (line.startsWith("250-"));
            assertThat(deliver(lmtp, user)).startsWith("250 2.0.0 ");
            assertThat(deliver(lmtp, user)).startsWith("250 2.0.0 ");
            assertThat(deliver(lmtp, user)).isEqualTo("552 5.2.2 <" + user + ">: mailbox full (quota exceeded)");
        }

        try (Lines imap = new Lines(node.imapAddress())) {
            assertThat(imap.line()).startsWith("* OK");
            assertThat(imap.imap("a1", "LOGIN " + user + " pw")).last().asString().startsWith("a1 OK");
            assertThat(imap.imap("a2", "GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX \"\"",
                    "* QUOTA \"\" (MESSAGE 2 2)", "a2 OK GETQUOTAROOT completed");
            imap.send("a3 APPEND INBOX {12+}");
            imap.send("X: y\r\n\r\nhi\r\n");
            String reply;
            do {
                reply = imap.line();
            } while (!reply.startsWith("a3 "));
            assertThat(reply).startsWith("a3 NO [OVERQUOTA]");

            node.quotaSettings().setQuota(user, new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.UNLIMITED))
                    .toCompletableFuture().get();
            assertThat(imap.imap("a4", "GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX",
                    "a4 OK GETQUOTAROOT completed");
            imap.send("a5 APPEND INBOX {12+}");
            imap.send("X: y\r\n\r\nhi\r\n");
            do {
                reply = imap.line();
            } while (!reply.startsWith("a5 "));
            assertThat(reply).startsWith("a5 OK");
        }
        assertThat(node.quotas().usage(user).toCompletableFuture().get().messages()).isEqualTo(3);
    }
}
