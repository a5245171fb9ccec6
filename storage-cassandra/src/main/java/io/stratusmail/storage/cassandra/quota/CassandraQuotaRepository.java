package io.stratusmail.storage.cassandra.quota;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaRepository;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Per-user quota limits in the columns {@code quota_storage} and {@code quota_messages} of the table
 * {@code users} (migration V7): the limits live and die with the account's row. A column holds null (not set:
 * the node default applies), {@value #UNLIMITED} (unlimited) or the limit (octets, messages). Every stage fails
 * with {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra cannot answer at the configured
 * consistency.
 */
public final class CassandraQuotaRepository implements QuotaRepository {

    /** The stored value of an explicitly unlimited resource. */
    static final long UNLIMITED = -1;

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement select;
    private final PreparedStatement update;

    private CassandraQuotaRepository(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.select = ps.get(0);
        this.update = ps.get(1);
    }

    /** Prepares the statements once; the schema must be migrated (V7). */
    public static CompletionStage<CassandraQuotaRepository> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("users");
        return AsyncCql.prepareAll(session, List.of(
                        "SELECT password_hash, quota_storage, quota_messages FROM " + t + " WHERE username = ?",
                        "UPDATE " + t + " SET quota_storage = ?, quota_messages = ? WHERE username = ? IF EXISTS"))
                .thenApply(ps -> new CassandraQuotaRepository(session, config, ps));
    }

    @Override
    public CompletionStage<Optional<UserQuota>> quota(Username user) {
        return AsyncCql.execute(session, select.bind(user.value()).setConsistencyLevel(config.consistency())
                        .setIdempotent(true), "read quota")
                .thenApply(rs -> Optional.ofNullable(rs.one())
                        // a row without a password is what a quota update racing with a deletion could leave
                        .filter(row -> row.getString("password_hash") != null)
                        .map(row -> new UserQuota(decode(row, "quota_storage"), decode(row, "quota_messages"))));
    }

    /**
     * Writes both limits with one conditional update ({@code IF EXISTS}, one Paxos round at the configured serial
     * consistency), so a change racing with the account's deletion cannot bring the row back.
     */
    @Override
    public CompletionStage<Boolean> setQuota(Username user, UserQuota quota) {
        return AsyncCql.execute(session, update.bind(encode(quota.storage()), encode(quota.messages()), user.value())
                        .setConsistencyLevel(config.consistency())
                        .setSerialConsistencyLevel(config.serialConsistency()), "set quota")
                .thenApply(rs -> rs.wasApplied());
    }

    private static QuotaLimit decode(Row row, String column) {
        if (row.isNull(column)) {
            return QuotaLimit.DEFAULT;
        }
        long value = row.getLong(column);
        return value == UNLIMITED ? QuotaLimit.UNLIMITED : QuotaLimit.of(Math.max(0, value));
    }

    private static Long encode(QuotaLimit limit) {
        return switch (limit.kind()) {
            case DEFAULT -> null;
            case UNLIMITED -> UNLIMITED;
            case LIMITED -> limit.max();
        };
    }
}
