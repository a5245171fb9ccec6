package io.stratusmail.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.address.AliasRepository;
import io.stratusmail.mailbox.address.DomainRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.QuotaRepository;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.storage.cassandra.address.CassandraAliasRepository;
import io.stratusmail.storage.cassandra.address.CassandraDomainRepository;
import io.stratusmail.storage.cassandra.mailbox.CassandraMailboxRepository;
import io.stratusmail.storage.cassandra.message.CassandraMessageStore;
import io.stratusmail.storage.cassandra.quota.CassandraQuotaRepository;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import io.stratusmail.storage.cassandra.user.CassandraUserRepository;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The mailbox-core repositories on Apache Cassandra, sharing one {@link CqlSession}.
 *
 * <p>Typical start-up (the caller owns the session and closes it after the store is no longer used):
 * <pre>{@code
 * CqlSession session = CqlSessions.open(new CqlSessions.Settings("127.0.0.1:9042", "datacenter1",
 *         Duration.ofSeconds(5)));
 * CassandraStoreConfig config = CassandraStoreConfig.defaults("stratus");
 * SchemaMigrator.migrate(session, config);
 * CassandraStore store = CassandraStore.open(session, config).toCompletableFuture().join();
 * }</pre>
 * Every repository method is non-blocking (driver async API only) and may be called from a Netty event
 * loop; its stage completes on a driver thread.
 */
public final class CassandraStore {

    private final CassandraStoreConfig config;
    private final CassandraUserRepository users;
    private final CassandraMailboxRepository mailboxes;
    private final CassandraMessageStore messages;
    private final CassandraAliasRepository aliases;
    private final CassandraDomainRepository domains;
    private final CassandraQuotaRepository quotas;

    private CassandraStore(CassandraStoreConfig config, CassandraUserRepository users,
                           CassandraMailboxRepository mailboxes, CassandraMessageStore messages,
                           CassandraAliasRepository aliases, CassandraDomainRepository domains,
                           CassandraQuotaRepository quotas) {
        this.quotas = quotas;
        this.config = config;
        this.aliases = aliases;
        this.domains = domains;
        this.users = users;
        this.mailboxes = mailboxes;
        this.messages = messages;
    }

    /**
     * Prepares every statement. The schema must be migrated first ({@link SchemaMigrator#migrate}); fails
     * with {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra does not answer.
     */
    public static CompletionStage<CassandraStore> open(CqlSession session, CassandraStoreConfig config) {
        CompletableFuture<CassandraUserRepository> u = CassandraUserRepository.prepare(session, config)
                .toCompletableFuture();
        CompletableFuture<CassandraMailboxRepository> m = CassandraMailboxRepository.prepare(session, config)
                .toCompletableFuture();
        CompletableFuture<CassandraMessageStore> s = CassandraMessageStore.prepare(session, config)
                .toCompletableFuture();
        CompletableFuture<CassandraAliasRepository> a = CassandraAliasRepository.prepare(session, config)
                .toCompletableFuture();
        CompletableFuture<CassandraDomainRepository> d = CassandraDomainRepository.prepare(session, config)
                .toCompletableFuture();
        CompletableFuture<CassandraQuotaRepository> q = CassandraQuotaRepository.prepare(session, config)
                .toCompletableFuture();
        return CompletableFuture.allOf(u, m, s, a, d, q)
                .thenApply(v -> new CassandraStore(config, u.join(), m.join(), s.join(), a.join(), d.join(),
                        q.join()));
    }

    /** The settings this store was opened with. */
    public CassandraStoreConfig config() {
        return config;
    }

    /** Accounts (table {@code users}). */
    public UserRepository users() {
        return users;
    }

    /** Mailboxes and their UIDVALIDITY (table {@code mailboxes}). */
    public MailboxRepository mailboxes() {
        return mailboxes;
    }

    /** Address and whole-domain aliases (table {@code aliases}). */
    public AliasRepository aliases() {
        return aliases;
    }

    /** Per-user quota limits (columns of the table {@code users}, migration V7). */
    public QuotaRepository quotas() {
        return quotas;
    }

    /** The list of local domains (table {@code local_domains}). */
    public DomainRepository domains() {
        return domains;
    }

    /** Messages, UIDs, MODSEQs, flags and content (tables {@code messages} and {@code blob_chunks}). */
    public MessageStore messages() {
        return messages;
    }
}
