package io.stratusmail.bench;

import static io.stratusmail.bench.BenchStore.join;
import static io.stratusmail.bench.BenchStore.seconds;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.ImapServer;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run big-mailbox --messages 100000}: one mailbox of N small messages in a running Cassandra, then
 * the costs the issue names: loading the SELECT view ({@code MessageStore.snapshot} then
 * {@code SelectedMailbox.of}, the view a session keeps) and its retained heap per message, SELECT and
 * {@code FETCH 1:* (FLAGS)} over a real IMAP socket (an in-process {@link ImapServer} on the store),
 * {@code UID STORE +FLAGS.SILENT (\Deleted)} and {@code UID EXPUNGE} of the first E messages, then SELECT again
 * (reading past E row tombstones). Prints one {@code key=value} line per measure.
 *
 * <p>Heap per message: the used heap after full GCs while holding {@code --views} views, less the used heap
 * without them, over views x messages (no agent needed; run with a fixed -Xmx so GC settles).
 */
@Command(name = "big-mailbox", mixinStandardHelpOptions = true,
        description = "Fill one mailbox and time SELECT view, FETCH 1:* (FLAGS), UID EXPUNGE and SELECT again.")
final class BigMailbox implements Callable<Integer> {

    private static final char[] PASSWORD = "bench".toCharArray();

    @Mixin BenchStore target;
    @Option(names = "--messages", defaultValue = "100000") int messages;
    @Option(names = "--expunge", defaultValue = "10000", description = "Messages removed by UID EXPUNGE.") int expunge;
    @Option(names = "--views", defaultValue = "4", description = "Views held at once for the heap measure.") int views;
    @Option(names = "--repeat", defaultValue = "3", description = "Timed runs of each read.") int repeat;
    @Option(names = "--skip-imap", description = "Only the in-process measures (no IMAP server).") boolean skipImap;
    @Option(names = "--skip-fetch", description = "Skip FETCH 1:* (FLAGS) over IMAP.") boolean skipFetch;
    @Option(names = "--user", description = "Reuse this user's INBOX if it is already full (default: a new user).")
    String user;

    @Override
    public Integer call() throws Exception {
        CassandraStoreConfig config = target.config("bench_big");
        try (CqlSession session = target.open()) {
            CassandraStore store = BenchStore.store(session, config);
            Username owner = new Username(user != null ? user
                    : "big-" + messages + "-" + Long.toString(System.currentTimeMillis(), 36) + "@bench.local");
            ExecutorService hashing = Executors.newSingleThreadExecutor();
            Accounts accounts = new Accounts(store.users(), store.mailboxes(), new PasswordHasher(1024, 1, 1), hashing);
            join(accounts.createOrUpdate(owner, PASSWORD));
            Mailbox inbox = join(store.mailboxes().ensureInbox(owner));
            long have = join(store.messages().counters(inbox.id())).messages();
            if (have < messages) {
                fill(store, inbox, have);
            }
            print("big-mailbox user=%s messages=%d keyspace=%s", owner, messages, config.keyspace());

            measureView(store, inbox);
            if (skipImap) {
                hashing.shutdown();
                return 0;
            }

            ImapServer server = new ImapServer(ImapConfig.defaults("bench.local"), accounts, store.mailboxes(),
                    store.messages());
            InetSocketAddress address = server.start("127.0.0.1", 0);
            try (ImapClient imap = new ImapClient("127.0.0.1", address.getPort())) {
                check(imap.command("LOGIN " + owner + " bench"));
                for (int i = 0; i < repeat; i++) {
                    long t = System.nanoTime();
                    check(imap.command("SELECT INBOX"));
                    print("imap_select run=%d seconds=%.3f", i + 1, seconds(t));
                }
                for (int probe : skipFetch ? new int[0] : new int[] {1_000, 10_000}) {
                    long t = System.nanoTime();
                    check(imap.command("FETCH 1:" + probe + " (FLAGS)"));
                    print("imap_fetch_flags range=1:%d seconds=%.3f", probe, seconds(t));
                }
                for (int i = 0; i < (skipFetch ? 0 : repeat); i++) {
                    long t = System.nanoTime();
                    ImapClient.Response r = check(imap.command("FETCH 1:* (FLAGS)"));
                    print("imap_fetch_flags range=1:* run=%d seconds=%.3f octets=%d", i + 1, seconds(t),
                            r.untagged().length);
                }
                // by MSN, so a reused (already expunged once) mailbox works too; then UID EXPUNGE up to its UID
                long t = System.nanoTime();
                check(imap.command("STORE 1:" + expunge + " +FLAGS.SILENT (\\Deleted)"));
                print("imap_store_deleted messages=%d seconds=%.3f", expunge, seconds(t));
                String last = new String(check(imap.command("FETCH " + expunge + " (UID)")).untagged(),
                        java.nio.charset.StandardCharsets.US_ASCII).replaceAll("(?s).*UID (\\d+).*", "$1");
                t = System.nanoTime();
                check(imap.command("UID EXPUNGE 1:" + last));
                print("imap_uid_expunge messages=%d seconds=%.3f", expunge, seconds(t));
                check(imap.command("UNSELECT"));
                for (int i = 0; i < repeat; i++) {
                    t = System.nanoTime();
                    check(imap.command("SELECT INBOX"));
                    print("imap_select_after_expunge run=%d seconds=%.3f", i + 1, seconds(t));
                }
            } finally {
                server.stop();
                hashing.shutdown();
            }
            measureView(store, inbox);
        }
        return 0;
    }

    /** Appends the missing messages with appendAll, {@value #IN_FLIGHT} batches of {@value #BATCH} in flight. */
    private void fill(CassandraStore store, Mailbox inbox, long have) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Instant date = Instant.parse("2024-06-01T00:00:00Z");
        long start = System.nanoTime();
        long last = start;
        for (long n = have; n < messages && failure.get() == null; n += BATCH) {
            List<MessageToAppend> batch = new ArrayList<>();
            for (long i = n; i < Math.min(messages, n + BATCH); i++) {
                batch.add(new MessageToAppend(BenchStore.message(i), i % 3 == 0 ? Flags.EMPTY : Flags.of(Flags.SEEN),
                        date.plusSeconds(i)));
            }
            inFlight.acquire();
            store.messages().appendAll(inbox, batch).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                inFlight.release();
            });
            if (System.nanoTime() - last > 10_000_000_000L) {
                last = System.nanoTime();
                print("fill progress=%d seconds=%.1f", n, seconds(start));
            }
        }
        inFlight.acquire(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
        if (failure.get() != null) {
            throw new IllegalStateException("fill failed", failure.get());
        }
        double secs = seconds(start);
        print("fill messages=%d seconds=%.1f appends_per_s=%.0f", messages - have, secs, (messages - have) / secs);
    }

    private static final int BATCH = 500;
    private static final int IN_FLIGHT = 4;

    /** Times snapshot and view, and measures the retained heap of the view and the transient snapshot. */
    private void measureView(CassandraStore store, Mailbox inbox) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < repeat; i++) {
            long t = System.nanoTime();
            MailboxSnapshot snapshot = join(store.messages().snapshot(inbox));
            double snap = seconds(t);
            long v = System.nanoTime();
            SelectedMailbox view = SelectedMailbox.of(inbox, false, snapshot);
            double of = seconds(v);
            print("select_view run=%d messages=%d snapshot_seconds=%.3f view_seconds=%.3f total_seconds=%.3f",
                    i + 1, view.exists(), snap, of, snap + of);
        }
        long base = usedAfterGc(memory);
        MailboxSnapshot snapshot = join(store.messages().snapshot(inbox));
        long withSnapshot = usedAfterGc(memory);
        int n = snapshot.messages().size();
        List<SelectedMailbox> held = new ArrayList<>();
        for (int i = 0; i < views; i++) {
            held.add(SelectedMailbox.of(inbox, false, snapshot));
        }
        long snapshotBytes = withSnapshot - base;
        snapshot = null;
        long withViews = usedAfterGc(memory);
        print("heap snapshot_bytes_per_message=%.1f view_bytes_per_message=%.1f views=%d messages=%d"
                        + " snapshot_transient_mib=%.1f",
                (double) snapshotBytes / Math.max(1, n), (double) (withViews - base) / ((long) views * Math.max(1, n)),
                held.size(), n, snapshotBytes / 1048576.0);
        held.clear();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static ImapClient.Response check(ImapClient.Response r) {
        if (!r.ok()) {
            throw new IllegalStateException("IMAP command failed: " + r.tagged());
        }
        return r;
    }

    static void print(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
        System.out.flush();
    }
}
