package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * neomutt, driven like a person at a terminal (in a detached tmux session: keys in, screen text out), against a
 * node on real Cassandra over plain IMAP on loopback: open INBOX (the index lists the subjects), read a message
 * (the pager shows its body and the server sets \Seen, RFC 3501 section 6.4.5), delete one ({@code d}), move
 * one to another folder ({@code s} to {@code =Archive}: neomutt's UID COPY, then \Deleted), expunge
 * ({@code $}), see a message delivered over LMTP while the mailbox is open, quit. The result is then checked over
 * IMAP with Angus Mail. neomutt and tmux come from {@code clients/install.sh}.
 */
class MuttClientTest {

    private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(30);
    private static final int COLUMNS = 120;
    private static final int ROWS = 30;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void openReadDeleteMoveExpungeAndSeeNewMail() throws Exception {
        Username user = TestNode.newUser("mutt");
        deliver(user, 1, 2, 3, 4);

        try (ExternalClient.Terminal mutt = neomutt(user, new String(TestNode.password(user)))) {
            mutt.await("the INBOX index with the four subjects",
                    s -> indexRow(s, 1) && indexRow(s, 2) && indexRow(s, 3) && indexRow(s, 4)
                            && s.contains("Msgs:4"), SCREEN_TIMEOUT);

            jumpTo(mutt, 1);
            mutt.keys("Enter");
            mutt.await("message 1 in the pager", s -> s.contains(body(1)) && s.contains("Subject: " + subject(1)),
                    SCREEN_TIMEOUT);
            mutt.keys("q");
            mutt.await("the index after the pager", s -> indexRow(s, 4) && !s.contains(body(1)), SCREEN_TIMEOUT);

            jumpTo(mutt, 2);
            mutt.keys("d");
            mutt.await("message 2 marked deleted", s -> flagged(s, 2, 'D') && s.contains("Del:1"), SCREEN_TIMEOUT);

            jumpTo(mutt, 3);
            mutt.keys("s");
            mutt.await("the save prompt", s -> s.contains("Save to mailbox"), SCREEN_TIMEOUT);
            mutt.keys("C-u"); // clear neomutt's suggested folder (=sender3)
            mutt.type("=Archive");
            mutt.keys("Enter");
            mutt.await("message 3 saved to Archive and marked deleted", s -> flagged(s, 3, 'D') && s.contains("Del:2"),
                    SCREEN_TIMEOUT);

            mutt.keys("$");
            String synced = mutt.await("the index after the expunge",
                    s -> s.contains("Msgs:2") && indexRow(s, 1) && indexRow(s, 4), SCREEN_TIMEOUT);
            assertThat(indexRow(synced, 2) || indexRow(synced, 3))
                    .as("expunged messages left the index:%n%s", synced).isFalse();

            // another party delivers while the mailbox is open: neomutt's next check shows it
            deliver(user, 5);
            mutt.await("the message delivered while INBOX was open",
                    s -> indexRow(s, 5) && s.contains("Msgs:3"), SCREEN_TIMEOUT);

            mutt.keys("q");
            mutt.awaitExit(SCREEN_TIMEOUT);
        }

        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            Map<String, Flags> inInbox = flagsBySubject(inbox);
            assertThat(inInbox.keySet()).as("INBOX after neomutt")
                    .containsExactly(subject(1), subject(4), subject(5));
            assertThat(inInbox.get(subject(1)).contains(Flags.Flag.SEEN)).as("the read message is \\Seen").isTrue();
            assertThat(inInbox.get(subject(4)).contains(Flags.Flag.SEEN)).as("an unread one is not").isFalse();
            assertThat(inInbox.values()).noneMatch(f -> f.contains(Flags.Flag.DELETED));
            inbox.close(false);

            Folder archive = store.getFolder("Archive");
            archive.open(Folder.READ_ONLY);
            Map<String, Flags> inArchive = flagsBySubject(archive);
            assertThat(inArchive.keySet()).as("Archive after neomutt").containsExactly(subject(3));
            assertThat(inArchive.get(subject(3)).contains(Flags.Flag.DELETED)).isFalse();
            Message moved = archive.getMessage(1);
            assertThat(new String(moved.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim())
                    .as("the moved message's body").isEqualTo(body(3));
            archive.close(false);
        }
    }

    @Test
    void aWrongPasswordOpensNoMailboxAndChangesNothing() throws Exception {
        Username user = TestNode.newUser("mutt-badpw");
        deliver(user, 1);

        try (ExternalClient.Terminal mutt = neomutt(user, "not-the-password")) {
            String screen = mutt.await("the failed login", s -> s.contains("(no mailbox)"), SCREEN_TIMEOUT);
            assertThat(indexRow(screen, 1)).as("no message is listed:%n%s", screen).isFalse();
            mutt.keys("q");
            mutt.awaitExit(SCREEN_TIMEOUT);
        }

        // the right password still works (and clears this address's failed-login count for later tests)
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            assertThat(flagsBySubject(inbox)).containsOnlyKeys(subject(1));
            inbox.close(false);
        }
    }

    /** Starts neomutt on the shared node's INBOX with a generated muttrc; HOME is the test's work directory. */
    private ExternalClient.Terminal neomutt(Username user, String password) throws IOException {
        Path neomutt = ExternalClient.require("neomutt", "mutt");
        int port = TestNode.shared().imapAddress().getPort();
        Path muttrc = work.resolve("muttrc");
        Files.writeString(muttrc, String.join("\n",
                "set folder = \"imap://127.0.0.1:" + port + "/\"",
                "set spoolfile = \"+INBOX\"",
                "set imap_user = \"" + user.value() + "\"",
                "set imap_pass = \"" + password + "\"",
                "set ssl_starttls = no", // plain IMAP on loopback: the test node has no certificate
                "set ssl_force_tls = no",
                "set header_cache = \"\"",
                "set message_cachedir = \"\"",
                "set imap_check_subscribed = yes",
                "set confirmappend = no",
                "set confirmcreate = no",
                "set delete = yes", // '$' expunges without asking
                "set move = no",
                "set mark_old = no",
                "set record = \"\"",
                "set postponed = \"\"",
                "set beep = no",
                "set wait_key = no",
                "set quit = yes",
                "set sort = date",
                "set timeout = 2", // check for new mail after 2 s without a key press
                "set mail_check = 1",
                "set charset = \"utf-8\"",
                "set debug_file = \"" + work.resolve("neomutt.debug") + "\"", // IMAP commands, kept on failure
                "set debug_level = 2",
                ""));
        return ExternalClient.Terminal.start(work, COLUMNS, ROWS,
                Map.of("HOME", work.toString(), "LANG", "C.UTF-8"),
                List.of(neomutt.toString(), "-n", "-F", muttrc.toString()));
    }

    /** Moves the index cursor to message number {@code n} with neomutt's jump command. */
    private static void jumpTo(ExternalClient.Terminal mutt, int n) {
        mutt.keys(Integer.toString(n));
        mutt.await("the jump prompt", s -> s.contains("Jump to message"), SCREEN_TIMEOUT);
        mutt.keys("Enter");
        mutt.await("the index cursor on message " + n, s -> !s.contains("Jump to message"), SCREEN_TIMEOUT);
    }

    private void deliver(Username user, int... numbers) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        for (int n : numbers) {
            messages.add(("From: Sender " + n + " <sender" + n + "@example.org>\r\nTo: " + user.value()
                    + "\r\nSubject: " + subject(n) + "\r\nDate: Sun, 22 Nov 2026 01:0" + n + ":00 +0000"
                    + "\r\nMessage-ID: <mutt-" + n + "-" + System.nanoTime() + "@example.test>\r\n\r\n" + body(n)
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        Path plan = Clients.plan(work, messages, Collections.nCopies(numbers.length, List.of(user.value())));
        Clients.deliver(work, TestNode.shared().lmtpAddress(), plan);
    }

    private static String subject(int n) {
        return "mutt subject " + n;
    }

    private static String body(int n) {
        return "This is body text number " + n + ".";
    }

    /** Whether the index shows a row for message {@code n} (a row ends with its subject). */
    private static boolean indexRow(String screen, int n) {
        return Pattern.compile("(?m)^.*Sender " + n + " .*" + Pattern.quote(subject(n)) + "$").matcher(screen).find();
    }

    /** Whether the index row of message {@code n} shows {@code flag} in its flag column (before the date). */
    private static boolean flagged(String screen, int n, char flag) {
        return Pattern.compile("(?m)^\\s*\\d+\\s+\\S*" + flag + "\\S*\\s+\\w{3} \\d+ Sender " + n + " .*"
                + Pattern.quote(subject(n)) + "$").matcher(screen).find();
    }

    private static Map<String, Flags> flagsBySubject(Folder folder) throws Exception {
        Map<String, Flags> bySubject = new LinkedHashMap<>();
        for (Message m : folder.getMessages()) {
            bySubject.put(m.getSubject(), m.getFlags());
        }
        return bySubject;
    }
}
