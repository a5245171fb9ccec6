package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines thousands of commands and does not read the answers (RFC 3501 section 5.5 allows
 * pipelining; architecture invariant 6: back-pressure instead of buffering without bound): once the unsent
 * responses pass the channel's high-water mark the server starts no further command and stops reading, so its
 * memory stays bounded; it answers every command, in order, once the client reads.
 */
class BackPressureTest {

    private static final int MESSAGES = 4_000;
    /** Half of them UID SEARCH ALL (about 20 KB of answer each, 100 MB in all), half NOOP. */
    private static final int COMMANDS = 10_000;

    @Test
    void tenThousandPipelinedCommandsWithoutReadingPauseTheServerAndAreAllAnsweredOnceTheClientReads()
            throws Exception {
        AtomicInteger noopsServed = new AtomicInteger();
        // Each NOOP reads the mailbox's counters once (MailboxRefresh): counting them counts the NOOPs run.
        UnaryOperator<MessageStore> counting = store -> (MessageStore) Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("counters")) {
                        noopsServed.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ImapTestServer server = new ImapTestServer(ImapConfig.defaults("imap.test"), counting)) {
            Username alice = server.user("alice@example.org", "secret");
            Mailbox inbox = server.mailbox(alice, "INBOX");
            for (int i = 1; i <= MESSAGES; i++) {
                server.append(inbox, ImapTestServer.message("m" + i, "x"));
            }
            try (ImapTestClient c = server.login("alice@example.org", "secret")) {
                c.command("s", "EXAMINE INBOX");
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < COMMANDS; i++) {
                    String command = i % 2 == 0 ? " UID SEARCH ALL\r\n" : " NOOP\r\n";
                    burst.writeBytes(("a" + i + command).getBytes(StandardCharsets.US_ASCII));
                }
                long before = usedMemory();
                int noopsBefore = noopsServed.get();
                c.sendRaw(burst.toByteArray());
                Thread.sleep(3_000);

                // Unread answers fill the socket buffers and then the channel's outbound buffer; from then on
                // the server runs no further command, so most of the burst waits unread in the kernel.
                int served = noopsServed.get() - noopsBefore;
                assertThat(served).as("NOOPs run while the client does not read").isLessThan(COMMANDS / 4);
                long growth = usedMemory() - before;
                assertThat(growth).as("heap and Netty buffer growth in bytes while the client does not read")
                        .isLessThan(40L * 1024 * 1024);

                String searchAnswer = expectedSearchLine();
                for (int i = 0; i < COMMANDS; i++) {
                    if (i % 2 == 0) {
                        assertThat(c.readLine()).as("answer %d", i).isEqualTo(searchAnswer);
                        assertThat(c.readLine()).isEqualTo("a" + i + " OK UID SEARCH completed");
                    } else {
                        assertThat(c.readLine()).isEqualTo("a" + i + " OK NOOP completed");
                    }
                }
                assertThat(noopsServed.get() - noopsBefore).isEqualTo(COMMANDS / 2);
                assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
            }
        }
    }

    private static String expectedSearchLine() {
        StringBuilder sb = new StringBuilder("* SEARCH");
        for (int uid = 1; uid <= MESSAGES; uid++) {
            sb.append(' ').append(uid);
        }
        return sb.toString();
    }

    /** The heap in use after a full collection plus the buffers Netty's pooled allocator holds, in bytes. */
    private static long usedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long netty = 0;
        if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled) {
            netty = pooled.metric().usedDirectMemory() + pooled.metric().usedHeapMemory();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + netty;
    }
}
