package io.stratusmail.bench;

import static io.stratusmail.bench.BenchStore.join;
import static io.stratusmail.bench.BenchStore.seconds;
import static io.stratusmail.bench.BigMailbox.print;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run append-rate}: appends per second through {@code MessageStore.append} (blob write plus one
 * conditional batch, with this node's group commit) into 1 mailbox and into 100 mailboxes, with N appends in
 * flight, beside the same node's raw rate, measured in the same run with the same N in flight, for a plain
 * {@code INSERT} and for a lightweight-transaction {@code INSERT ... IF NOT EXISTS} of a comparable row
 * (a message row's columns plus the ~600-octet content in a blob cell). Prints one line per measure and the
 * ratios.
 */
@Command(name = "append-rate", mixinStandardHelpOptions = true,
        description = "Appends/s into 1 and into 100 mailboxes, beside raw INSERT and LWT INSERT rates.")
final class AppendRate implements Callable<Integer> {

    @Mixin BenchStore target;
    @Option(names = "--messages", defaultValue = "20000", description = "Operations per measure.") int messages;
    @Option(names = "--in-flight", defaultValue = "64", description = "Operations in flight at once.") int inFlight;
    @Option(names = "--mailboxes", defaultValue = "100") int mailboxCount;

    @Override
    public Integer call() throws Exception {
        CassandraStoreConfig config = target.config("bench_append");
        try (CqlSession session = target.open()) {
            CassandraStore store = BenchStore.store(session, config);
            String raw = config.table("bench_raw");
            session.execute("CREATE TABLE IF NOT EXISTS " + raw + " (k uuid, c bigint, modseq bigint,"
                    + " flags frozen<set<text>>, size bigint, internal_date timestamp, data blob,"
                    + " PRIMARY KEY ((k), c))");
            PreparedStatement insert = session.prepare("INSERT INTO " + raw
                    + " (k, c, modseq, flags, size, internal_date, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
            PreparedStatement lwt = session.prepare("INSERT INTO " + raw
                    + " (k, c, modseq, flags, size, internal_date, data) VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
            String tag = Long.toString(System.currentTimeMillis(), 36);
            Username owner = new Username("rate-" + tag + "@bench.local");
            Mailbox one = join(store.mailboxes().ensureInbox(owner));
            List<Mailbox> many = new ArrayList<>();
            for (int i = 0; i < mailboxCount; i++) {
                many.add(join(store.mailboxes().create(owner, new MailboxName("Box" + i))));
            }
            Instant date = Instant.parse("2024-06-01T00:00:00Z");
            print("append-rate messages=%d in_flight=%d mailboxes=%d keyspace=%s", messages, inFlight, mailboxCount,
                    config.keyspace());

            // warm-up: prepared paths, JIT, Paxos state
            run("warmup", Math.min(2000, messages), n -> store.messages().append(many.get((int) (n % many.size())),
                    BenchStore.message(n), Flags.EMPTY, date));

            double plain = run("raw_insert", messages, n -> session.executeAsync(insert.bind(
                    UUID.randomUUID(), n, n, Set.of("\\Seen"), 600L, date, ByteBuffer.wrap(BenchStore.message(n)))));
            double light = run("raw_lwt_insert", messages, n -> session.executeAsync(lwt.bind(
                    UUID.randomUUID(), n, n, Set.of("\\Seen"), 600L, date, ByteBuffer.wrap(BenchStore.message(n)))
                    .setSerialConsistencyLevel(config.serialConsistency())));
            double single = run("append_1_mailbox", messages, n -> store.messages().append(one,
                    BenchStore.message(n), Flags.EMPTY, date));
            double spread = run("append_" + mailboxCount + "_mailboxes", messages, n -> store.messages().append(
                    many.get((int) (n % many.size())), BenchStore.message(n), Flags.EMPTY, date));
            print("ratios append_1_mailbox/raw_insert=%.3f append_1_mailbox/raw_lwt_insert=%.3f"
                            + " append_%d_mailboxes/raw_insert=%.3f append_%d_mailboxes/raw_lwt_insert=%.3f"
                            + " raw_lwt_insert/raw_insert=%.3f",
                    single / plain, single / light, mailboxCount, spread / plain, mailboxCount, spread / light,
                    light / plain);
            session.execute("TRUNCATE " + raw);
        }
        return 0;
    }

    /** Runs {@code count} operations with {@link #inFlight} in flight; prints and returns operations/s. */
    private double run(String name, int count, LongFunction<CompletionStage<?>> operation) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (long n = 0; n < count; n++) {
            permits.acquire();
            CompletionStage<?> stage;
            try {
                stage = operation.apply(n);
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
            stage.whenComplete((r, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    failure.compareAndSet(null, e);
                }
                permits.release();
            });
        }
        permits.acquire(inFlight);
        permits.release(inFlight);
        double secs = seconds(start);
        double rate = count / secs;
        print("%s operations=%d seconds=%.2f per_s=%.0f failed=%d%s", name, count, secs, rate, failed.get(),
                failure.get() == null ? "" : " first_failure=\"" + failure.get() + "\"");
        return rate;
    }
}
