package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.event.NotifyingMessageStore;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change hints (issue 4): with the IDLE poll at 5 minutes, a session in IDLE still sees another session's
 * APPEND, STORE and EXPUNGE (and a delivery through the store, as LMTP does) within a second, because the store
 * publishes hints on the node's bus and the idling session subscribes to its selected mailbox. Outside IDLE a
 * hint sends nothing (RFC 3501 section 7.4.1); the next NOOP reports the change.
 */
class HintedIdleTest {

    private static final Duration FAST = Duration.ofSeconds(2);

    private final MailboxEvents events = new MailboxEvents();
    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient a;
    private ImapTestClient b;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withIdlePollInterval(Duration.ofMinutes(5)),
                new InMemoryMailStore(), store -> new NotifyingMessageStore(store, events), events);
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.mailbox(alice, "Archive");
        server.append(inbox, ImapTestServer.message("one", "1\r\n"));
        a = server.login("alice@example.org", "secret");
        b = server.login("alice@example.org", "secret");
        a.command("a0", "SELECT INBOX");
        b.command("b0", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        server.close();
    }

    /** The next line B receives, which must come long before the 5-minute poll. */
    private String pushed() throws Exception {
        long start = System.nanoTime();
        b.setTimeout((int) FAST.toMillis() * 2);
        String line = b.readLine();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
        return line;
    }

    private MessageStore notifying() {
        return new NotifyingMessageStore(server.store, events);
    }

    /** The next pushed line of B that is not a {@code * n RECENT} (which session claims {@code \Recent} is a race). */
    private String pushedSkippingRecent() throws Exception {
        String line = pushed();
        while (line.matches("\\* \\d+ RECENT")) {
            line = pushed();
        }
        return line;
    }

    private static void append(ImapTestClient client, String tag, String message) throws Exception {
        byte[] octets = message.getBytes(StandardCharsets.US_ASCII);
        client.send(tag + " APPEND INBOX {" + octets.length + "+}");
        client.sendRaw(message + "\r\n");
        List<String> lines = client.readUntilTagged(tag);
        assertThat(lines.get(lines.size() - 1)).startsWith(tag + " OK");
    }

    @Test
    void appendStoreAndExpungeByAnotherSessionReachAnIdlingSessionAtOnce() throws Exception {
        b.send("b1 IDLE");
        assertThat(b.readLine()).isEqualTo("+ idling");

        append(a, "a1", ImapTestServer.message("two", "2\r\n"));
        assertThat(pushedSkippingRecent()).isEqualTo("* 2 EXISTS");

        a.command("a2", "STORE 2 +FLAGS.SILENT (\\Flagged)");
        assertThat(pushedSkippingRecent()).startsWith("* 2 FETCH (FLAGS (").contains("\\Flagged");

        a.command("a3", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        assertThat(pushedSkippingRecent()).startsWith("* 1 FETCH (FLAGS (").contains("\\Deleted");
        a.command("a4", "EXPUNGE");
        assertThat(pushedSkippingRecent()).isEqualTo("* 1 EXPUNGE");

        // A delivery straight through the store, as LMTP on this node does.
        notifying().append(inbox, ImapTestServer.message("three", "3\r\n").getBytes(StandardCharsets.US_ASCII),
                Flags.EMPTY, Instant.now()).toCompletableFuture().join();
        assertThat(pushedSkippingRecent()).isEqualTo("* 2 EXISTS");

        b.send("DONE");
        assertThat(b.readUntilTagged("b1")).last().isEqualTo("b1 OK IDLE terminated");
    }

    @Test
    void aBurstOfChangesIsCoalescedAndFullyReported() throws Exception {
        b.send("b1 IDLE");
        assertThat(b.readLine()).isEqualTo("+ idling");
        MessageStore store = notifying();
        for (int i = 0; i < 50; i++) {
            store.append(inbox, ImapTestServer.message("burst " + i, i + "\r\n").getBytes(StandardCharsets.US_ASCII),
                    Flags.EMPTY, Instant.now()).toCompletableFuture().join();
        }
        String last = "";
        while (!last.equals("* 51 EXISTS")) {
            last = pushedSkippingRecent();
            assertThat(last).matches("\\* \\d+ EXISTS");
        }
        b.send("DONE");
        assertThat(b.readUntilTagged("b1")).last().isEqualTo("b1 OK IDLE terminated");
    }

    @Test
    void outsideIdleAHintSendsNothingUntilTheNextCommandAndAPendingHintWakesTheNextIdle() throws Exception {
        append(a, "a1", ImapTestServer.message("two", "2\r\n"));
        assertThat(b.silentFor(1000)).as("no unsolicited response outside IDLE").isTrue();
        assertThat(b.command("b1", "NOOP")).contains("* 2 EXISTS");

        append(a, "a2", ImapTestServer.message("three", "3\r\n"));
        assertThat(b.silentFor(500)).isTrue();
        b.send("b2 IDLE");
        assertThat(b.readLine()).isEqualTo("+ idling");
        assertThat(pushedSkippingRecent()).as("the hint that came before IDLE is acted on at its start")
                .isEqualTo("* 3 EXISTS");
        b.send("DONE");
        assertThat(b.readUntilTagged("b2")).last().isEqualTo("b2 OK IDLE terminated");
    }

    @Test
    void changesToAnotherMailboxDoNotWakeTheIdlingSession() throws Exception {
        b.send("b1 IDLE");
        assertThat(b.readLine()).isEqualTo("+ idling");
        assertThat(a.command("a1", "COPY 1 Archive")).last().asString().startsWith("a1 OK");
        assertThat(b.silentFor(1000)).isTrue();
        b.send("DONE");
        assertThat(b.readUntilTagged("b1")).last().isEqualTo("b1 OK IDLE terminated");
    }

    @Test
    void subscriptionsFollowTheSelectedMailboxAndEndWithTheSession() throws Exception {
        assertThat(events.subscriptions()).isEqualTo(2);
        b.command("b1", "UNSELECT");
        assertThat(events.subscriptions()).isEqualTo(1);
        b.command("b2", "SELECT INBOX");
        b.command("b3", "SELECT Archive");
        assertThat(events.subscriptions()).as("selecting another mailbox replaces the subscription").isEqualTo(2);
        b.command("b4", "CLOSE");
        assertThat(events.subscriptions()).isEqualTo(1);
        b.command("b5", "EXAMINE INBOX");
        assertThat(b.command("b6", "SELECT Nonexistent")).last().asString().startsWith("b6 NO");
        assertThat(events.subscriptions()).as("a failed SELECT leaves no subscription").isEqualTo(1);
        a.command("a1", "LOGOUT");
        assertThat(events.subscriptions()).isZero();

        ImapTestClient c = server.login("alice@example.org", "secret");
        c.command("c1", "SELECT INBOX");
        assertThat(events.subscriptions()).isEqualTo(1);
        c.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (events.subscriptions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(events.subscriptions()).as("a dropped connection leaves no subscription").isZero();
    }
}
