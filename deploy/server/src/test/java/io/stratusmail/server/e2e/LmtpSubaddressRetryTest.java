package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * LMTP on real nodes and the real Cassandra: a subaddress delivers into the mailbox its detail names, and an
 * MTA retrying the same message through a second LMTP node (the first {@code 250} lost) gets {@code 250} again
 * while the message is stored once (the duplicate record is in Cassandra, not in a node's memory).
 */
class LmtpSubaddressRetryTest {

    /** Sends one transaction to {@code rcpt} over a new connection; returns the reply after DATA. */
    private static String deliver(InetSocketAddress lmtp, String rcpt, String message) throws Exception {
        try (Socket socket = new Socket(lmtp.getAddress(), lmtp.getPort())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write(("LHLO mta.example.org\r\nMAIL FROM:<sender@example.org>\r\nRCPT TO:<" + rcpt
                    + ">\r\nDATA\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            assertThat(in.readLine()).startsWith("250 2.1.0");
            assertThat(in.readLine()).startsWith("250 2.1.5");
            assertThat(in.readLine()).startsWith("354 ");
            out.write((message + ".\r\nQUIT\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return in.readLine();
        }
    }

    private static String selectCount(Username user, String mailbox) throws Exception {
        try (ImapSession s = new ImapSession(TestNode.shared().imapAddress())) {
            assertThat(s.send("a login " + user.value() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("a OK");
            return s.send("b examine " + mailbox).stream().filter(l -> l.endsWith(" EXISTS")).findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void aRetryThroughAnotherNodeToASubaddressIsStoredOnceInTheDetailsMailbox() throws Exception {
        StratusNode first = TestNode.shared();
        Username user = TestNode.newUser("plus");
        first.mailboxes().create(user, new MailboxName("Work")).toCompletableFuture().get();
        String local = user.value().substring(0, user.value().indexOf('@'));
        String subaddress = local + "+work@example.test";
        String message = "Received: from mx.example.org by mta.example.org with ESMTP id " + UUID.randomUUID()
                + "\r\nFrom: boss@example.org\r\nSubject: retried\r\n\r\nPlease read.\r\n";

        assertThat(deliver(first.lmtpAddress(), subaddress, message)).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        try (StratusNode second = StratusNode.start(TestNode.config(TestNode.keyspace(),
                EnumSet.of(NodeConfig.Service.LMTP)))) {
            assertThat(deliver(second.lmtpAddress(), subaddress, message))
                    .matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved \\(already delivered\\)");
        }

        assertThat(selectCount(user, "Work")).isEqualTo("* 1 EXISTS");
        assertThat(selectCount(user, "INBOX")).isEqualTo("* 0 EXISTS");
        try (ImapSession s = new ImapSession(first.imapAddress())) {
            s.send("a login " + user.value() + " " + new String(TestNode.password(user)));
            s.send("b examine Work");
            assertThat(String.join("\n", s.send("c fetch 1 (BODY.PEEK[HEADER.FIELDS (DELIVERED-TO)])")))
                    .contains("Delivered-To: " + subaddress);
        }
    }
}
