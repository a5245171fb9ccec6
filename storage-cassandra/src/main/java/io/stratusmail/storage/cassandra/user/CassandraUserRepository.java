package io.stratusmail.storage.cassandra.user;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code users} (one partition per user: {@code username -> password_hash}).
 * Holds only PHC hashes, never passwords. Every stage fails with
 * {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra cannot answer at the configured
 * consistency.
 */
public final class CassandraUserRepository implements UserRepository {

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement selectAll;
    private final PreparedStatement delete;
    private final PreparedStatement updateIfExists;
    private final UserMailDeletion mail;

    private CassandraUserRepository(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps,
                                    UserMailDeletion mail) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.select = ps.get(1);
        this.selectAll = ps.get(2);
        this.delete = ps.get(3);
        this.updateIfExists = ps.get(4);
        this.mail = mail;
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraUserRepository> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("users");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (username, password_hash) VALUES (?, ?)",
                        "SELECT password_hash FROM " + t + " WHERE username = ?",
                        "SELECT username FROM " + t,
                        "DELETE FROM " + t + " WHERE username = ?",
                        "UPDATE " + t + " SET password_hash = ? WHERE username = ? IF EXISTS"))
                .thenCombine(UserMailDeletion.prepare(session, config),
                        (ps, mail) -> new CassandraUserRepository(session, config, ps, mail));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    @Override
    public CompletionStage<Void> put(Username user, String passwordHash) {
        if (passwordHash == null || passwordHash.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("password hash must not be empty"));
        }
        return AsyncCql.execute(session, bind(insert, user.value(), passwordHash), "put user").thenApply(rs -> null);
    }

    @Override
    public CompletionStage<Optional<String>> passwordHash(Username user) {
        return AsyncCql.execute(session, bind(select, user.value()), "read user")
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getString("password_hash")));
    }

    /** Every user, sorted by name; reads the whole table page by page (administration only). */
    @Override
    public CompletionStage<List<Username>> list() {
        return AsyncCql.collect(session.executeAsync(bind(selectAll).setPageSize(config.pageSize())),
                        row -> true, (Row row) -> new Username(row.getString("username")), "list users")
                .thenApply(users -> {
                    List<Username> sorted = new ArrayList<>(users);
                    sorted.sort(Comparator.comparing(Username::value));
                    return sorted;
                });
    }

    /**
     * Deletes the account. Reads first to answer whether it existed; a concurrent put for the same user
     * may win or lose, as with any two administrators racing.
     */
    @Override
    public CompletionStage<Boolean> delete(Username user) {
        return passwordHash(user).thenCompose(existing -> existing.isEmpty()
                ? CompletableFuture.completedFuture(false)
                : AsyncCql.execute(session, bind(delete, user.value()), "delete user").thenApply(rs -> true));
    }

    /**
     * Replaces the hash with a conditional update ({@code IF EXISTS}, one Paxos round at the configured serial
     * consistency), so a change racing with a deletion cannot recreate the account.
     */
    @Override
    public CompletionStage<Boolean> replacePasswordHash(Username user, String passwordHash) {
        if (passwordHash == null || passwordHash.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("password hash must not be empty"));
        }
        return AsyncCql.execute(session, updateIfExists.bind(passwordHash, user.value())
                        .setConsistencyLevel(config.consistency())
                        .setSerialConsistencyLevel(config.serialConsistency()), "change password")
                .thenApply(rs -> rs.wasApplied());
    }

    /**
     * Deletes the account first (no new login, no new delivery), then its mail ({@link UserMailDeletion}).
     * After a failure half-way the account is gone and running this again deletes the rest of the mail.
     */
    @Override
    public CompletionStage<Boolean> deleteWithMail(Username user) {
        return delete(user).thenCompose(existed -> mail.delete(user).thenApply(mailboxes -> existed));
    }
}
