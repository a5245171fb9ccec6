package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example exchanges of RFC 3501 section 6 not already covered by the other protocol tests (CREATE, DELETE,
 * RENAME, LSUB and STATUS are in {@link MailboxCommandsTest}, APPEND in {@link AppendTest}, SEARCH in
 * {@link SearchTest}), with the RFC's tags and commands; names, numbers and texts are adapted where the RFC's
 * mailbox differs (user names are addresses here, the hierarchy separator is {@code /}).
 */
class Rfc3501ExamplesTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username smith = server.user("smith@example.org", "sesame");
        inbox = server.mailbox(smith, "INBOX");
        server.mailbox(smith, "MEETING");
        server.mailbox(smith, "blurdybloop");
        for (int i = 1; i <= 11; i++) {
            String[] flags = switch (i) {
                case 2 -> new String[] {"\\Seen"};
                case 4 -> new String[] {"\\Flagged", "\\Seen"};
                default -> new String[0];
            };
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"), flags);
        }
        c = server.connect();
        c.readLine();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private void login() throws Exception {
        assertThat(c.command("a001", "LOGIN smith@example.org sesame")).singleElement().asString()
                .startsWith("a001 OK [CAPABILITY IMAP4rev1 ").endsWith("] LOGIN completed");
    }

    /** Selects INBOX after another session did, so no message is \Recent here and FLAGS are as stored. */
    private void selectInboxWithoutRecent() throws Exception {
        try (ImapTestClient other = server.login("smith@example.org", "sesame")) {
            other.command("s", "SELECT INBOX");
        }
        c.command("s", "SELECT INBOX");
    }

    @Test
    void capabilityNoopAndLogout() throws Exception {
        // 6.1.1: C: abcd CAPABILITY  S: * CAPABILITY IMAP4rev1 ... S: abcd OK CAPABILITY completed
        List<String> caps = c.command("abcd", "CAPABILITY");
        assertThat(caps).hasSize(2);
        assertThat(caps.get(0)).startsWith("* CAPABILITY IMAP4rev1 ").contains(" AUTH=PLAIN");
        assertThat(caps.get(1)).isEqualTo("abcd OK CAPABILITY completed");
        // 6.1.2: C: a002 NOOP  S: a002 OK NOOP completed
        assertThat(c.command("a002", "NOOP")).containsExactly("a002 OK NOOP completed");
        login();
        selectInboxWithoutRecent();
        // C: a047 NOOP  S: * 22 EXPUNGE  S: * 23 EXISTS  S: * 3 RECENT  S: * 14 FETCH (FLAGS (\Seen \Deleted))
        try (ImapTestClient other = server.login("smith@example.org", "sesame")) {
            other.command("s", "SELECT INBOX");
            other.command("t", "STORE 10 +FLAGS.SILENT (\\Deleted)");
            other.command("d", "UID EXPUNGE 10");
            other.command("f", "STORE 9 +FLAGS.SILENT (\\Seen \\Deleted)");
        }
        server.append(inbox, ImapTestServer.message("m12", "twelve\r\n"));
        List<String> noop = c.command("a047", "NOOP");
        assertThat(noop.subList(0, noop.size() - 1)).containsExactlyInAnyOrder("* 10 EXPUNGE", "* 11 EXISTS",
                "* 1 RECENT", "* 9 FETCH (FLAGS (\\Deleted \\Seen))");
        assertThat(noop).last().isEqualTo("a047 OK NOOP completed");
        assertThat(noop.indexOf("* 10 EXPUNGE")).as("EXPUNGE renumbers before EXISTS counts")
                .isLessThan(noop.indexOf("* 11 EXISTS"));
        // 6.1.3: C: A023 LOGOUT  S: * BYE ...  S: A023 OK LOGOUT completed (then the server closes)
        List<String> bye = c.command("A023", "LOGOUT");
        assertThat(bye.get(0)).startsWith("* BYE ");
        assertThat(bye).last().isEqualTo("A023 OK LOGOUT completed");
        assertThat(c.isClosedByServer()).isTrue();
    }

    @Test
    void selectAndExamine() throws Exception {
        login();
        // 6.3.1: C: A142 SELECT INBOX ... S: A142 OK [READ-WRITE] SELECT completed
        List<String> select = c.command("A142", "SELECT INBOX");
        assertThat(select).contains("* 11 EXISTS", "* 11 RECENT", "* OK [UNSEEN 1] First unseen",
                "* OK [UIDVALIDITY " + inbox.uidValidity() + "] UIDs valid", "* OK [UIDNEXT 12] Predicted next UID");
        assertThat(select.get(0)).isEqualTo("* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen)");
        assertThat(select).anyMatch(l -> l.startsWith("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted "
                + "\\Seen \\Draft \\*)]"));
        assertThat(select).last().isEqualTo("A142 OK [READ-WRITE] SELECT completed");
        // 6.3.2: C: A932 EXAMINE blurdybloop ... S: A932 OK [READ-ONLY] EXAMINE completed
        List<String> examine = c.command("A932", "EXAMINE blurdybloop");
        assertThat(examine).contains("* 0 EXISTS", "* 0 RECENT", "* OK [PERMANENTFLAGS ()] No permanent flags "
                + "permitted");
        assertThat(examine).last().isEqualTo("A932 OK [READ-ONLY] EXAMINE completed");
    }

    @Test
    void subscribeUnsubscribeAndTheListOfTheHierarchyDelimiter() throws Exception {
        login();
        c.command("c", "CREATE news/comp/mail/mime");
        // 6.3.6: C: A002 SUBSCRIBE #news.comp.mail.mime  S: A002 OK SUBSCRIBE completed
        assertThat(c.command("A002", "SUBSCRIBE news/comp/mail/mime")).containsExactly("A002 OK SUBSCRIBE completed");
        assertThat(c.command("l1", "LSUB \"\" news/*")).containsExactly(
                "* LSUB () \"/\" news/comp/mail/mime", "l1 OK LSUB completed");
        // 6.3.7: C: A002 UNSUBSCRIBE #news.comp.mail.mime  S: A002 OK UNSUBSCRIBE completed
        assertThat(c.command("A003", "UNSUBSCRIBE news/comp/mail/mime")).containsExactly(
                "A003 OK UNSUBSCRIBE completed");
        assertThat(c.command("l2", "LSUB \"\" news/*")).containsExactly("l2 OK LSUB completed");
        // 6.3.8: C: A101 LIST "" ""  S: * LIST (\Noselect) "/" ""  S: A101 OK LIST Completed
        assertThat(c.command("A101", "LIST \"\" \"\"")).containsExactly(
                "* LIST (\\Noselect) \"/\" \"\"", "A101 OK LIST completed");
    }

    @Test
    void checkExpungeAndClose() throws Exception {
        login();
        selectInboxWithoutRecent();
        // 6.4.1: C: FXXZ CHECK  S: FXXZ OK CHECK Completed
        assertThat(c.command("FXXZ", "CHECK")).containsExactly("FXXZ OK CHECK completed");
        // 6.4.3: messages 3, 4, 7 and 11 had \Deleted:
        // C: A202 EXPUNGE  S: * 3 EXPUNGE  S: * 3 EXPUNGE  S: * 5 EXPUNGE  S: * 8 EXPUNGE  S: A202 OK EXPUNGE completed
        c.command("d", "STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)");
        assertThat(c.command("A202", "EXPUNGE")).containsExactly(
                "* 3 EXPUNGE", "* 3 EXPUNGE", "* 5 EXPUNGE", "* 8 EXPUNGE", "A202 OK EXPUNGE completed");
        // 6.4.2: C: A341 CLOSE  S: A341 OK CLOSE completed (silently expunging \Deleted messages)
        c.command("d2", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        assertThat(c.command("A341", "CLOSE")).containsExactly("A341 OK CLOSE completed");
        assertThat(server.store.counters(inbox.id()).toCompletableFuture().join().messages()).isEqualTo(6);
    }

    @Test
    void fetchStoreCopyAndUid() throws Exception {
        login();
        selectInboxWithoutRecent();
        // 6.4.5: C: A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])
        List<String> fetch = c.command("A654", "FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])");
        for (int msn = 2; msn <= 4; msn++) {
            String prefix = "* " + msn + " FETCH (";
            assertThat(fetch).filteredOn(l -> l.startsWith(prefix) && l.contains("BODY[HEADER.FIELDS (DATE FROM)] {"))
                    .singleElement().asString().contains("FLAGS (").contains("From: ");
        }
        assertThat(fetch).last().isEqualTo("A654 OK FETCH completed");
        // 6.4.6: C: A003 STORE 2:4 +FLAGS (\Deleted)
        // S: * 2 FETCH (FLAGS (\Deleted \Seen))  S: * 3 FETCH (FLAGS (\Deleted))
        // S: * 4 FETCH (FLAGS (\Deleted \Flagged \Seen))  S: A003 OK STORE completed
        c.command("u", "STORE 3 -FLAGS.SILENT (\\Seen)");
        assertThat(c.command("A003", "STORE 2:4 +FLAGS (\\Deleted)")).containsExactly(
                "* 2 FETCH (FLAGS (\\Deleted \\Seen))", "* 3 FETCH (FLAGS (\\Deleted))",
                "* 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))", "A003 OK STORE completed");
        // 6.4.7: C: A003 COPY 2:4 MEETING  S: A003 OK COPY completed (with RFC 4315 COPYUID)
        assertThat(c.command("A004", "COPY 2:4 MEETING")).singleElement().asString()
                .startsWith("A004 OK [COPYUID ").endsWith("] COPY completed");
        // 6.4.8: C: A999 UID FETCH 4827313:4828442 FLAGS  S: * 23 FETCH (FLAGS (\Seen) UID 4827313) ...
        assertThat(c.command("A999", "UID FETCH 4:6 FLAGS")).containsExactly(
                "* 4 FETCH (UID 4 FLAGS (\\Deleted \\Flagged \\Seen))", "* 5 FETCH (UID 5 FLAGS ())",
                "* 6 FETCH (UID 6 FLAGS ())", "A999 OK UID FETCH completed");
    }
}
