package io.stratusmail.storage.cassandra.mailbox;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data access for the table {@code mailboxes}: one partition per user, one row per mailbox name
 * ({@code name -> id, uid_validity}), and the user's UIDVALIDITY counter as the static
 * {@code last_uid_validity}.
 *
 * <p>UIDVALIDITY (RFC 3501 section 2.3.1.1): {@link #create} claims the name ({@code IF NOT EXISTS}) and
 * advances the counter ({@code IF last_uid_validity = n}) in one conditional batch, so each mailbox of a user
 * gets a distinct value, and a name deleted and created again gets a larger one. The value is
 * {@code max(n + 1, now in epoch seconds)}: non-zero, fits unsigned 32 bits until the year 2106, and stays
 * ascending even if the user's partition were ever deleted and started again.
 */
public final class CassandraMailboxRepository implements MailboxRepository {

    static final long MAX_UID_VALIDITY = 0xFFFF_FFFFL;
    private static final Logger LOG = LoggerFactory.getLogger(CassandraMailboxRepository.class);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final Clock clock;
    private final PreparedStatement advanceCounter;
    private final PreparedStatement insertName;
    private final PreparedStatement readCounter;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectAll;

    private CassandraMailboxRepository(CqlSession session, CassandraStoreConfig config, Clock clock,
                                       List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.clock = clock;
        this.advanceCounter = ps.get(0);
        this.insertName = ps.get(1);
        this.readCounter = ps.get(2);
        this.selectOne = ps.get(3);
        this.selectAll = ps.get(4);
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraMailboxRepository> prepare(CqlSession session,
                                                                      CassandraStoreConfig config) {
        String t = config.table("mailboxes");
        return AsyncCql.prepareAll(session, List.of(
                        "UPDATE " + t + " SET last_uid_validity = ? WHERE owner = ? IF last_uid_validity = ?",
                        "INSERT INTO " + t + " (owner, name, id, uid_validity) VALUES (?, ?, ?, ?) IF NOT EXISTS",
                        "SELECT last_uid_validity FROM " + t + " WHERE owner = ? LIMIT 1",
                        "SELECT id, uid_validity FROM " + t + " WHERE owner = ? AND name = ?",
                        "SELECT name, id, uid_validity FROM " + t + " WHERE owner = ?"))
                .thenApply(ps -> new CassandraMailboxRepository(session, config, Clock.systemUTC(), ps));
    }

    /**
     * Creates the mailbox with a fresh UIDVALIDITY. Fails with {@link MailboxExistsException} when the name
     * is taken (also when another node took it a moment earlier), with {@link StorageUnavailableException}
     * when Cassandra cannot commit or other creations for the same user keep winning the counter.
     */
    @Override
    public CompletionStage<Mailbox> create(Username owner, MailboxName name) {
        return AsyncCql.execute(session, readCounter.bind(owner.value())
                                .setConsistencyLevel(config.consistency()).setIdempotent(true), "create mailbox")
                .thenCompose(rs -> {
                    Row row = rs.one();
                    Long counter = row == null || row.isNull(0) ? null : row.getLong(0);
                    return attemptCreate(owner, name, counter, 1);
                });
    }

    private CompletionStage<Mailbox> attemptCreate(Username owner, MailboxName name, Long counter, int attempt) {
        long uidValidity = Math.max(counter == null ? 1 : counter + 1, clock.instant().getEpochSecond());
        if (uidValidity > MAX_UID_VALIDITY) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("UIDVALIDITY space of user " + owner + " is exhausted"));
        }
        MailboxId id = MailboxId.random();
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
                        advanceCounter.bind(uidValidity, owner.value(), counter),
                        insertName.bind(owner.value(), name.value(), id.value(), uidValidity))
                .setConsistencyLevel(config.consistency())
                .setSerialConsistencyLevel(config.serialConsistency());
        return AsyncCql.execute(session, batch, "create mailbox").thenCompose(rs -> {
            if (rs.wasApplied()) {
                LOG.info("event=mailbox_created owner={} mailbox={} id={} uidvalidity={}",
                        owner, name, id, uidValidity);
                return CompletableFuture.completedFuture(new Mailbox(id, owner, name, uidValidity));
            }
            Long current = null;
            for (Row row : rs.currentPage()) {
                if (has(row, "name") && name.value().equals(row.getString("name")) && has(row, "id")) {
                    return CompletableFuture.failedFuture(new MailboxExistsException(name));
                }
                if (has(row, "last_uid_validity")) {
                    current = row.getLong("last_uid_validity");
                }
            }
            if (attempt >= config.maxCasAttempts()) {
                return CompletableFuture.failedFuture(new StorageUnavailableException(
                        "create mailbox: UIDVALIDITY counter of " + owner + " contended " + attempt + " times", null));
            }
            Long next = current;
            return AsyncCql.jitter(AsyncCql.CAS_RETRY_JITTER_MICROS).thenCompose(v -> attemptCreate(owner, name, next, attempt + 1));
        });
    }

    private static boolean has(Row row, String column) {
        return row.getColumnDefinitions().contains(column) && !row.isNull(column);
    }

    @Override
    public CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name) {
        return find(owner, name, config.consistency());
    }

    private CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name, ConsistencyLevel consistency) {
        return AsyncCql.execute(session, selectOne.bind(owner.value(), name.value())
                        .setConsistencyLevel(consistency).setIdempotent(true), "find mailbox")
                .thenApply(rs -> Optional.ofNullable(rs.one())
                        .filter(row -> !row.isNull("id"))
                        .map(row -> new Mailbox(new MailboxId(row.getUuid("id")), owner, name,
                                row.getLong("uid_validity"))));
    }

    @Override
    public CompletionStage<List<Mailbox>> list(Username owner) {
        CompletionStage<AsyncResultSet> first = session.executeAsync(selectAll.bind(owner.value())
                .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize()));
        return AsyncCql.collect(first, row -> !row.isNull("name") && !row.isNull("id"),
                        row -> new Mailbox(new MailboxId(row.getUuid("id")), owner,
                                new MailboxName(row.getString("name")), row.getLong("uid_validity")),
                        "list mailboxes")
                .thenApply(all -> {
                    List<Mailbox> sorted = new ArrayList<>(all);
                    sorted.sort((a, b) -> a.name().compareTo(b.name()));
                    return sorted;
                });
    }

    /**
     * Returns the INBOX, creating it when missing. When several nodes race, one creation wins and every
     * caller gets that mailbox: the losers see {@link MailboxExistsException} and read the winner's row at
     * serial consistency (which also completes a creation still in flight).
     */
    @Override
    public CompletionStage<Mailbox> ensureInbox(Username owner) {
        return find(owner, MailboxName.INBOX).thenCompose(found -> found
                .<CompletionStage<Mailbox>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> create(owner, MailboxName.INBOX).handle((created, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(created);
                    }
                    if (StorageErrors.unwrap(error) instanceof MailboxExistsException) {
                        return find(owner, MailboxName.INBOX, config.serialConsistency()).thenApply(m -> m.orElseThrow(
                                () -> new IllegalStateException("INBOX of " + owner + " exists but cannot be read")));
                    }
                    return CompletableFuture.<Mailbox>failedFuture(StorageErrors.unwrap(error));
                }).thenCompose(stage -> stage)));
    }
}
