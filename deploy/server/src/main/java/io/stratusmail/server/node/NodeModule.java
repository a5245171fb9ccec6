package io.stratusmail.server.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Optional;
import com.google.inject.name.Named;
import io.netty.handler.ssl.SslContext;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.ImapServer;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.LmtpServer;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.address.Addresses;
import io.stratusmail.mailbox.address.RecipientResolver;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.event.NotifyingMessageStore;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore;
import io.stratusmail.mailbox.quota.QuotaRepository;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.search.opensearch.IndexerSettings;
import io.stratusmail.search.opensearch.OpenSearchMessageIndexer;
import io.stratusmail.search.opensearch.client.ConnectionSettings;
import io.stratusmail.search.opensearch.client.OpenSearchConnection;
import io.stratusmail.search.opensearch.index.MessageIndex;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobFreer;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import io.stratusmail.storage.cassandra.delivery.CassandraDeliveryLog;
import io.stratusmail.storage.cassandra.node.NodeRegistry;
import io.stratusmail.server.node.hints.HintSettings;
import io.stratusmail.server.node.hints.HintTransport;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.time.Duration;
import javax.net.ssl.SSLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Guice wiring of one node: the Cassandra session and store, accounts, the OpenSearch indexer and the protocol
 * servers. Everything that holds a resource is registered with the {@link Lifecycle} so the node closes it,
 * in reverse order of creation.
 */
final class NodeModule extends AbstractModule {

    private final NodeConfig config;
    private final TlsSettings tls;
    private final Lifecycle lifecycle;
    private final HintSettings hints;

    NodeModule(NodeConfig config, TlsSettings tls, Lifecycle lifecycle) {
        this(config, tls, lifecycle, HintSettings.DISABLED);
    }

    NodeModule(NodeConfig config, TlsSettings tls, Lifecycle lifecycle, HintSettings hints) {
        this.config = config;
        this.tls = tls;
        this.lifecycle = lifecycle;
        this.hints = hints;
    }

    @Override
    protected void configure() {
        bind(NodeConfig.class).toInstance(config);
        bind(Lifecycle.class).toInstance(lifecycle);
    }

    @Provides
    @Singleton
    CqlSession cqlSession() {
        CqlSession session = CqlSessions.open(new CqlSessions.Settings(config.cassandraContactPoints(),
                config.cassandraDatacenter(), Duration.ofSeconds(10)));
        lifecycle.add("cassandra-session", session::close);
        return session;
    }

    @Provides
    @Singleton
    CassandraStore store(CqlSession session) {
        CassandraStoreConfig storeConfig = config.storeConfig();
        SchemaMigrator.migrate(session, storeConfig);
        CassandraStore store = CassandraStore.open(session, storeConfig).toCompletableFuture().join();
        // Frees blobs whose last reference went more than the grace ago (bounded work per minute).
        BlobFreer freer = BlobFreer.start(session, storeConfig, BlobFreer.DEFAULT_INTERVAL, BlobFreer.DEFAULT_PER_RUN);
        lifecycle.add("blob-freer", freer::close);
        return store;
    }

    @Provides
    UserRepository users(CassandraStore store) {
        return store.users();
    }

    @Provides
    MailboxRepository mailboxes(CassandraStore store) {
        return store.mailboxes();
    }

    /** Limits from the users' own settings, else {@link NodeConfig#defaultQuota()}; usage from the counters. */
    @Provides
    @Singleton
    Quotas quotas(CassandraStore store) {
        return new Quotas(store.quotas(), store.mailboxes(), store.messages(), config.defaultQuota());
    }

    @Provides
    QuotaRepository quotaSettings(CassandraStore store) {
        return store.quotas();
    }

    /** The node's bus of mailbox change hints: IMAP sessions subscribe, the store publishes. */
    @Provides
    @Singleton
    MailboxEvents mailboxEvents() {
        return new MailboxEvents();
    }

    /**
     * The store every protocol writes through: quotas enforced on every call that adds messages, and a change
     * hint published after every committed change. The notifier sits outside the quota check so that it sees
     * exactly what the caller is acknowledged: a call the quota refuses never reaches the store and publishes
     * nothing, and every decorator added inside later is covered by the same single publication.
     */
    @Provides
    @Singleton
    MessageStore messages(CassandraStore store, Quotas quotas, MailboxEvents events) {
        return new NotifyingMessageStore(new QuotaEnforcingMessageStore(store.messages(), quotas), events);
    }

    /**
     * Cross-node hints over UDP (registered in the table {@code nodes}); empty when {@link HintSettings#port()}
     * is 0, as in {@code stratus dev} where IMAP and LMTP share one process and the local bus suffices.
     */
    @Provides
    @Singleton
    Optional<HintTransport> hintTransport(CqlSession session, CassandraStore store, MailboxEvents events) {
        if (!hints.enabled()) {
            return Optional.empty();
        }
        NodeRegistry registry = NodeRegistry.prepare(session, store.config()).toCompletableFuture().join();
        String services = config.services().stream().map(s -> s.name().toLowerCase(java.util.Locale.ROOT))
                .sorted().collect(java.util.stream.Collectors.joining(","));
        HintTransport transport = HintTransport.start(hints, events, registry, services);
        lifecycle.add("hints", transport::close);
        return Optional.of(transport);
    }

    @Provides
    @Singleton
    Addresses addresses(CassandraStore store) {
        return new Addresses(store.users(), store.aliases(), store.domains());
    }

    @Provides
    RecipientResolver recipients(Addresses addresses) {
        return addresses.resolver();
    }

    /** Argon2 and MIME text extraction are CPU work kept off the network event loops. */
    @Provides
    @Singleton
    @Named("cpu")
    ExecutorService cpuWork() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stratus-cpu");
            t.setDaemon(true);
            return t;
        });
        lifecycle.add("cpu-pool", () -> {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        });
        return pool;
    }

    @Provides
    @Singleton
    Accounts accounts(UserRepository users, MailboxRepository mailboxes, @Named("cpu") ExecutorService cpu) {
        return new Accounts(users, mailboxes, new PasswordHasher(), cpu);
    }

    @Provides
    @Singleton
    MessageIndexer indexer(@Named("cpu") ExecutorService cpu) {
        if (config.openSearchUrl() == null) {
            return MessageIndexer.NONE;
        }
        OpenSearchConnection connection = OpenSearchConnection.open(ConnectionSettings.of(config.openSearchUrl()));
        lifecycle.add("opensearch-connection", connection::close);
        MessageIndexSettings settings = new MessageIndexSettings(MessageIndexSettings.DEFAULT.indexName(),
                MessageIndexSettings.DEFAULT.alias(), 1, config.replicationFactor() - 1);
        new MessageIndex(connection.async(), settings).ensureExists().toCompletableFuture().join();
        return new OpenSearchMessageIndexer(connection.async(), settings, cpu, IndexerSettings.DEFAULT);
    }

    /** One server-side TLS context for IMAP and LMTP; empty without TLS. */
    @Provides
    @Singleton
    Optional<SslContext> sslContext() {
        if (!tls.enabled()) {
            return Optional.empty();
        }
        try {
            return Optional.of(tls.material().serverContext());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    ImapServer imapServer(Accounts accounts, MailboxRepository mailboxes, MessageStore messages, Quotas quotas,
                          MailboxEvents events,
                          Optional<SslContext> ssl) {
        ImapConfig imap = config.imap().withIdlePollInterval(hints.idlePollInterval());
        if (ssl.isPresent()) {
            imap = imap.withTls(ssl.get(), tls.allowPlaintextAuth());
        }
        return new ImapServer(imap, accounts, mailboxes, messages, quotas, events);
    }

    @Provides
    @Singleton
    LmtpServer lmtpServer(RecipientResolver recipients, MailboxRepository mailboxes, MessageStore messages,
                          MessageIndexer indexer, Quotas quotas, Optional<SslContext> ssl, CqlSession session,
                          CassandraStore store) {
        LmtpConfig lmtp = config.lmtp().withHostname(config.hostname()).withOverQuotaAtRcpt(config.overQuotaAtRcpt());
        // Retried deliveries (lost 250) are recognised across LMTP nodes and restarts (table delivery_dedup).
        DeliveryLog deliveryLog = CassandraDeliveryLog.prepare(session, store.config()).toCompletableFuture().join();
        return new LmtpServer(ssl.map(lmtp::withTls).orElse(lmtp), recipients, mailboxes, messages, indexer,
                quotas, deliveryLog);
    }
}
