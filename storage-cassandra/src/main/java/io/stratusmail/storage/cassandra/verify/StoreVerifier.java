package io.stratusmail.storage.cassandra.verify;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.verify.MailboxCheck.Recount;
import io.stratusmail.storage.cassandra.verify.MailboxCheck.Statics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stratus verify}: compares what the store keeps twice and reports each difference as a {@link Finding};
 * with {@code repair} it repairs what can be repaired safely while nodes keep running.
 *
 * <p>Checked, per user (all users, found by a paged {@code SELECT DISTINCT owner} over the {@code mailboxes}
 * token ring, or one user):
 * <ul>
 *   <li>registry ({@code mailboxes}, one consistent read of the user's partition): names valid, a mailbox row
 *       has both id and UIDVALIDITY, ids and UIDVALIDITYs unique, every name's parent exists
 *       ({@code missing_parent}; repair: a {@code \Noselect} placeholder), the UIDVALIDITY counter not below a
 *       used value ({@code uid_validity_counter_behind}; repair: raise it). Repairs are one conditional batch
 *       on {@code registry_change}, like every registry change;</li>
 *   <li>per selectable mailbox ({@code messages}, one paged sequential read of its UID range between two serial
 *       reads of the statics; repeated while a concurrent change moves {@code highest_modseq} in between):
 *       MESSAGES/UNSEEN/SIZE counters against the recount ({@code counter_mismatch}), UIDNEXT above every UID
 *       ({@code uid_not_below_next_uid}), HIGHESTMODSEQ not below any MODSEQ
 *       ({@code modseq_above_highest}), statics present when rows exist ({@code statics_missing}); repair: one
 *       conditional update of the statics on the values read ({@link MailboxCheck}), so a concurrent writer
 *       wins and the repair is retried, then reported {@code repair=not_done};</li>
 *   <li>per message row: its cells present ({@code message_row_incomplete}), every chunk of its blob present
 *       ({@code missing_blob}), its reference in {@code blobs} present ({@code missing_blob_reference}) with the
 *       blob's size ({@code blob_size_mismatch}). Never repaired: the message is reported, not deleted ({@code repair=unsafe}),
 *       because deleting it would lose what may still be recovered from a replica or a backup;</li>
 *   <li>{@code deleted_mailboxes} records older than {@link #DELETE_GRACE} whose id is still in the owner's
 *       registry ({@code deleted_mailbox_still_registered}: the DELETE failed after its record; the collector
 *       skips such ids, so this is reported only);</li>
 *   <li>quota usage: the recounted messages and octets summed per user ({@link UserUsage}); exact by
 *       construction once the counters are.</li>
 * </ul>
 * Memory is bounded: one page of rows, one user's registry and {@value BlobCheck#IN_FLIGHT} blob reads at a
 * time. Blocking (synchronous driver calls): for the command line, never a Netty event loop. Without
 * {@code repair} nothing is written.
 */
public final class StoreVerifier {

    /** How old a {@code deleted_mailboxes} record must be before a still registered id is reported. */
    public static final Duration DELETE_GRACE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(StoreVerifier.class);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final Clock clock;
    private final RegistryCheck registry;
    private final MailboxCheck mailboxes;
    private final BlobCheck blobs;
    private final PreparedStatement owners;
    private final PreparedStatement user;
    private final PreparedStatement deleted;

    private StoreVerifier(CqlSession session, CassandraStoreConfig config, Clock clock) {
        this.session = session;
        this.config = config;
        this.clock = clock;
        boolean references = session.getMetadata().getKeyspace(config.keyspace())
                .flatMap(k -> k.getTable("blobs")).isPresent();
        this.registry = new RegistryCheck(session, config);
        this.mailboxes = new MailboxCheck(session, config, references);
        this.blobs = new BlobCheck(session, config, references);
        this.owners = session.prepare("SELECT DISTINCT owner FROM " + config.table("mailboxes"));
        this.user = session.prepare("SELECT username FROM " + config.table("users") + " WHERE username = ?");
        this.deleted = session.prepare("SELECT mailbox_id, owner, name, deleted_at FROM "
                + config.table("deleted_mailboxes"));
    }

    /** Prepares the statements (blocking); the schema must be migrated. */
    public static StoreVerifier prepare(CqlSession session, CassandraStoreConfig config) {
        return new StoreVerifier(session, config, Clock.systemUTC());
    }

    /**
     * Runs the checks.
     *
     * @param only     one user, or null for every user
     * @param repair   whether to repair what can be repaired safely (otherwise nothing is written)
     * @param findings receives each finding once, possibly from a driver thread (calls are serialised)
     * @param usage    receives each user's recounted usage once verified
     * @return the totals
     * @throws IllegalArgumentException             when {@code only} has neither an account nor mailboxes
     * @throws io.stratusmail.mailbox.StorageUnavailableException when Cassandra does not answer
     * @throws InterruptedException                 when interrupted
     */
    public VerifySummary run(Username only, boolean repair, Consumer<Finding> findings, Consumer<UserUsage> usage)
            throws InterruptedException {
        Run run = new Run(repair, findings);
        if (only != null) {
            RegistryCheck.Registry r = registry.read(only.value());
            if (!r.exists() && session.execute(user.bind(only.value()).setConsistencyLevel(config.consistency()))
                    .one() == null) {
                throw new IllegalArgumentException("unknown user " + only);
            }
            usage.accept(verifyUser(run, only.value()));
        } else {
            for (Row row : session.execute(owners.bind().setConsistencyLevel(config.consistency())
                    .setPageSize(config.pageSize()))) {
                usage.accept(verifyUser(run, row.getString("owner")));
            }
        }
        verifyDeleted(run, only == null ? null : only.value());
        VerifySummary summary = new VerifySummary(run.users.get(), run.mailboxes.get(), run.messages.get(),
                run.problems.get(), run.repaired.get());
        LOG.info("event=verify_done users={} mailboxes={} messages={} problems={} repaired={}", summary.users(),
                summary.mailboxes(), summary.messages(), summary.problems(), summary.repaired());
        return summary;
    }

    /** Counters and the sink of one run. */
    private static final class Run {
        final boolean repair;
        final Consumer<Finding> sink;
        final AtomicLong users = new AtomicLong();
        final AtomicLong mailboxes = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final AtomicLong problems = new AtomicLong();
        final AtomicLong repaired = new AtomicLong();

        Run(boolean repair, Consumer<Finding> sink) {
            this.repair = repair;
            this.sink = sink;
        }

        synchronized void report(Finding finding) {
            problems.incrementAndGet();
            if (finding.repair() == Finding.Repair.DONE) {
                repaired.incrementAndGet();
            }
            sink.accept(finding);
        }

        /** Outcome for a finding that has no safe repair. */
        Finding.Repair unsafe() {
            return repair ? Finding.Repair.UNSAFE : Finding.Repair.NOT_ASKED;
        }
    }

    private UserUsage verifyUser(Run run, String owner) throws InterruptedException {
        run.users.incrementAndGet();
        RegistryCheck.Registry read = verifyRegistry(run, owner);
        long count = 0;
        long messages = 0;
        long size = 0;
        for (RegistryCheck.Entry e : read.entries()) {
            if (e.id() == null) {
                continue;
            }
            Recount recount = verifyMailbox(run, owner, e.name(), e.id());
            count++;
            messages += recount.messages();
            size += recount.size();
        }
        return new UserUsage(owner, count, messages, size);
    }

    private RegistryCheck.Registry verifyRegistry(Run run, String owner) {
        RegistryCheck.Registry read = registry.read(owner);
        RegistryCheck.Plan plan = RegistryCheck.plan(owner, read);
        if (!run.repair || !plan.repairs()) {
            RegistryCheck.Plan found = plan;
            found.findings().forEach(f -> run.report(f.with(found.repairable().contains(f) ? notAsked(run)
                    : run.unsafe())));
            return read;
        }
        for (int attempt = 1; attempt <= config.maxCasAttempts(); attempt++) {
            if (registry.repair(owner, read, plan)) {
                RegistryCheck.Plan done = plan;
                done.findings().forEach(f -> run.report(f.with(done.repairable().contains(f) ? Finding.Repair.DONE
                        : Finding.Repair.UNSAFE)));
                LOG.info("event=verify_registry_repaired user={} placeholders={}", owner, plan.missingParents().size());
                return registry.read(owner);
            }
            read = registry.read(owner);
            plan = RegistryCheck.plan(owner, read);
            if (!plan.repairs()) {
                plan.findings().forEach(f -> run.report(f.with(Finding.Repair.UNSAFE)));
                return read;
            }
        }
        RegistryCheck.Plan lost = plan;
        lost.findings().forEach(f -> run.report(f.with(lost.repairable().contains(f) ? Finding.Repair.NOT_DONE
                : Finding.Repair.UNSAFE)));
        return read;
    }

    private static Finding.Repair notAsked(Run run) {
        return run.repair ? Finding.Repair.NOT_DONE : Finding.Repair.NOT_ASKED;
    }

    /** Verifies one mailbox's partition; returns the recount of its rows. */
    private Recount verifyMailbox(Run run, String owner, String name, UUID id) throws InterruptedException {
        run.mailboxes.incrementAndGet();
        boolean rowsChecked = false;
        List<Finding> last = List.of();
        Recount recount = null;
        for (int attempt = 1; attempt <= config.maxCasAttempts(); attempt++) {
            Statics before = mailboxes.statics(id);
            boolean checkRows = !rowsChecked;
            recount = mailboxes.recount(id, checkRows ? row -> checkRow(run, owner, name, id, row) : null);
            if (checkRows) {
                blobs.await();
                rowsChecked = true;
            }
            Statics after = mailboxes.statics(id);
            if (!before.sameVersion(after)) {
                continue; // a change committed during the read: the recount may mix two versions
            }
            Statics fixed = fixed(after, recount);
            last = differences(owner, name, after, recount);
            if (last.isEmpty()) {
                run.messages.addAndGet(recount.messages());
                return recount;
            }
            if (!run.repair) {
                last.forEach(run::report);
                run.messages.addAndGet(recount.messages());
                return recount;
            }
            if (mailboxes.repair(id, after, fixed)) {
                last.forEach(f -> run.report(f.with(Finding.Repair.DONE)));
                LOG.info("event=verify_counters_repaired user={} mailbox={} fields={}", owner, name, last.size());
                run.messages.addAndGet(recount.messages());
                return recount;
            }
        }
        if (last.isEmpty()) {
            run.report(new Finding(owner, name, "changed_while_verified", Map.of("attempts",
                    String.valueOf(config.maxCasAttempts())), run.repair ? Finding.Repair.NOT_DONE
                    : Finding.Repair.NOT_ASKED));
        } else {
            last.forEach(f -> run.report(f.with(Finding.Repair.NOT_DONE)));
        }
        run.messages.addAndGet(recount.messages());
        return recount;
    }

    private void checkRow(Run run, String owner, String name, UUID id, MailboxCheck.MessageRow row) {
        if (row.modSeq() == null || row.size() == null || row.blobId() == null) {
            List<String> missing = new ArrayList<>();
            if (row.modSeq() == null) {
                missing.add("modseq");
            }
            if (row.size() == null) {
                missing.add("size");
            }
            if (row.blobId() == null) {
                missing.add("blob_id");
            }
            run.report(new Finding(owner, name, "message_row_incomplete", details("uid", row.uid(), "missing",
                    String.join(",", missing)), run.unsafe()));
            return;
        }
        try {
            blobs.check(row.blobId(), row.size() - row.prefixLength(), id, row.refId(), p -> run.report(
                    new Finding(owner, name, p.problem(), details("uid", row.uid(), "blob", row.blobId(), p.key(),
                            p.value()), run.unsafe())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The statics with every difference to the recount corrected (only ever raising UIDNEXT/HIGHESTMODSEQ). */
    private static Statics fixed(Statics stored, Recount actual) {
        long nextUid = Math.max(stored.nextUid() == null ? 1 : stored.nextUid(), actual.maxUid() + 1);
        long highest = Math.max(stored.highestModSeq() == null ? 0 : stored.highestModSeq(), actual.maxModSeq());
        if (!stored.countersKnown() && stored.nextUid() != null) {
            // written before schema version 3: the store counts them itself (and sets the \Recent floor with them)
            return new Statics(nextUid, highest, stored.messages(), stored.unseen(), stored.size());
        }
        return new Statics(nextUid, highest, actual.messages(), actual.unseen(), actual.size());
    }

    private static List<Finding> differences(String owner, String name, Statics stored, Recount actual) {
        List<Finding> out = new ArrayList<>();
        if (stored.nextUid() == null || stored.highestModSeq() == null) {
            if (actual.messages() > 0) {
                out.add(new Finding(owner, name, "statics_missing", details("actual_messages", actual.messages()),
                        Finding.Repair.NOT_ASKED));
            }
            return out;
        }
        if (stored.nextUid() <= actual.maxUid()) {
            out.add(new Finding(owner, name, "uid_not_below_next_uid", details("next_uid", stored.nextUid(),
                    "max_uid", actual.maxUid()), Finding.Repair.NOT_ASKED));
        }
        if (stored.highestModSeq() < actual.maxModSeq()) {
            out.add(new Finding(owner, name, "modseq_above_highest", details("highest_modseq",
                    stored.highestModSeq(), "max_modseq", actual.maxModSeq()), Finding.Repair.NOT_ASKED));
        }
        if (stored.countersKnown()) {
            counter(out, owner, name, "messages", stored.messages(), actual.messages());
            counter(out, owner, name, "unseen", stored.unseen(), actual.unseen());
            counter(out, owner, name, "size", stored.size(), actual.size());
        }
        return out;
    }

    private static void counter(List<Finding> out, String owner, String name, String field, long stored,
                                long actual) {
        if (stored != actual) {
            out.add(new Finding(owner, name, "counter_mismatch", details("field", field, "stored", stored,
                    "actual", actual), Finding.Repair.NOT_ASKED));
        }
    }

    /** Reports ids recorded as deleted (longer than {@link #DELETE_GRACE} ago) that are still registered. */
    private void verifyDeleted(Run run, String only) {
        Instant cutoff = clock.instant().minus(DELETE_GRACE);
        Map<String, Set<UUID>> registered = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<UUID>> eldest) {
                return size() > 1000;
            }
        };
        for (Row row : session.execute(deleted.bind().setConsistencyLevel(config.consistency())
                .setPageSize(config.pageSize()))) {
            String owner = row.getString("owner");
            Instant at = row.getInstant("deleted_at");
            if (owner == null || (only != null && !only.equals(owner)) || (at != null && at.isAfter(cutoff))) {
                continue;
            }
            Set<UUID> ids = registered.computeIfAbsent(owner, o -> {
                Set<UUID> set = new HashSet<>();
                registry.read(o).entries().forEach(e -> {
                    if (e.id() != null) {
                        set.add(e.id());
                    }
                });
                return set;
            });
            UUID id = row.getUuid("mailbox_id");
            if (ids.contains(id)) {
                run.report(new Finding(owner, row.getString("name"), "deleted_mailbox_still_registered",
                        details("id", id, "deleted_at", at), run.unsafe()));
            }
        }
    }

    private static Map<String, String> details(Object... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return out;
    }
}
