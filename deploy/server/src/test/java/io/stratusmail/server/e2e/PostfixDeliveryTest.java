package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MTA in front of Stratus: a private Postfix instance (Debian's postfix) accepts mail over SMTP from
 * Python's smtplib and delivers it by LMTP (RFC 2033) to Stratus nodes on the shared test keyspace; the mail is
 * read back over IMAP with Angus Mail, and Postfix's own log tells what LMTP answered.
 *
 * <p>Needs Postfix installed ({@code src/test/resources/postfix/install.sh}, run by {@code .ci/run}) and root
 * (Postfix's master daemon); without them the test fails and says why.
 */
class PostfixDeliveryTest {

    private static final String DOMAIN = "example.test";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private static Username alice;
    private static Username bob;
    private static Username carol;
    /** Where the restartable Stratus LMTP listener for carol's mail listens. */
    private static int restartableLmtpPort;
    private static PostfixInstance postfix;

    @TempDir
    Path work;

    @BeforeAll
    static void startPostfix() throws Exception {
        alice = TestNode.newUser("alice");
        bob = TestNode.newUser("bob");
        carol = TestNode.newUser("carol");
        String sharedLmtp = "lmtp:inet:127.0.0.1:" + TestNode.shared().lmtpAddress().getPort();
        restartableLmtpPort = PostfixInstance.freePort();
        postfix = PostfixInstance.start(DOMAIN, Map.of(
                alice.value(), sharedLmtp,
                bob.value(), sharedLmtp,
                carol.value(), "lmtp:inet:127.0.0.1:" + restartableLmtpPort));
    }

    @AfterAll
    static void stopPostfix() {
        if (postfix != null) {
            postfix.close();
        }
    }

    @Test
    void oneSmtpTransactionToTwoUsersReachesBothInboxesThroughPostfixAndLmtp() throws Exception {
        byte[] message = message("Grüße through Postfix", "Hällo from smtplib, relayed by Postfix over LMTP.");
        String queueId = submit(message, List.of(alice, bob), true);

        // Postfix's log: both recipients sent by its lmtp client, in one LMTP transaction (one Stratus id)
        String lmtpRelay = "relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + TestNode.shared().lmtpAddress().getPort();
        String aliceLine = postfix.awaitLog(sent(queueId, alice, lmtpRelay), DELIVERY_TIMEOUT);
        String bobLine = postfix.awaitLog(sent(queueId, bob, lmtpRelay), DELIVERY_TIMEOUT);
        String stratusId = stratusId(aliceLine);
        assertThat(stratusId(bobLine)).isEqualTo(stratusId);
        postfix.awaitLog(Pattern.compile("postfix/qmgr\\[\\d+\\]: " + queueId + ": removed"), DELIVERY_TIMEOUT);

        for (Username user : List.of(alice, bob)) {
            List<byte[]> inbox = inbox(user);
            assertThat(inbox).as("INBOX of %s", user).hasSize(1);
            String stored = new String(inbox.get(0), StandardCharsets.UTF_8);
            // Stratus' trace fields first: the sender, the recipient, LMTP from Postfix (SMTPUTF8 passed on)
            assertThat(stored).startsWith("Return-Path: <sender@example.org>\r\n"
                    + "Delivered-To: " + user.value() + "\r\n"
                    + "Received: from " + PostfixInstance.HOSTNAME + " ([127.0.0.1])\r\n"
                    + "\tby stratus-test with UTF8LMTP id " + stratusId + ";\r\n");
            // then Postfix's own Received field (UTF8SMTP: ESMTP with SMTPUTF8, RFC 6531 section 3.7.3), then
            // the message as smtplib sent it
            assertThat(stored).containsPattern("\r\nReceived: from client\\.example\\.test \\(localhost \\[127\\.0\\.0\\.1]\\)"
                    + "\r\n\tby " + Pattern.quote(PostfixInstance.HOSTNAME) + " \\(Postfix\\) with UTF8SMTP id "
                    + queueId);
            assertThat(inbox.get(0)).endsWith(message);
        }
    }

    @Test
    void withTheLmtpListenerDownPostfixKeepsTheMailQueuedAndDeliversItOnceItIsBack() throws Exception {
        StratusNode lmtpNode = startLmtpNode();
        String first;
        try {
            first = submit(message("first", "Delivered while the listener is up."), List.of(carol), false);
            postfix.awaitLog(sent(first, carol, ".*"), DELIVERY_TIMEOUT);
        } finally {
            lmtpNode.close(); // the Stratus LMTP listener stops
        }

        String second = submit(message("second", "Sent while the LMTP listener is down."), List.of(carol), false);
        Pattern deferred = Pattern.compile("postfix/lmtp\\[\\d+\\]: " + second + ": to=<" + Pattern.quote(carol.value())
                + ">, .*status=deferred");
        postfix.awaitLog(deferred, DELIVERY_TIMEOUT);
        assertThat(postfix.queue()).contains(second).contains(carol.value());
        // retrying while it is still down changes nothing: still queued, nothing delivered
        postfix.flush();
        awaitCount(deferred, 2);
        assertThat(postfix.queue()).contains(second);
        assertThat(subjects(carol)).containsExactly("first");

        lmtpNode = startLmtpNode(); // back, on the same port
        try {
            postfix.flush();
            postfix.awaitLog(sent(second, carol, ".*"), DELIVERY_TIMEOUT);
            postfix.awaitLog(Pattern.compile("postfix/qmgr\\[\\d+\\]: " + second + ": removed"), DELIVERY_TIMEOUT);
            assertThat(postfix.queue()).contains("Mail queue is empty");
            // a further flush has nothing to deliver: each message is in the INBOX exactly once
            postfix.flush();
            Thread.sleep(2000);
            assertThat(postfix.logLines(sent(first, carol, ".*"))).hasSize(1);
            assertThat(postfix.logLines(sent(second, carol, ".*"))).hasSize(1);
            assertThat(subjects(carol)).containsExactly("first", "second");
        } finally {
            lmtpNode.close();
        }
    }

    /** An LMTP-only Stratus node on the shared keyspace, listening on {@link #restartableLmtpPort}. */
    private static StratusNode startLmtpNode() {
        CassandraEndpoint c = TestCluster.cassandra();
        return StratusNode.start(new NodeConfig(c.host() + ":" + c.port(), c.localDatacenter(), TestNode.keyspace(), 1,
                TestCluster.opensearch().toString(), EnumSet.of(NodeConfig.Service.LMTP), "127.0.0.1", 0,
                "127.0.0.1", restartableLmtpPort, "stratus-test"));
    }

    /** A Postfix lmtp log line: {@code queueId} sent to {@code user} through a relay matching {@code relay}. */
    private static Pattern sent(String queueId, Username user, String relay) {
        return Pattern.compile("postfix/lmtp\\[\\d+\\]: " + queueId + ": to=<" + Pattern.quote(user.value()) + ">, "
                + relay + ".*, status=sent \\(250 2\\.0\\.0 ([0-9A-Z]{16}) Saved\\)");
    }

    private static String stratusId(String sentLine) {
        Matcher m = Pattern.compile("status=sent \\(250 2\\.0\\.0 ([0-9A-Z]{16}) Saved\\)").matcher(sentLine);
        assertThat(m.find()).as(sentLine).isTrue();
        return m.group(1);
    }

    private static void awaitCount(Pattern pattern, int count) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (postfix.logLines(pattern).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(postfix.logLines(pattern)).hasSizeGreaterThanOrEqualTo(count);
    }

    private static byte[] message(String subject, String body) {
        return ("From: Sender <sender@example.org>\r\n"
                + "To: undisclosed-recipients:;\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + System.nanoTime() + "@client.example.test>\r\n"
                + "Date: Mon, 2 Jun 2025 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Submits {@code message} to Postfix with smtplib in one SMTP transaction; returns Postfix's queue id. */
    private String submit(byte[] message, List<Username> recipients, boolean smtputf8) throws Exception {
        Path script = work.resolve("smtp_submit.py");
        try (InputStream in = PostfixDeliveryTest.class.getResourceAsStream("/postfix/smtp_submit.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path eml = Files.write(work.resolve("message-" + System.nanoTime() + ".eml"), message);
        List<String> command = new ArrayList<>(List.of("python3", script.toString(), "127.0.0.1",
                Integer.toString(postfix.smtp().getPort()), "sender@example.org",
                String.join(",", recipients.stream().map(Username::value).toList()), eml.toString()));
        if (smtputf8) {
            command.add("SMTPUTF8");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("smtp_submit.py finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).matches("queued [0-9A-F]+");
        return output.substring("queued ".length());
    }

    /** The user's INBOX over IMAP with Angus Mail: each message's octets, ascending by UID. */
    private static List<byte[]> inbox(Username user) throws Exception {
        Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user));
        try {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            List<byte[]> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                m.writeTo(bytes);
                out.add(bytes.toByteArray());
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    private static List<String> subjects(Username user) throws Exception {
        Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user));
        try {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            List<String> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(m.getSubject());
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
