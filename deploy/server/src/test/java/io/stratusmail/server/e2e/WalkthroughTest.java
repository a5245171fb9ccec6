package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.StratusNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMAP session of a public walkthrough, unchanged, against the full stack (real Cassandra and OpenSearch,
 * mail delivered over LMTP by Python's smtplib), plus the bad input a user can send.
 */
class WalkthroughTest {

    @TempDir
    Path work;

    @Test
    void publicWalkthroughSessionWorksUnchanged() throws Exception {
        StratusNode node = TestNode.shared();
        Username user = TestNode.newUser("walk");
        byte[] m1 = "From: a@example.org\r\nTo: walk@example.test\r\nSubject: first\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] m2 = "From: b@example.org\r\nSubject: second\r\n\r\nworld\r\n".getBytes(StandardCharsets.US_ASCII);
        Clients.deliver(work, node.lmtpAddress(), Clients.plan(work, List.of(m1, m2),
                List.of(List.of(user.value()), List.of(user.value()))));

        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.greeting).startsWith("* OK");
            assertThat(s.send("01 login " + user.value() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("01 OK");
            assertThat(s.send("l list \"\" \"*\"")).anyMatch(l -> l.matches("\\* LIST \\(.*\\) \"/\" INBOX"))
                    .last().asString().startsWith("l OK");
            List<String> select = s.send("s select INBOX");
            assertThat(select).anyMatch(l -> l.startsWith("* FLAGS ("))
                    .contains("* 2 EXISTS")
                    .contains("* 2 RECENT") // the first session to see them (RFC 3501 2.3.2)
                    .anyMatch(l -> l.matches("\\* OK \\[UIDVALIDITY \\d+].*"))
                    .anyMatch(l -> l.matches("\\* OK \\[UIDNEXT 3].*"))
                    .anyMatch(l -> l.startsWith("* OK [PERMANENTFLAGS ("))
                    .anyMatch(l -> l.matches("\\* OK \\[HIGHESTMODSEQ \\d+].*"));
            assertThat(select.get(select.size() - 1)).startsWith("s OK [READ-WRITE]");
            List<String> fetch = s.send("f FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(String.join("\n", fetch))
                    .contains("* 1 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {")
                    .contains("Subject: first")
                    .contains("* 2 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {")
                    .contains("Subject: second");
            assertThat(fetch.get(fetch.size() - 1)).startsWith("f OK");
            List<String> store = s.send("d store 1 +FLAGS (\\Deleted)");
            assertThat(store).hasSize(2).first().isEqualTo("* 1 FETCH (FLAGS (\\Deleted \\Recent))");
            assertThat(store.get(1)).startsWith("d OK");
            assertThat(s.send("e expunge")).first().isEqualTo("* 1 EXPUNGE");
            assertThat(s.send("l logout")).first().asString().startsWith("* BYE");
        }
        try (ImapSession s = new ImapSession(node.imapAddress())) {
            s.send("a login " + user.value() + " " + new String(TestNode.password(user)));
            assertThat(s.send("b select INBOX")).contains("* 1 EXISTS");
            assertThat(String.join("\n", s.send("c fetch 1 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")))
                    .contains("UID 2").contains("Subject: second");
        }
    }

    @Test
    void badInputGetsBadAndTheSessionKeepsWorking() throws Exception {
        StratusNode node = TestNode.shared();
        Username user = TestNode.newUser("bad");
        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.send("a1 FROBNICATE")).last().asString().startsWith("a1 BAD");
            // a literal over the configured limit is refused before it is read: no continuation request
            s.write("a2 LOGIN {999999999999}\r\n");
            assertThat(s.readLine()).startsWith("a2 BAD");
            assertThat(s.send("a3 login " + user.value() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("a3 OK");
            assertThat(s.send("a4 fetch 0 (FLAGS)")).last().asString().startsWith("a4 BAD");
            assertThat(s.send("a5 NOOP")).last().asString().startsWith("a5 OK");
        }
    }
}
