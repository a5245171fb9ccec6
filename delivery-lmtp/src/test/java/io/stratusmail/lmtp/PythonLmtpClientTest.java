package io.stratusmail.lmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Interoperability: Python's {@code smtplib.LMTP}, a client we did not write, delivers to two users. */
class PythonLmtpClientTest {

    /**
     * smtplib reads only one reply after DATA; RFC 2033 section 4.2 sends one per recipient, so the
     * script reads the second itself before QUIT.
     */
    private static final String SCRIPT = """
            import smtplib, sys
            host, port = sys.argv[1], int(sys.argv[2])
            msg = (b"From: Sender <sender@example.org>\\r\\n"
                   b"To: alice@example.com, bob@example.com\\r\\n"
                   b"Subject: from smtplib\\r\\n"
                   b"\\r\\n"
                   b"Hello from Python.\\r\\n"
                   b".a line that starts with a dot\\r\\n"
                   b"8-bit: \\xc3\\xa9\\r\\n")
            c = smtplib.LMTP(host, port, timeout=10)
            refused = c.sendmail("sender@example.org", ["alice@example.com", "bob@example.com"], msg,
                                 mail_options=["BODY=8BITMIME"])
            second = c.getreply()
            print("features", " ".join(sorted(c.esmtp_features)))
            print("refused", len(refused))
            print("second", second[0], second[1].decode())
            print("quit", c.quit()[0])
            """;

    private static final byte[] SENT = Wire.bytes("From: Sender <sender@example.org>\r\n"
            + "To: alice@example.com, bob@example.com\r\nSubject: from smtplib\r\n\r\nHello from Python.\r\n"
            + ".a line that starts with a dot\r\n8-bit: \u00c3\u00a9\r\n");

    @Test
    void smtplibDeliversToTwoRecipients() throws IOException, InterruptedException {
        try (TestServer server = new TestServer()) {
            Process python = new ProcessBuilder("python3", "-c", SCRIPT, "127.0.0.1",
                    Integer.toString(server.address.getPort())).redirectErrorStream(true).start();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.exitValue()).as(output).isZero();
            List<String> lines = output.lines().toList();
            assertThat(lines.get(0)).isEqualTo("features 8bitmime chunking enhancedstatuscodes pipelining size smtputf8");
            assertThat(lines.get(1)).isEqualTo("refused 0");
            assertThat(lines.get(2)).matches("second 250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            assertThat(lines.get(3)).isEqualTo("quit 221");

            for (String user : List.of("alice@example.com", "bob@example.com")) {
                List<byte[]> inbox = server.inbox(user);
                assertThat(inbox).hasSize(1);
                Wire.Stored stored = Wire.split(inbox.get(0));
                assertThat(stored.body()).isEqualTo(SENT);
                assertThat(stored.trace()).startsWith("Return-Path: <sender@example.org>\r\nDelivered-To: " + user);
            }
        }
    }

    /** The same message sent twice (a retry after a lost reply) to a subaddress: two 250s, one copy in Work. */
    private static final String RETRY_SCRIPT = """
            import smtplib, sys
            host, port = sys.argv[1], int(sys.argv[2])
            msg = b"From: a@example.org\\r\\nMessage-ID: <r1@example.org>\\r\\nSubject: retry\\r\\n\\r\\nHi.\\r\\n"
            for attempt in range(2):
                c = smtplib.LMTP(host, port, timeout=10)
                c.ehlo_or_helo_if_needed()
                c.mail("a@example.org")
                print("rcpt", c.rcpt("alice+Work@example.com")[0])
                code, text = c.data(msg)
                print("data", code, text.decode())
                c.quit()
            """;

    @Test
    void smtplibRetryToASubaddressIsStoredOnceInTheDetailsMailbox() throws IOException, InterruptedException {
        try (TestServer server = new TestServer(TestServer.config(),
                new io.stratusmail.mailbox.testing.InMemoryDeliveryLog())) {
            server.store.create(io.stratusmail.mailbox.user.Username.of("alice@example.com"),
                    new io.stratusmail.mailbox.MailboxName("Work")).toCompletableFuture().join();
            Process python = new ProcessBuilder("python3", "-c", RETRY_SCRIPT, "127.0.0.1",
                    Integer.toString(server.address.getPort())).redirectErrorStream(true).start();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.exitValue()).as(output).isZero();
            List<String> lines = output.lines().toList();
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo("rcpt 250");
            assertThat(lines.get(1)).matches("data 250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            assertThat(lines.get(2)).isEqualTo("rcpt 250");
            assertThat(lines.get(3)).matches("data 250 2\\.0\\.0 [0-9A-Z]{16} Saved \\(already delivered\\)");

            assertThat(server.mailbox("alice@example.com", "Work")).hasSize(1);
            assertThat(server.inbox("alice@example.com")).isEmpty();
        }
    }
}
