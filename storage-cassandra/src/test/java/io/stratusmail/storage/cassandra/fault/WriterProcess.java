package io.stratusmail.storage.cassandra.fault;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link KilledWriterTest} kills with SIGKILL: a store node that appends messages into the user's
 * INBOX (4 in flight, every fifth one 2.5 MiB so blobs span several chunks) and moves every appended message
 * with an odd sequence number to {@code Moved}, forever. It prints one line per acknowledged operation, after
 * the store's stage completed: {@code ACK append <seq> <uid>} and {@code ACK move <seq> <fromUid> <toUid>},
 * and {@code BEGIN append <seq>} before it starts an append.
 *
 * <p>Arguments: contact point (host:port), local datacenter, keyspace, user.
 */
public final class WriterProcess {

    private static final int IN_FLIGHT = 4;
    static final int LARGE = 2 * 1024 * 1024 + 512 * 1024;

    private WriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        CqlSession session = CqlSessions.open(new CqlSessions.Settings(args[0], args[1], Duration.ofSeconds(12)));
        CassandraStore store = CassandraStore.open(session, CassandraStoreConfig.defaults(args[2]))
                .toCompletableFuture().join();
        Username user = new Username(args[3]);
        Mailbox inbox = store.mailboxes().find(user, MailboxName.INBOX).toCompletableFuture().join().orElseThrow();
        Mailbox moved = store.mailboxes().find(user, new MailboxName("Moved")).toCompletableFuture().join()
                .orElseThrow();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        out.println("READY");
        AtomicInteger next = new AtomicInteger(1);
        CompletableFuture<?>[] workers = new CompletableFuture<?>[IN_FLIGHT];
        for (int w = 0; w < IN_FLIGHT; w++) {
            workers[w] = loop(store.messages(), inbox, moved, next, out).toCompletableFuture();
        }
        CompletableFuture.anyOf(workers).join(); // only returns on a failure: the test kills this process
        out.println("FAILED");
    }

    private static CompletionStage<Void> loop(MessageStore messages, Mailbox inbox, Mailbox moved,
                                              AtomicInteger next, PrintStream out) {
        int seq = next.getAndIncrement();
        out.println("BEGIN append " + seq);
        return messages.append(inbox, message(seq), Flags.EMPTY, Instant.now()).thenCompose(appended -> {
            long uid = appended.record().uid();
            out.println("ACK append " + seq + " " + uid);
            if (seq % 2 == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return messages.move(inbox.id(), List.of(uid), moved).thenAccept((CopyResult moveResult) -> {
                for (CopiedMessage c : moveResult.copies()) {
                    out.println("ACK move " + seq + " " + c.sourceUid() + " " + c.copy().uid());
                }
            });
        }).thenCompose(v -> loop(messages, inbox, moved, next, out));
    }

    /** Message {@code seq}: its number in the X-Seq field, every fifth one {@value #LARGE} octets long. */
    static byte[] message(int seq) {
        StringBuilder text = new StringBuilder()
                .append("X-Seq: ").append(seq).append("\r\n")
                .append("Subject: fault test ").append(seq).append("\r\n\r\n");
        int size = seq % 5 == 0 ? LARGE : 2_000;
        while (text.length() < size) {
            text.append("line of message ").append(seq).append(" padding padding padding\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The X-Seq of a message's content as {@link #message} wrote it. */
    static int seqOf(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 40), StandardCharsets.US_ASCII);
        if (!head.startsWith("X-Seq: ")) {
            throw new IllegalArgumentException("not a fault-test message: " + head);
        }
        return Integer.parseInt(head.substring("X-Seq: ".length(), head.indexOf("\r\n")));
    }
}
