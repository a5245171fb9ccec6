package io.stratusmail.server.node;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.stratusmail.imap.ImapServer;
import io.stratusmail.lmtp.LmtpServer;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.address.Addresses;
import io.stratusmail.mailbox.quota.QuotaRepository;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.server.node.hints.HintSettings;
import io.stratusmail.server.node.hints.HintTransport;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Stratus node: connects to Cassandra, applies the schema migrations, wires the store, accounts and
 * indexer, and starts the configured protocol services. Holds no state another node needs (architecture
 * invariant 2): closing it, or killing the process, loses nothing that was acknowledged.
 */
public final class StratusNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StratusNode.class);

    private final Lifecycle lifecycle;
    private final Accounts accounts;
    private final Addresses addresses;
    private final MailboxRepository mailboxes;
    private final InetSocketAddress imapAddress;
    private final InetSocketAddress imapsAddress;
    private final InetSocketAddress lmtpAddress;
    private final Quotas quotas;
    private final QuotaRepository quotaSettings;
    private Optional<HintTransport> hints = Optional.empty();

    private StratusNode(Lifecycle lifecycle, Accounts accounts, Addresses addresses, MailboxRepository mailboxes,
                        InetSocketAddress imap, InetSocketAddress imaps, InetSocketAddress lmtp, Quotas quotas,
                        QuotaRepository quotaSettings) {
        this.quotas = quotas;
        this.quotaSettings = quotaSettings;
        this.lifecycle = lifecycle;
        this.accounts = accounts;
        this.addresses = addresses;
        this.mailboxes = mailboxes;
        this.imapAddress = imap;
        this.imapsAddress = imaps;
        this.lmtpAddress = lmtp;
    }

    /**
     * Starts a node; returns once every configured service listens.
     *
     * @throws RuntimeException when Cassandra or OpenSearch cannot be reached or a port cannot be bound; whatever
     *                          was started is closed again
     */
    public static StratusNode start(NodeConfig config) {
        return start(config, TlsSettings.NONE);
    }

    /**
     * Starts a node with TLS: STARTTLS on IMAP and LMTP, and an implicit-TLS IMAP listener when IMAP runs.
     *
     * @throws RuntimeException as {@link #start(NodeConfig)}
     */
    public static StratusNode start(NodeConfig config, TlsSettings tls) {
        return start(config, tls, HintSettings.DISABLED);
    }

    /**
     * Starts a node that exchanges mailbox change hints with its peers over UDP when {@code hints} are enabled
     * (registering itself in Cassandra and learning its peers before it returns), and whose IMAP sessions in IDLE
     * re-check their mailbox every {@link HintSettings#idlePollInterval()} in any case.
     *
     * @throws RuntimeException as {@link #start(NodeConfig)}, or when the hint port cannot be bound
     */
    public static StratusNode start(NodeConfig config, TlsSettings tls, HintSettings hints) {
        long started = System.nanoTime();
        Lifecycle lifecycle = new Lifecycle();
        try {
            Injector injector = Guice.createInjector(new NodeModule(config, tls, lifecycle, hints));
            Accounts accounts = injector.getInstance(Accounts.class);
            Optional<HintTransport> transport =
                    injector.getInstance(Key.get(new TypeLiteral<Optional<HintTransport>>() { }));
            InetSocketAddress imap = null;
            InetSocketAddress imaps = null;
            InetSocketAddress lmtp = null;
            if (config.services().contains(NodeConfig.Service.LMTP)) {
                LmtpServer server = injector.getInstance(LmtpServer.class);
                lmtp = server.start(config.lmtpHost(), config.lmtpPort());
                lifecycle.add("lmtp", server::stop);
            }
            if (config.services().contains(NodeConfig.Service.IMAP)) {
                ImapServer server = injector.getInstance(ImapServer.class);
                imap = server.start(config.imapHost(), config.imapPort());
                lifecycle.add("imap", server::stop);
                if (tls.enabled()) {
                    imaps = server.startImplicitTls(tls.imapsHost(), tls.imapsPort());
                }
            }
            LOG.info("event=node_started keyspace={} imap={} imaps={} lmtp={} opensearch={} millis={}",
                    config.keyspace(), imap, imaps, lmtp, config.openSearchUrl() != null,
                    (System.nanoTime() - started) / 1_000_000);
            StratusNode node = new StratusNode(lifecycle, accounts, injector.getInstance(Addresses.class),
                    injector.getInstance(MailboxRepository.class), imap, imaps, lmtp,
                    injector.getInstance(Quotas.class), injector.getInstance(QuotaRepository.class));
            node.hints = transport;
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lifecycle.closeAll();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            lifecycle.closeAll();
            throw e;
        }
    }

    /** Accounts: create, change password, authenticate, delete with their mail. */
    public Accounts accounts() {
        return accounts;
    }

    /** Aliases, local domains and the recipient resolution LMTP uses. */
    public Addresses addresses() {
        return addresses;
    }

    /** The mailbox registry (administration and tests). */
    public MailboxRepository mailboxes() {
        return mailboxes;
    }

    /** Effective limits (with this node's defaults) and exact usage of each user (RFC 9208). */
    public Quotas quotas() {
        return quotas;
    }

    /** The users' own quota settings ({@code stratus user quota}). */
    public QuotaRepository quotaSettings() {
        return quotaSettings;
    }

    /** The cross-node hint transport (its peers and counters); empty when hints are disabled. */
    public Optional<HintTransport> hints() {
        return hints;
    }

    /** Where IMAP listens; null when this node does not run IMAP. */
    public InetSocketAddress imapAddress() {
        return imapAddress;
    }

    /** Where implicit-TLS IMAP listens; null without TLS or IMAP. */
    public InetSocketAddress imapsAddress() {
        return imapsAddress;
    }

    /** Where LMTP listens; null when this node does not run LMTP. */
    public InetSocketAddress lmtpAddress() {
        return lmtpAddress;
    }

    /** Stops the services first (no new work), then closes the index client and the Cassandra session. */
    @Override
    public void close() {
        lifecycle.closeAll();
        LOG.info("event=node_stopped");
    }
}
