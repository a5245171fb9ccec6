package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IDLE (RFC 2177): changes made elsewhere (another session, a direct store write such as an LMTP delivery on
 * another node) are pushed while the client idles, within one poll interval.
 */
class IdleTest {

    private static final Duration POLL = Duration.ofMillis(300);

    private ImapTestServer server;
    private Mailbox inbox;
    private MessageRecord deleted;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withIdlePollInterval(POLL));
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, ImapTestServer.message("one", "1\r\n"));
        deleted = server.append(inbox, ImapTestServer.message("two", "2\r\n"), "\\Deleted");
        c = server.login("alice@example.org", "secret");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** Reads one line and checks it came within two poll intervals. */
    private String pushed() throws Exception {
        long start = System.nanoTime();
        String line = c.readLine();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(POLL.multipliedBy(2).plusMillis(500));
        return line;
    }

    @Test
    void rfcExampleNewMessageFlagChangeAndExpungeArePushed() throws Exception {
        c.send("A002 IDLE");
        assertThat(c.readLine()).isEqualTo("+ idling");
        assertThat(c.silentFor(2 * (int) POLL.toMillis())).as("nothing changed, nothing sent").isTrue();

        server.append(inbox, ImapTestServer.message("three", "3\r\n"));
        assertThat(pushed()).isEqualTo("* 3 EXISTS");
        assertThat(pushed()).isEqualTo("* 3 RECENT");

        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("o1", "SELECT INBOX");
            other.command("o2", "STORE 1 +FLAGS.SILENT (\\Flagged)");
        }
        assertThat(pushed()).isEqualTo("* 1 FETCH (FLAGS (\\Flagged \\Recent))");

        server.store.expunge(inbox.id(), List.of(deleted.uid())).toCompletableFuture().join();
        assertThat(pushed()).isEqualTo("* 2 EXPUNGE");

        c.send("DONE");
        assertThat(c.readLine()).isEqualTo("A002 OK IDLE terminated");
        assertThat(c.command("f", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "f OK FETCH completed");
    }

    @Test
    void doneIsCaseInsensitiveAndIdleCanBeRepeated() throws Exception {
        for (int i = 0; i < 3; i++) {
            c.send("i" + i + " IDLE");
            assertThat(c.readLine()).isEqualTo("+ idling");
            c.send("done");
            assertThat(c.readLine()).isEqualTo("i" + i + " OK IDLE terminated");
        }
    }

    @Test
    void anythingButDoneEndsIdleWithBad() throws Exception {
        c.send("a1 IDLE");
        c.readLine();
        c.send("a2 NOOP");
        assertThat(c.readLine()).isEqualTo("a1 BAD Expected DONE to end IDLE");
        assertThat(c.command("a3", "NOOP")).containsExactly("a3 OK NOOP completed");
    }

    @Test
    void idleWithoutSelectedMailboxWaitsForDone() throws Exception {
        c.command("u", "UNSELECT");
        c.send("a1 IDLE");
        assertThat(c.readLine()).isEqualTo("+ idling");
        server.append(inbox, ImapTestServer.message("three", "3\r\n"));
        assertThat(c.silentFor(3 * (int) POLL.toMillis())).isTrue();
        c.send("DONE");
        assertThat(c.readLine()).isEqualTo("a1 OK IDLE terminated");
    }

    @Test
    void idleBeforeLoginIsRefused() throws Exception {
        try (ImapTestClient anon = server.connect()) {
            anon.readLine();
            assertThat(anon.command("a1", "IDLE")).containsExactly(
                    "a1 BAD IDLE is not allowed before authentication: log in first");
        }
    }

    @Test
    void idleEndsWithByeAfterTheTimeoutEvenWhileChangesFlow() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(ImapConfig.defaults("imap.test")
                .withIdlePollInterval(Duration.ofMillis(100)).withIdleTimeout(Duration.ofMillis(1500)))) {
            Username bob = quick.user("bob@example.org", "pw");
            Mailbox box = quick.mailbox(bob, "INBOX");
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            try (ImapTestClient idler = quick.login("bob@example.org", "pw")) {
                idler.command("s", "SELECT INBOX");
                idler.send("a1 IDLE");
                assertThat(idler.readLine()).isEqualTo("+ idling");
                long start = System.nanoTime();
                AtomicInteger n = new AtomicInteger();
                // New mail every 200 ms keeps the connection busy, so only the IDLE limit can end it.
                writer.scheduleAtFixedRate(() -> quick.append(box, ImapTestServer.message("m" + n.incrementAndGet(),
                        "x\r\n")), 0, 200, TimeUnit.MILLISECONDS);
                String line;
                do {
                    line = idler.readLine();
                } while (line.endsWith(" EXISTS") || line.endsWith(" RECENT"));
                assertThat(line).isEqualTo("* BYE IDLE for too long; autologout");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1300),
                        Duration.ofMillis(4000));
                assertThat(idler.isClosedByServer()).isTrue();
            } finally {
                writer.shutdownNow();
            }
        }
    }

    @Test
    void pollsOfAnUnchangedMailboxReadOnlyItsCounters() throws Exception {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        UnaryOperator<MessageStore> counting = store -> (MessageStore) Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), n -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ImapTestServer counted = new ImapTestServer(ImapConfig.defaults("imap.test")
                .withIdlePollInterval(Duration.ofMillis(50)), counting)) {
            Username bob = counted.user("bob@example.org", "pw");
            Mailbox box = counted.mailbox(bob, "INBOX");
            counted.append(box, ImapTestServer.message("one", "1\r\n"));
            try (ImapTestClient idler = counted.login("bob@example.org", "pw")) {
                idler.command("s", "SELECT INBOX");
                idler.send("a1 IDLE");
                idler.readLine();
                Thread.sleep(600);
                assertThat(calls.get("counters").get()).isGreaterThanOrEqualTo(5);
                assertThat(calls.get("snapshot").get()).as("only SELECT read the whole mailbox").isEqualTo(1);
                assertThat(calls.get("changesSince")).as("nothing changed, nothing read").isNull();
                counted.append(box, ImapTestServer.message("two", "2\r\n"));
                assertThat(idler.readLine()).isEqualTo("* 2 EXISTS");
                assertThat(idler.readLine()).isEqualTo("* 2 RECENT");
                assertThat(calls.get("snapshot").get()).as("the change was read incrementally").isEqualTo(1);
                assertThat(calls.get("changesSince").get()).isEqualTo(1);
                idler.send("DONE");
                assertThat(idler.readLine()).isEqualTo("a1 OK IDLE terminated");
            }
        }
    }

    @Test
    void clientVanishingDuringIdleLeavesTheServerServing() throws Exception {
        c.send("a1 IDLE");
        c.readLine();
        c.close();
        server.append(inbox, ImapTestServer.message("three", "3\r\n"));
        Thread.sleep(2 * POLL.toMillis());
        try (ImapTestClient again = server.login("alice@example.org", "secret")) {
            assertThat(again.command("s", "SELECT INBOX")).contains("* 3 EXISTS");
        }
    }
}
