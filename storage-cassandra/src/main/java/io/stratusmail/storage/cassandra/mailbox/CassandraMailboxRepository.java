package io.stratusmail.storage.cassandra.mailbox;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxLimitException;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.SpecialUse;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.registry.MailboxTree;
import io.stratusmail.mailbox.registry.RegistryChange;
import io.stratusmail.mailbox.registry.RegistryEntry;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox registry on Cassandra: tables {@code mailboxes} (one partition per user, one row per name),
 * {@code subscriptions} (one partition per user) and {@code deleted_mailboxes} (ids left for the collector).
 *
 * <p>A {@code mailboxes} row is a mailbox ({@code id}, {@code uid_validity}, {@code special_use}) or, with a null
 * {@code id}, a {@code \Noselect} placeholder. The partition's statics are the user's UIDVALIDITY counter
 * {@code last_uid_validity}, the {@code provisioned} mark and {@code registry_change}, the random id of the last
 * committed change.
 *
 * <p>Every change (CREATE, DELETE, RENAME, provisioning) is optimistic over the whole user's registry: read the
 * partition, plan the change with {@link MailboxTree} (which checks the request and throws without any write),
 * then write all its rows in ONE conditional batch on that partition, {@code IF registry_change = <the value
 * read>}, setting a new {@code registry_change}. Cassandra applies a single-partition conditional batch
 * atomically and in isolation, so:
 * <ul>
 *   <li>two nodes creating the same name, or renaming the same mailbox to two names, cannot both commit: the
 *       loser's condition fails, it reads again and gets {@link MailboxExistsException} or
 *       {@link io.stratusmail.mailbox.MailboxNotFoundException};</li>
 *   <li>a RENAME moving many names (the mailbox and its inferiors: new rows inserted, old rows deleted) is all or
 *       nothing: a crash mid-way leaves either the old names or the new names, never both or neither, so no
 *       later repair is needed;</li>
 *   <li>UIDVALIDITY values come from the counter advanced in the same batch (RFC 3501 section 2.3.1.1): distinct
 *       per user and never reused by a re-created name.</li>
 * </ul>
 * A change whose outcome is unknown (Paxos timeout) is resolved by a serial read of {@code registry_change}:
 * seeing its own id means it was committed. Changes of one user are rare (human actions), so contention costs a
 * few retries at most; after {@link CassandraStoreConfig#maxCasAttempts()} lost rounds the change fails with
 * {@link StorageUnavailableException}.
 *
 * <p>Steps outside the batch, each safe on its own: DELETE first records the mailbox id in
 * {@code deleted_mailboxes} (the collector must check with {@link #findById} that the id is really gone, since
 * the batch may still lose); RENAME moves subscriptions after the batch (a crash in between leaves them on the
 * old names, which RFC 3501 section 6.3.6 allows).
 */
public final class CassandraMailboxRepository implements MailboxRepository {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraMailboxRepository.class);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final Clock clock;
    private final int maxNames;
    private final PreparedStatement selectTree;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectChange;
    private final PreparedStatement advance;
    private final PreparedStatement putRow;
    private final PreparedStatement removeRow;
    private final PreparedStatement recordDeleted;
    private final PreparedStatement subscribe;
    private final PreparedStatement unsubscribe;
    private final PreparedStatement selectSubscriptions;

    /** A read of the user's partition: the tree and the {@code registry_change} it was read at. */
    private record Snapshot(MailboxTree tree, UUID version) {
    }

    private CassandraMailboxRepository(CqlSession session, CassandraStoreConfig config, Clock clock, int maxNames,
                                       List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.clock = clock;
        this.maxNames = maxNames;
        this.selectTree = ps.get(0);
        this.selectOne = ps.get(1);
        this.selectChange = ps.get(2);
        this.advance = ps.get(3);
        this.putRow = ps.get(4);
        this.removeRow = ps.get(5);
        this.recordDeleted = ps.get(6);
        this.subscribe = ps.get(7);
        this.unsubscribe = ps.get(8);
        this.selectSubscriptions = ps.get(9);
    }

    /**
     * Prepares the statements once; the schema must be migrated. Each user may have at most
     * {@link MailboxTree#DEFAULT_MAX_NAMES} names.
     */
    public static CompletionStage<CassandraMailboxRepository> prepare(CqlSession session,
                                                                      CassandraStoreConfig config) {
        return prepare(session, config, MailboxTree.DEFAULT_MAX_NAMES);
    }

    /** As {@link #prepare(CqlSession, CassandraStoreConfig)}, with at most {@code maxNames} names per user. */
    public static CompletionStage<CassandraMailboxRepository> prepare(CqlSession session, CassandraStoreConfig config,
                                                                      int maxNames) {
        if (maxNames < 1) {
            throw new IllegalArgumentException("maxNames must be positive");
        }
        String t = config.table("mailboxes");
        String s = config.table("subscriptions");
        return AsyncCql.prepareAll(session, List.of(
                        "SELECT name, id, uid_validity, special_use, last_uid_validity, provisioned, registry_change"
                                + " FROM " + t + " WHERE owner = ?",
                        "SELECT id, uid_validity FROM " + t + " WHERE owner = ? AND name = ?",
                        "SELECT registry_change FROM " + t + " WHERE owner = ? LIMIT 1",
                        "UPDATE " + t + " SET registry_change = ?, last_uid_validity = ?, provisioned = ?"
                                + " WHERE owner = ? IF registry_change = ?",
                        "INSERT INTO " + t + " (owner, name, id, uid_validity, special_use) VALUES (?, ?, ?, ?, ?)",
                        "DELETE FROM " + t + " WHERE owner = ? AND name = ?",
                        "INSERT INTO " + config.table("deleted_mailboxes")
                                + " (day, mailbox_id, owner, name, uid_validity, deleted_at) VALUES (?, ?, ?, ?, ?, ?)",
                        "INSERT INTO " + s + " (owner, name) VALUES (?, ?)",
                        "DELETE FROM " + s + " WHERE owner = ? AND name = ?",
                        "SELECT name FROM " + s + " WHERE owner = ?"))
                .thenApply(ps -> new CassandraMailboxRepository(session, config, Clock.systemUTC(), maxNames, ps));
    }

    private BoundStatement bind(PreparedStatement ps, ConsistencyLevel consistency, Object... values) {
        return ps.bind(values).setConsistencyLevel(consistency).setIdempotent(true);
    }

    // ---- reads

    @Override
    public CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name) {
        return AsyncCql.execute(session, bind(selectOne, config.consistency(), owner.value(), name.value()),
                        "find mailbox")
                .thenApply(rs -> Optional.ofNullable(rs.one())
                        .filter(row -> !row.isNull("id"))
                        .map(row -> new Mailbox(new MailboxId(row.getUuid("id")), owner, name,
                                row.getLong("uid_validity"))));
    }

    /** Reads the user's partition (one partition, bounded by the limit of names). Linear in the names. */
    @Override
    public CompletionStage<Optional<Mailbox>> findById(Username owner, MailboxId id) {
        return readTree(owner, 1).thenApply(s -> s.tree().findById(id));
    }

    @Override
    public CompletionStage<List<Mailbox>> list(Username owner) {
        return readTree(owner, 1).thenApply(s -> s.tree().mailboxes());
    }

    @Override
    public CompletionStage<List<MailboxListing>> listWithAttributes(Username owner) {
        CompletableFuture<Snapshot> tree = readTree(owner, 1).toCompletableFuture();
        CompletableFuture<List<MailboxName>> subscribed = subscriptions(owner).toCompletableFuture();
        return tree.thenCombine(subscribed, (s, names) -> s.tree().listing(names));
    }

    @Override
    public CompletionStage<List<MailboxName>> subscriptions(Username owner) {
        return AsyncCql.collect(session.executeAsync(bind(selectSubscriptions, config.consistency(), owner.value())
                        .setPageSize(config.pageSize())),
                        row -> true, row -> new MailboxName(row.getString("name")), "list subscriptions")
                // Cassandra orders text by UTF-8 bytes; MailboxName order is Java's (as in every other list).
                .thenApply(names -> names.stream().sorted().toList());
    }

    /**
     * Reads the whole registry partition, page by page. Every row carries the statics; should a change commit
     * between two pages (different {@code registry_change} values), the read starts again.
     */
    private CompletionStage<Snapshot> readTree(Username owner, int attempt) {
        record Read(RegistryEntry entry, Long lastUidValidity, Boolean provisioned, UUID version) {
        }
        CompletionStage<AsyncResultSet> first = session.executeAsync(bind(selectTree, config.consistency(),
                owner.value()).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> true, row -> new Read(entry(row),
                        row.isNull("last_uid_validity") ? null : row.getLong("last_uid_validity"),
                        row.isNull("provisioned") ? null : row.getBoolean("provisioned"),
                        row.getUuid("registry_change")), "read mailboxes")
                .thenCompose(rows -> {
                    Set<UUID> versions = new HashSet<>();
                    rows.forEach(r -> versions.add(r.version() == null ? NO_CHANGE : r.version()));
                    if (versions.size() > 1) {
                        if (attempt >= config.maxCasAttempts()) {
                            return CompletableFuture.failedFuture(new StorageUnavailableException(
                                    "read mailboxes: registry of " + owner + " kept changing while read", null));
                        }
                        return readTree(owner, attempt + 1);
                    }
                    List<RegistryEntry> entries = new ArrayList<>();
                    long last = 0;
                    boolean provisioned = false;
                    UUID version = null;
                    for (Read r : rows) {
                        if (r.entry() != null) {
                            entries.add(r.entry());
                        }
                        last = r.lastUidValidity() == null ? last : r.lastUidValidity();
                        provisioned = r.provisioned() != null && r.provisioned();
                        version = r.version();
                    }
                    return CompletableFuture.completedFuture(
                            new Snapshot(new MailboxTree(owner, entries, last, provisioned, maxNames), version));
                });
    }

    /** Stand-in for "no change committed yet" when comparing versions across pages. */
    private static final UUID NO_CHANGE = new UUID(0, 0);

    /** The entry of a row; null for the row a partition with only statics returns. */
    private static RegistryEntry entry(Row row) {
        if (row.isNull("name")) {
            return null;
        }
        MailboxName name = new MailboxName(row.getString("name"));
        if (row.isNull("id")) {
            return RegistryEntry.placeholder(name);
        }
        Set<SpecialUse> uses = new HashSet<>();
        for (String attribute : row.getSet("special_use", String.class)) {
            try {
                uses.add(SpecialUse.fromAttribute(attribute));
            } catch (IllegalArgumentException e) {
                LOG.warn("event=unknown_special_use mailbox={} attribute={}", name, attribute);
            }
        }
        return new RegistryEntry(name, new MailboxId(row.getUuid("id")), row.getLong("uid_validity"), uses);
    }

    // ---- changes

    /**
     * Creates the mailbox (RFC 3501 section 6.3.3) with a fresh UIDVALIDITY; missing superior names become
     * {@code \Noselect} placeholders. See {@link MailboxTree#create} for the rules and errors.
     */
    @Override
    public CompletionStage<Mailbox> create(Username owner, MailboxName name, Set<SpecialUse> specialUse) {
        Set<SpecialUse> uses = SpecialUse.copyOf(specialUse);
        return commit(owner, "create mailbox", t -> t.create(name, uses, clock.instant()), 1)
                .thenApply(c -> {
                    Mailbox m = c.result().orElseThrow();
                    LOG.info("event=mailbox_created owner={} mailbox={} id={} uidvalidity={} special_use={}",
                            owner, name, m.id(), m.uidValidity(), uses);
                    return m;
                });
    }

    /**
     * Deletes the mailbox (RFC 3501 section 6.3.4); see {@link MailboxTree#delete}. The mailbox id is recorded in
     * {@code deleted_mailboxes} before the registry change, so its messages can always be found by the collector.
     */
    @Override
    public CompletionStage<Optional<Mailbox>> delete(Username owner, MailboxName name) {
        return commit(owner, "delete mailbox", t -> t.delete(name), 1).thenApply(c -> {
            LOG.info("event=mailbox_deleted owner={} mailbox={} id={} noselect_kept={}", owner, name,
                    c.removedMailbox().map(m -> m.id().toString()).orElse("none"), !c.puts().isEmpty());
            return c.removedMailbox();
        });
    }

    /**
     * Renames the mailbox and its inferior names (RFC 3501 section 6.3.5) in one atomic batch, then moves their
     * subscriptions. See {@link MailboxTree#rename} for the rules (INBOX special case) and errors.
     */
    @Override
    public CompletionStage<Void> rename(Username owner, MailboxName from, MailboxName to) {
        return commit(owner, "rename mailbox", t -> t.rename(from, to, clock.instant()), 1)
                .thenCompose(c -> {
                    LOG.info("event=mailbox_renamed owner={} from={} to={} names={}", owner, from, to,
                            Math.max(1, c.renamed().size()));
                    return moveSubscriptions(owner, c.renamed());
                });
    }

    /**
     * Returns the INBOX, creating it when missing. When several nodes race, one creation wins and every caller
     * gets that mailbox.
     */
    @Override
    public CompletionStage<Mailbox> ensureInbox(Username owner) {
        return find(owner, MailboxName.INBOX).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found.get())
                : commit(owner, "create INBOX", t -> t.ensureInbox(clock.instant()), 1)
                        .thenApply(c -> c.result().orElseThrow()));
    }

    /** Creates INBOX and the default mailboxes when needed; see {@link MailboxTree#provision}. */
    @Override
    public CompletionStage<Mailbox> provision(Username owner) {
        return commit(owner, "provision mailboxes", t -> t.provision(clock.instant()), 1).thenCompose(c -> {
            if (c.empty()) {
                return CompletableFuture.completedFuture(c.result().orElseThrow());
            }
            LOG.info("event=mailboxes_provisioned owner={} written={}", owner, c.puts().size());
            // After the batch: a crash in between leaves them unsubscribed, which RFC 3501 6.3.6 allows.
            CompletableFuture<?>[] subscribed = c.puts().stream().filter(e -> !e.isPlaceholder())
                    .map(e -> AsyncCql.execute(session, bind(subscribe, config.consistency(), owner.value(),
                            e.name().value()), "subscribe").toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(subscribed).thenApply(v -> c.result().orElseThrow());
        });
    }

    /**
     * Plans the change on a fresh read and commits it in one conditional batch; on a lost race reads and plans
     * again. Completes with the committed change (or the empty change when nothing had to be written).
     */
    private CompletionStage<RegistryChange> commit(Username owner, String operation,
                                                   Function<MailboxTree, RegistryChange> planner, int attempt) {
        return readTree(owner, 1).thenCompose(snapshot -> {
            RegistryChange change;
            try {
                change = planner.apply(snapshot.tree());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (change.empty()) {
                return CompletableFuture.completedFuture(change);
            }
            UUID token = UUID.randomUUID();
            return recordRemoved(owner, change)
                    .thenCompose(v -> session.executeAsync(batch(owner, snapshot.version(), token, change)))
                    .handle((rs, error) -> {
                        if (error == null && rs.wasApplied()) {
                            return CompletableFuture.completedFuture(change);
                        }
                        if (error != null && !StorageErrors.isUnknownCasOutcome(error)) {
                            return CompletableFuture.<RegistryChange>failedFuture(
                                    StorageErrors.translate(error, operation));
                        }
                        CompletionStage<Boolean> committed = error == null ? CompletableFuture.completedFuture(false)
                                : committedChange(owner, token, operation);
                        return committed.thenCompose(done -> done ? CompletableFuture.completedFuture(change)
                                : retry(owner, operation, planner, attempt));
                    })
                    .thenCompose(stage -> stage);
        });
    }

    private CompletionStage<RegistryChange> retry(Username owner, String operation,
                                                  Function<MailboxTree, RegistryChange> planner, int attempt) {
        if (attempt >= config.maxCasAttempts()) {
            return CompletableFuture.failedFuture(new StorageUnavailableException(
                    operation + ": registry of " + owner + " contended " + attempt + " times", null));
        }
        return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS)
                .thenCompose(v -> commit(owner, operation, planner, attempt + 1));
    }

    /** Whether the change with this token was committed: a serial read completes any Paxos round in flight. */
    private CompletionStage<Boolean> committedChange(Username owner, UUID token, String operation) {
        return AsyncCql.execute(session, bind(selectChange, config.serialConsistency(), owner.value()), operation)
                .thenApply(rs -> {
                    Row row = rs.one();
                    return row != null && token.equals(row.getUuid("registry_change"));
                });
    }

    private BatchStatement batch(Username owner, UUID expected, UUID token, RegistryChange change) {
        BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.LOGGED)
                .setConsistencyLevel(config.consistency())
                .setSerialConsistencyLevel(config.serialConsistency());
        b.addStatement(advance.bind(token, change.lastUidValidity(), change.provisioned(), owner.value(), expected));
        for (MailboxName name : change.removals()) {
            b.addStatement(removeRow.bind(owner.value(), name.value()));
        }
        for (RegistryEntry e : change.puts()) {
            b.addStatement(putRow.bind(owner.value(), e.name().value(), e.id() == null ? null : e.id().value(),
                    e.isPlaceholder() ? null : e.uidValidity(),
                    e.specialUse().stream().map(SpecialUse::attribute).collect(Collectors.toSet())));
        }
        return b.build();
    }

    /**
     * Records the mailbox a DELETE removes. Its message partition and blobs are collected later by the gc, which
     * finds them here (one partition per UTC day) and must first check the id is gone from the registry.
     */
    private CompletionStage<Void> recordRemoved(Username owner, RegistryChange change) {
        if (change.removedMailbox().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Mailbox m = change.removedMailbox().get();
        Instant now = clock.instant();
        return AsyncCql.execute(session, bind(recordDeleted, config.consistency(), LocalDate.ofInstant(now, ZoneOffset.UTC),
                        m.id().value(), owner.value(), m.name().value(), m.uidValidity(), now), "record deleted mailbox")
                .thenApply(rs -> null);
    }

    // ---- subscriptions

    /**
     * Adds the name to the user's subscriptions (RFC 3501 section 6.3.6); the mailbox need not exist. Idempotent.
     * Fails with {@link MailboxLimitException} when the user already has the limit of subscriptions (checked
     * before the write, so racing SUBSCRIBEs may pass it by a few).
     */
    @Override
    public CompletionStage<Void> subscribe(Username owner, MailboxName name) {
        return subscriptions(owner).thenCompose(names -> {
            if (!names.contains(name) && names.size() >= maxNames) {
                return CompletableFuture.failedFuture(new MailboxLimitException(
                        "user " + owner + " has " + names.size() + " subscriptions; the limit is " + maxNames));
            }
            return AsyncCql.execute(session, bind(subscribe, config.consistency(), owner.value(), name.value()),
                    "subscribe").thenApply(rs -> null);
        });
    }

    /** Removes the name from the user's subscriptions (RFC 3501 section 6.3.7). Idempotent. */
    @Override
    public CompletionStage<Void> unsubscribe(Username owner, MailboxName name) {
        return AsyncCql.execute(session, bind(unsubscribe, config.consistency(), owner.value(), name.value()),
                "unsubscribe").thenApply(rs -> null);
    }

    /** Moves the subscriptions of renamed names, in one single-partition batch (atomic, not conditional). */
    private CompletionStage<Void> moveSubscriptions(Username owner, Map<MailboxName, MailboxName> renamed) {
        if (renamed.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return subscriptions(owner).thenCompose(names -> {
            BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.LOGGED)
                    .setConsistencyLevel(config.consistency());
            for (MailboxName n : names) {
                MailboxName to = renamed.get(n);
                if (to != null) {
                    b.addStatement(unsubscribe.bind(owner.value(), n.value()));
                    b.addStatement(subscribe.bind(owner.value(), to.value()));
                }
            }
            if (b.getStatementsCount() == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return AsyncCql.execute(session, b.setIdempotence(true).build(), "move subscriptions").thenApply(rs -> null);
        });
    }

    @Override
    public String toString() {
        return "CassandraMailboxRepository[" + config.keyspace() + "]";
    }
}
