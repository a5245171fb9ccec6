package io.stratusmail.storage.cassandra.address;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.address.Domain;
import io.stratusmail.mailbox.address.DomainRepository;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code local_domains}: the one partition {@value #SCOPE} with one row per local
 * domain. {@link #acceptsDomain} costs two single-row reads of that partition, in parallel. Every stage fails
 * with {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra cannot answer at the
 * configured consistency.
 */
public final class CassandraDomainRepository implements DomainRepository {

    /** The partition key of the list of local domains. */
    static final String SCOPE = "local";

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectAny;
    private final PreparedStatement selectAll;
    private final PreparedStatement delete;

    private CassandraDomainRepository(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.selectOne = ps.get(1);
        this.selectAny = ps.get(2);
        this.selectAll = ps.get(3);
        this.delete = ps.get(4);
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraDomainRepository> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("local_domains");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (scope, domain) VALUES (?, ?)",
                        "SELECT domain FROM " + t + " WHERE scope = ? AND domain = ?",
                        "SELECT domain FROM " + t + " WHERE scope = ? LIMIT 1",
                        "SELECT domain FROM " + t + " WHERE scope = ?",
                        "DELETE FROM " + t + " WHERE scope = ? AND domain = ?"))
                .thenApply(ps -> new CassandraDomainRepository(session, config, ps));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    @Override
    public CompletionStage<Boolean> addDomain(Domain domain) {
        return listed(domain).thenCompose(present -> present
                ? CompletableFuture.completedFuture(false)
                : AsyncCql.execute(session, bind(insert, SCOPE, domain.value()), "add domain").thenApply(rs -> true));
    }

    @Override
    public CompletionStage<Boolean> deleteDomain(Domain domain) {
        return listed(domain).thenCompose(present -> !present
                ? CompletableFuture.completedFuture(false)
                : AsyncCql.execute(session, bind(delete, SCOPE, domain.value()), "delete domain").thenApply(rs -> true));
    }

    /** Every local domain, sorted (the clustering order); read page by page. */
    @Override
    public CompletionStage<List<Domain>> listDomains() {
        return AsyncCql.collect(session.executeAsync(bind(selectAll, SCOPE).setPageSize(config.pageSize())),
                row -> true, (Row row) -> new Domain(row.getString("domain")), "list domains");
    }

    @Override
    public CompletionStage<Boolean> acceptsDomain(Domain domain) {
        CompletableFuture<Boolean> listed = listed(domain).toCompletableFuture();
        CompletableFuture<Boolean> empty = AsyncCql.execute(session, bind(selectAny, SCOPE), "read domains")
                .thenApply(rs -> rs.one() == null).toCompletableFuture();
        return listed.thenCombine(empty, (l, e) -> l || e);
    }

    private CompletionStage<Boolean> listed(Domain domain) {
        return AsyncCql.execute(session, bind(selectOne, SCOPE, domain.value()), "read domain")
                .thenApply(rs -> rs.one() != null);
    }
}
