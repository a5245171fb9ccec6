package io.stratusmail.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.ImapTestClient;
import io.stratusmail.imap.ImapTestServer;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How SEARCH with text keys reads contents (over a real socket, whole-content reads completing 20 ms late):
 * small messages are read several at once, a message above the octet bound alone, and the answer is the same.
 */
class SearchContentReadsTest {

    private final AtomicInteger readsInFlight = new AtomicInteger();
    private final AtomicInteger maxReadsInFlight = new AtomicInteger();
    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        UnaryOperator<MessageStore> slowContent = store -> (MessageStore) Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("content") && method.getParameterCount() == 2) {
                        maxReadsInFlight.accumulateAndGet(readsInFlight.incrementAndGet(), Math::max);
                        return ((CompletionStage<?>) result).thenApplyAsync(octets -> {
                            readsInFlight.decrementAndGet();
                            return octets;
                        }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                    }
                    return result;
                });
        server = new ImapTestServer(ImapConfig.defaults("imap.test"), slowContent);
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void smallMessagesAreReadSeveralAtOnceAndEveryMatchIsFound() throws Exception {
        for (int i = 1; i <= 30; i++) {
            server.append(inbox, ImapTestServer.message("note " + i, (i % 3 == 0 ? "needle " : "hay ") + i + "\r\n"));
        }
        c.command("s", "SELECT INBOX");

        assertThat(c.command("f", "SEARCH BODY needle")).containsExactly(
                "* SEARCH 3 6 9 12 15 18 21 24 27 30", "f OK SEARCH completed");
        assertThat(maxReadsInFlight.get()).as("content reads under way at once").isEqualTo(SearchCommand.TEXT_READS);
    }

    @Test
    void messagesAboveTheOctetBoundAreReadAlone() throws Exception {
        String body = "0123456789abcdef\r\n".repeat(150_000); // 2.7 MB: two exceed the 4 MiB bound together
        server.append(inbox, ImapTestServer.message("big 1", body + "needle\r\n"));
        server.append(inbox, ImapTestServer.message("big 2", body));
        server.append(inbox, ImapTestServer.message("big 3", body + "needle\r\n"));
        c.command("s", "SELECT INBOX");

        assertThat(c.command("f", "SEARCH TEXT needle")).containsExactly("* SEARCH 1 3", "f OK SEARCH completed");
        assertThat(maxReadsInFlight.get()).as("large contents read one at a time").isEqualTo(1);
    }
}
