package io.stratusmail.server.cli;

import io.stratusmail.imap.ImapConfig;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.server.node.TlsSettings;
import io.stratusmail.server.node.hints.HintSettings;
import io.stratusmail.server.tls.TlsMaterial;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stratus serve}: one production node against an existing Cassandra (and OpenSearch) cluster. Options
 * default to environment variables so a container needs no arguments beyond the services it runs.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a Stratus node (IMAP and/or LMTP) against an existing Cassandra/OpenSearch cluster.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--cassandra", required = true, defaultValue = "${env:STRATUS_CASSANDRA}",
            paramLabel = "HOST:PORT[,..][/DC]",
            description = "Cassandra contact points host:port[,host:port], optionally /datacenter (env STRATUS_CASSANDRA).")
    String cassandra;

    @Option(names = "--datacenter", defaultValue = "${env:STRATUS_CASSANDRA_DATACENTER:-datacenter1}",
            description = "Cassandra local datacenter unless --cassandra names one (env STRATUS_CASSANDRA_DATACENTER, "
                    + "default datacenter1).")
    String datacenter;

    @Mixin
    StoreOptions store;

    @Mixin
    LmtpOptions lmtp;

    @Mixin
    ImapOptions imap;

    @Option(names = "--opensearch", defaultValue = "${env:STRATUS_OPENSEARCH}",
            description = "OpenSearch base URL, e.g. http://opensearch:9200 (env STRATUS_OPENSEARCH).")
    String openSearch;

    @Option(names = "--no-opensearch", description = "Run without a text index.")
    boolean noOpenSearch;

    @Option(names = "--services", split = ",", defaultValue = "imap,lmtp",
            description = "Services to run: imap, lmtp (default: both).")
    Set<NodeConfig.Service> services;

    @Option(names = "--imap-host", defaultValue = "0.0.0.0") String imapHost;
    @Option(names = "--imap-port", defaultValue = "143") int imapPort;
    @Option(names = "--lmtp-host", defaultValue = "0.0.0.0") String lmtpHost;
    @Option(names = "--lmtp-port", defaultValue = "24") int lmtpPort;
    @Option(names = "--hostname", defaultValue = "${env:HOSTNAME:-stratus}",
            description = "Name in greetings and Received headers (env HOSTNAME).")
    String hostname;

    @Option(names = "--tls-cert", defaultValue = "${env:STRATUS_TLS_CERT}",
            description = "PEM certificate chain for STARTTLS and IMAPS (env STRATUS_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:STRATUS_TLS_KEY}",
            description = "PEM private key of --tls-cert (env STRATUS_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--imaps-port", defaultValue = "993", description = "Implicit-TLS IMAP port when TLS is configured (default: ${DEFAULT-VALUE}).")
    int imapsPort;

    @Option(names = "--allow-plaintext-auth",
            description = "Allow LOGIN/AUTHENTICATE PLAIN before TLS (always allowed when no certificate is given).")
    boolean allowPlaintextAuth;

    @Option(names = "--default-quota-storage", paramLabel = "SIZE",
            defaultValue = "${env:STRATUS_DEFAULT_QUOTA_STORAGE:-unlimited}",
            description = "Storage limit of users without their own, e.g. 2G, or 'unlimited' "
                    + "(env STRATUS_DEFAULT_QUOTA_STORAGE, default ${DEFAULT-VALUE}).")
    String defaultQuotaStorage;

    @Option(names = "--default-quota-messages", paramLabel = "N",
            defaultValue = "${env:STRATUS_DEFAULT_QUOTA_MESSAGES:-unlimited}",
            description = "Message limit of users without their own, or 'unlimited' "
                    + "(env STRATUS_DEFAULT_QUOTA_MESSAGES, default ${DEFAULT-VALUE}).")
    String defaultQuotaMessages;

    @Option(names = "--over-quota-at-rcpt", paramLabel = "temporary|permanent",
            defaultValue = "${env:STRATUS_OVER_QUOTA_AT_RCPT:-temporary}",
            description = "LMTP reply to a RCPT for a full account: temporary (452 4.2.2, the MTA retries) or "
                    + "permanent (552 5.2.2, bounce now) (env STRATUS_OVER_QUOTA_AT_RCPT, default ${DEFAULT-VALUE}).")
    String overQuotaAtRcpt;

    @Option(names = "--hint-port", paramLabel = "PORT", defaultValue = "${env:STRATUS_HINT_PORT:-0}",
            description = "UDP port for mailbox change hints between nodes; 0 disables them (sessions then learn of "
                    + "other nodes' changes by polling only) (env STRATUS_HINT_PORT, default ${DEFAULT-VALUE}).")
    int hintPort;

    @Option(names = "--hint-address", paramLabel = "ADDRESS", defaultValue = "${env:STRATUS_HINT_ADDRESS}",
            description = "Address other nodes send this node's hints to, e.g. the pod IP; required with "
                    + "--hint-port (env STRATUS_HINT_ADDRESS).")
    String hintAddress;

    @Option(names = "--imap-idle-poll-seconds", paramLabel = "SECONDS",
            defaultValue = "${env:STRATUS_IMAP_IDLE_POLL_SECONDS:-10}",
            description = "How often a session in IDLE re-checks its mailbox even without a hint "
                    + "(env STRATUS_IMAP_IDLE_POLL_SECONDS, default ${DEFAULT-VALUE}).")
    int idlePollSeconds;

    private HintSettings hintSettings() {
        if (idlePollSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--imap-idle-poll-seconds must be at least 1");
        }
        try {
            return HintSettings.of(hintPort, hintAddress).withIdlePollInterval(Duration.ofSeconds(idlePollSeconds));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hint-port/--hint-address: "
                    + e.getMessage());
        }
    }

    /** The node-wide default limits from the options; 'default' means nothing here. */
    private QuotaLimits defaultQuota() {
        return new QuotaLimits(defaultLimit("--default-quota-storage", defaultQuotaStorage, true),
                defaultLimit("--default-quota-messages", defaultQuotaMessages, false));
    }

    private OptionalLong defaultLimit(String option, String text, boolean storage) {
        try {
            QuotaLimit limit = storage ? QuotaArguments.storage(text) : QuotaArguments.messages(text);
            return switch (limit.kind()) {
                case UNLIMITED -> OptionalLong.empty();
                case LIMITED -> OptionalLong.of(limit.max());
                case DEFAULT -> throw new IllegalArgumentException("'default' is not a node default");
            };
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
        }
    }

    private LmtpConfig.OverQuotaReply overQuotaReply() {
        return switch (overQuotaAtRcpt.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "temporary" -> LmtpConfig.OverQuotaReply.TEMPORARY;
            case "permanent" -> LmtpConfig.OverQuotaReply.PERMANENT;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--over-quota-at-rcpt: expected temporary or permanent, not '" + overQuotaAtRcpt + "'");
        };
    }

    @Override
    public Integer call() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        TlsSettings tls = TlsSettings.NONE;
        if (tlsCert != null) {
            try {
                tls = new TlsSettings(TlsMaterial.fromPem(tlsCert, tlsKey), imapHost, imapsPort, allowPlaintextAuth);
            } catch (java.io.IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "cannot load TLS certificate/key: " + e.getMessage());
            }
        }
        if (!noOpenSearch && (openSearch == null || openSearch.isBlank())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--opensearch (or STRATUS_OPENSEARCH) is required unless --no-opensearch is given");
        }
        CassandraTarget target = CassandraTarget.option(spec.commandLine(), cassandra, datacenter);
        CassandraStoreConfig config = store.storeConfig(spec.commandLine());
        StratusNode node = StratusNode.start(new NodeConfig(target.contactPoints(), target.datacenter(),
                config.keyspace(), config.replication(), config.consistency(), config.serialConsistency(),
                noOpenSearch ? null : openSearch, EnumSet.copyOf(services), imapHost, imapPort, lmtpHost, lmtpPort,
                hostname).withQuota(defaultQuota(), overQuotaReply())
                .withLmtp(lmtp.apply(LmtpConfig.defaults(hostname), spec.commandLine()))
                .withImap(imap.apply(ImapConfig.defaults(hostname), spec.commandLine())), tls, hintSettings());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "stratus-serve-shutdown"));
        System.out.println("READY" + (node.imapAddress() == null ? "" : " imap=" + hostPort(node.imapAddress()))
                + (node.imapsAddress() == null ? "" : " imaps=" + hostPort(node.imapsAddress()))
                + (node.lmtpAddress() == null ? "" : " lmtp=" + hostPort(node.lmtpAddress())));
        System.out.flush();
        stopped.await();
        return 0;
    }

    static String hostPort(java.net.InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
