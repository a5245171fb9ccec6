package io.stratusmail.storage.cassandra.address;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.address.AliasLookup;
import io.stratusmail.mailbox.address.AliasRepository;
import io.stratusmail.mailbox.address.Domain;
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
 * Data access for the table {@code aliases}: one partition per source domain, one row per aliased local part
 * ({@code local_part -> target address}), and the row with the empty local part for the whole-domain alias
 * ({@code '' -> target domain}). {@link #lookupAlias} reads both rows that matter for an address in one
 * single-partition query. Every stage fails with {@link io.stratusmail.mailbox.StorageUnavailableException}
 * when Cassandra cannot answer at the configured consistency.
 */
public final class CassandraAliasRepository implements AliasRepository {

    /** The clustering key of the whole-domain alias row; no address has an empty local part. */
    static final String DOMAIN_ROW = "";

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement selectBoth;
    private final PreparedStatement selectOne;
    private final PreparedStatement selectAll;
    private final PreparedStatement delete;

    private CassandraAliasRepository(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.selectBoth = ps.get(1);
        this.selectOne = ps.get(2);
        this.selectAll = ps.get(3);
        this.delete = ps.get(4);
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<CassandraAliasRepository> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("aliases");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (domain, local_part, target) VALUES (?, ?, ?)",
                        "SELECT local_part, target FROM " + t + " WHERE domain = ? AND local_part IN (?, ?)",
                        "SELECT target FROM " + t + " WHERE domain = ? AND local_part = ?",
                        "SELECT domain, local_part, target FROM " + t,
                        "DELETE FROM " + t + " WHERE domain = ? AND local_part = ?"))
                .thenApply(ps -> new CassandraAliasRepository(session, config, ps));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    @Override
    public CompletionStage<Void> putAlias(Alias alias) {
        BoundStatement statement;
        if (alias instanceof Alias.AddressAlias a) {
            statement = bind(insert, domainOf(a.source()), Domain.localPart(a.source()), a.target().value());
        } else {
            Alias.DomainAlias d = (Alias.DomainAlias) alias;
            statement = bind(insert, d.source().value(), DOMAIN_ROW, d.target().value());
        }
        return AsyncCql.execute(session, statement, "put alias").thenApply(rs -> null);
    }

    @Override
    public CompletionStage<AliasLookup> lookupAlias(Username address) {
        Optional<Domain> domain = Domain.ofAddress(address);
        if (domain.isEmpty()) {
            return CompletableFuture.completedFuture(AliasLookup.NONE);
        }
        String local = Domain.localPart(address);
        return AsyncCql.execute(session, bind(selectBoth, domain.get().value(), DOMAIN_ROW, local), "read alias")
                .thenApply(rs -> {
                    Optional<Username> addressTarget = Optional.empty();
                    Optional<Domain> domainTarget = Optional.empty();
                    for (Row row : rs.currentPage()) {
                        String target = row.getString("target");
                        if (DOMAIN_ROW.equals(row.getString("local_part"))) {
                            domainTarget = Optional.of(new Domain(target));
                        } else {
                            addressTarget = Optional.of(new Username(target));
                        }
                    }
                    return new AliasLookup(addressTarget, domainTarget);
                });
    }

    @Override
    public CompletionStage<Optional<Domain>> domainAlias(Domain domain) {
        return AsyncCql.execute(session, bind(selectOne, domain.value(), DOMAIN_ROW), "read domain alias")
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> new Domain(row.getString("target"))));
    }

    /** Every alias, sorted by source; reads the whole table page by page (administration only). */
    @Override
    public CompletionStage<List<Alias>> listAliases() {
        return AsyncCql.collect(session.executeAsync(bind(selectAll).setPageSize(config.pageSize())), row -> true,
                        CassandraAliasRepository::alias, "list aliases")
                .thenApply(all -> {
                    List<Alias> sorted = new ArrayList<>(all);
                    sorted.sort(Comparator.comparing(Alias::sourceText));
                    return sorted;
                });
    }

    private static Alias alias(Row row) {
        String domain = row.getString("domain");
        String local = row.getString("local_part");
        String target = row.getString("target");
        return DOMAIN_ROW.equals(local)
                ? new Alias.DomainAlias(new Domain(domain), new Domain(target))
                : new Alias.AddressAlias(new Username(local + "@" + domain), new Username(target));
    }

    @Override
    public CompletionStage<Boolean> deleteAddressAlias(Username source) {
        Optional<Domain> domain = Domain.ofAddress(source);
        if (domain.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return deleteRow(domain.get().value(), Domain.localPart(source));
    }

    @Override
    public CompletionStage<Boolean> deleteDomainAlias(Domain source) {
        return deleteRow(source.value(), DOMAIN_ROW);
    }

    /** Reads first to answer whether the row existed; a concurrent put may win or lose, as for users. */
    private CompletionStage<Boolean> deleteRow(String domain, String localPart) {
        return AsyncCql.execute(session, bind(selectOne, domain, localPart), "read alias")
                .thenCompose(rs -> rs.one() == null
                        ? CompletableFuture.completedFuture(false)
                        : AsyncCql.execute(session, bind(delete, domain, localPart), "delete alias")
                                .thenApply(done -> true));
    }

    private static String domainOf(Username address) {
        return Domain.ofAddress(address).orElseThrow().value();
    }
}
