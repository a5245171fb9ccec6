package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every LMTP reply code a client meets (issue 5 acceptance), sent by a real client, Python's {@code smtplib.LMTP},
 * to a real node on the real Cassandra; after each exchange the test reads the recipients' INBOX over IMAP to
 * prove that exactly what was acknowledged was stored, and nothing else. The node runs small limits so each can be
 * reached: 64 KiB messages, 2000-octet data lines, 3 recipients, 4 connections, strict line endings, a 3 s
 * command timeout and a 1 s data timeout.
 */
class LmtpReplyCodesTest {

    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final String UNSENT = "never stored";

    private static StratusNode node;
    private static String host;
    private static String port;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        CassandraEndpoint c = TestCluster.cassandra();
        LmtpConfig lmtp = LmtpConfig.defaults("stratus-test")
                .withLimits(MAX_MESSAGE_SIZE, 1000, 2000, 3, 4)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withLineEndings(LmtpConfig.LineEndings.STRICT);
        node = StratusNode.start(new NodeConfig(c.host() + ":" + c.port(), c.localDatacenter(),
                "it_lmtp_codes_" + UUID.randomUUID().toString().substring(0, 8), 1, null,
                EnumSet.allOf(NodeConfig.Service.class), "127.0.0.1", 0, "127.0.0.1", 0, "stratus-test")
                .withLmtp(lmtp));
        host = node.lmtpAddress().getHostString();
        port = Integer.toString(node.lmtpAddress().getPort());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    // ---- helpers ----

    private static Username newUser(String prefix) throws Exception {
        Username user = Username.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
        node.accounts().createOrUpdate(user, ("pw-" + prefix).toCharArray()).toCompletableFuture().get();
        return user;
    }

    private static String password(Username user) {
        return "pw-" + user.value().substring(0, user.value().indexOf('-'));
    }

    /** The Subject of every message in the user's INBOX, by UID, read over IMAP. */
    private static List<String> inboxSubjects(Username user) throws IOException {
        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.send("a login " + user.value() + " " + password(user))).last().asString()
                    .startsWith("a OK");
            List<String> examine = s.send("b examine INBOX");
            assertThat(examine).last().asString().startsWith("b OK");
            if (examine.contains("* 0 EXISTS")) {
                return List.of();
            }
            List<String> subjects = new ArrayList<>();
            for (String line : s.send("c uid fetch 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")) {
                if (line.startsWith("Subject: ")) {
                    subjects.add(line.substring("Subject: ".length()));
                }
            }
            return subjects;
        }
    }

    private Path message(String subject, String body) throws IOException {
        return message(("From: sender@example.org\r\nTo: someone@example.test\r\nSubject: " + subject
                + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    private Path message(byte[] content) throws IOException {
        Path file = Files.createTempFile(work, "msg", ".eml");
        Files.write(file, content);
        return file;
    }

    /** Runs one scenario of lmtp_reply_codes.py; returns its lines "step code text". */
    private List<String> python(String scenario, Object... args) {
        List<String> argv = new ArrayList<>(List.of(host, port, scenario));
        for (Object a : args) {
            argv.add(a.toString());
        }
        return Clients.python(work, "lmtp_reply_codes.py", argv.toArray(new String[0]));
    }

    private static List<String> steps(List<String> lines, String step) {
        return lines.stream().filter(l -> l.startsWith(step + " ")).map(l -> l.substring(step.length() + 1))
                .toList();
    }

    // ---- success paths ----

    @Test
    void dataToTwoRecipientsGets250EachAndBothCanReadIt() throws Exception {
        Username alice = newUser("alice");
        Username bob = newUser("bob");
        List<String> out = python("deliver", message("two recipients", "Hello both.\r\n.dot line\r\n"),
                alice.value(), bob.value());
        assertThat(steps(out, "rcpt")).containsExactly("250 2.1.5 OK", "250 2.1.5 OK");
        assertThat(steps(out, "data")).hasSize(2)
                .allSatisfy(r -> assertThat(r).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
        assertThat(steps(out, "quit")).containsExactly("221 2.0.0 stratus-test closing connection");
        assertThat(inboxSubjects(alice)).containsExactly("two recipients");
        assertThat(inboxSubjects(bob)).containsExactly("two recipients");
    }

    @Test
    void bdatChunksGet250PerChunkAndOnePerRecipientAfterTheLast() throws Exception {
        Username alice = newUser("alice");
        Username bob = newUser("bob");
        List<String> out = python("bdat", message("chunked", "In two chunks.\r\n"), alice.value(), bob.value());
        assertThat(steps(out, "bdat")).singleElement().asString().matches("250 2\\.0\\.0 \\d+ octets received");
        assertThat(steps(out, "bdat-last")).hasSize(2)
                .allSatisfy(r -> assertThat(r).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
        assertThat(inboxSubjects(alice)).containsExactly("chunked");
        assertThat(inboxSubjects(bob)).containsExactly("chunked");
    }

    @Test
    void rsetNoopVrfyAndQuit() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("commands", alice.value());
        assertThat(steps(out, "rset")).containsExactly("250 2.0.0 OK");
        assertThat(steps(out, "data")).containsExactly("503 5.5.1 Need MAIL command first");
        assertThat(steps(out, "noop")).containsExactly("250 2.0.0 OK");
        assertThat(steps(out, "vrfy"))
                .containsExactly("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
        assertThat(steps(out, "quit")).containsExactly("221 2.0.0 stratus-test closing connection");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    // ---- bad input ----

    @Test
    void commandsBeforeLhloGet503AndHeloOrEhlo500() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("no-lhlo", alice.value());
        assertThat(steps(out, "mail")).containsExactly("503 5.5.1 Send LHLO first");
        assertThat(steps(out, "ehlo")).containsExactly("500 5.5.1 This is LMTP (RFC 2033): use LHLO");
        assertThat(steps(out, "helo")).containsExactly("500 5.5.1 This is LMTP (RFC 2033): use LHLO");
        assertThat(steps(out, "lhlo")).singleElement().asString().startsWith("250 stratus-test / PIPELINING");
        assertThat(steps(out, "rcpt")).containsExactly("503 5.5.1 Need MAIL command first");
        assertThat(steps(out, "data")).containsExactly("503 5.5.1 Need MAIL command first");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void bareLineFeedsAreRefusedInCommandsAndDataAndNothingIsStored() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("bare-lf", alice.value());
        assertThat(steps(out, "noop-bare-lf"))
                .containsExactly("500 5.5.2 Bare LF in command line; lines end with CRLF (RFC 5321 section 2.3.8)");
        assertThat(steps(out, "data")).containsExactly("354 Start mail input; end with <CRLF>.<CRLF>",
                "554 5.6.0 Message has a bare CR or LF; lines end with CRLF (RFC 5321 section 2.3.8)");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void invalidAddressesGet501AndUnknownRecipients550() throws Exception {
        Username alice = newUser("alice");
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        List<String> out = python("invalid-addresses", unknown, "someone@unknown-domain.invalid");
        assertThat(steps(out, "mail")).hasSize(2);
        assertThat(steps(out, "mail").get(0)).startsWith("501 5.1.7 Bad sender address syntax");
        assertThat(steps(out, "mail").get(1)).isEqualTo("250 2.1.0 OK");
        List<String> rcpt = steps(out, "rcpt");
        assertThat(rcpt).hasSize(4);
        assertThat(rcpt.get(0)).startsWith("501 5.1.3 Bad recipient address syntax");
        assertThat(rcpt.get(1)).startsWith("501 5.1.3 Bad recipient address syntax");
        assertThat(rcpt.get(2)).isEqualTo("550 5.1.1 <" + unknown + ">: user unknown");
        assertThat(rcpt.get(3)).startsWith("550 5.1.").contains("<someone@unknown-domain.invalid>");
        assertThat(steps(out, "data")).containsExactly("503 5.5.1 No valid recipients");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void overSizeGets552AtMailAndAfterDataAndNothingIsStored() throws Exception {
        Username alice = newUser("alice");
        Path big = message("too big", "x".repeat(100).concat("\r\n").repeat(MAX_MESSAGE_SIZE / 100 + 10));
        List<String> out = python("oversize", MAX_MESSAGE_SIZE + 1, big, alice.value());
        String tooBig = "552 5.3.4 Message size exceeds fixed maximum message size (" + MAX_MESSAGE_SIZE
                + " octets)";
        assertThat(steps(out, "mail")).containsExactly(tooBig, "250 2.1.0 OK");
        assertThat(steps(out, "data")).containsExactly(tooBig);
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void anOverlongDataLineGets554AndNothingIsStored() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("deliver", message("long line", "y".repeat(3000) + "\r\n"), alice.value());
        assertThat(steps(out, "data")).containsExactly("554 5.6.0 Message has a line longer than 2000 octets");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void aRecipientOverTheLimitGets452AndOnlyTheAcceptedOnesGetTheMessage() throws Exception {
        List<Username> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(newUser("r" + i));
        }
        List<String> out = python("too-many", message("four recipients", "Hi.\r\n"), users.get(0).value(),
                users.get(1).value(), users.get(2).value(), users.get(3).value());
        assertThat(steps(out, "rcpt")).containsExactly("250 2.1.5 OK", "250 2.1.5 OK", "250 2.1.5 OK",
                "452 4.5.3 Too many recipients");
        assertThat(steps(out, "data")).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("250 2.0.0 "));
        for (int i = 0; i < 3; i++) {
            assertThat(inboxSubjects(users.get(i))).containsExactly("four recipients");
        }
        assertThat(inboxSubjects(users.get(3))).isEmpty();
    }

    @Test
    void eightBitHeadersWithoutBody8bitmimeGet554AndWithItAreStored() throws Exception {
        Username alice = newUser("alice");
        byte[] utf8 = "From: sender@example.org\r\nSubject: caf\u00e9 cr\u00e8me\r\n\r\nHi.\r\n"
                .getBytes(StandardCharsets.UTF_8);
        List<String> out = python("eight-bit", message(utf8), alice.value());
        List<String> data = steps(out, "data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0)).isEqualTo("554 5.6.0 Message header has 8-bit octets but MAIL declared neither"
                + " BODY=8BITMIME nor SMTPUTF8 (RFC 6152, RFC 6531)");
        assertThat(data.get(1)).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        // exactly one copy: the one sent with BODY=8BITMIME
        assertThat(inboxSubjects(alice)).hasSize(1);
    }

    @Test
    void aConnectionDroppedMidDataStoresNothing() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("drop-mid-data", alice.value());
        assertThat(steps(out, "data")).containsExactly("354 Start mail input; end with <CRLF>.<CRLF>");
        // a complete message afterwards: once it is there, the dropped one would be there too if it were stored
        python("deliver", message("after the drop", "Complete.\r\n"), alice.value());
        assertThat(inboxSubjects(alice)).containsExactly("after the drop");
    }

    // ---- quota, limits and timeouts ----

    @Test
    void aFullAccountGets452AtRcptAndKeepsWhatItHad() throws Exception {
        Username alice = newUser("alice");
        node.quotaSettings().setQuota(alice, new UserQuota(QuotaLimit.UNLIMITED, QuotaLimit.of(1)))
                .toCompletableFuture().get();
        python("deliver", message("fits", "One.\r\n"), alice.value());
        List<String> out = python("deliver", message(UNSENT, "Two.\r\n"), alice.value());
        assertThat(steps(out, "rcpt")).singleElement().asString()
                .isEqualTo("452 4.2.2 <" + alice.value() + ">: mailbox full (quota exceeded), try again later");
        assertThat(inboxSubjects(alice)).containsExactly("fits");
    }

    @Test
    void aConnectionOverTheLimitGets421() throws Exception {
        InetSocketAddress lmtp = node.lmtpAddress();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket(lmtp.getAddress(), lmtp.getPort());
                s.setSoTimeout(10_000);
                held.add(s);
                assertThat(firstLine(s.getInputStream())).startsWith("220 ");
            }
            List<String> out = python("limit");
            assertThat(steps(out, "greeting"))
                    .containsExactly("421 4.3.2 stratus-test Too many connections, try again later");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void silenceInsideDataGets421AndNothingIsStored() throws Exception {
        Username alice = newUser("alice");
        List<String> out = python("data-timeout", 2.5, alice.value());
        assertThat(steps(out, "timeout")).containsExactly(
                "421 4.4.2 stratus-test Timeout waiting for message data, transaction aborted");
        assertThat(inboxSubjects(alice)).isEmpty();
    }

    @Test
    void silenceBetweenCommandsGets421() {
        List<String> out = python("command-timeout", 5);
        assertThat(steps(out, "timeout")).containsExactly("421 4.4.2 stratus-test Idle timeout, closing connection");
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
