package io.stratusmail.server.cli;

import io.stratusmail.imap.ImapConfig;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.server.node.TlsSettings;
import io.stratusmail.server.tls.TlsMaterial;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stratus dev}: the whole system on this machine. Starts (or reuses) a local Cassandra and OpenSearch
 * node with data under {@code --data-dir}, applies the schema, creates or updates the account, starts IMAP and
 * LMTP, prints {@code READY imap=HOST:PORT lmtp=HOST:PORT} and how to connect, and stops everything cleanly on
 * SIGINT/SIGTERM.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run Stratus locally with real Cassandra and OpenSearch nodes (data persists in --data-dir).")
public final class DevCommand implements Callable<Integer> {

    static final String DEMO_USER = "demo@stratus.local";
    static final String DEMO_PASSWORD = "demo";

    @Spec
    CommandSpec spec;

    @Mixin
    LocalClusterOptions cluster;

    @Mixin
    StoreOptions store;

    @Mixin
    LmtpOptions lmtp;

    @Mixin
    ImapOptions imap;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Listen address of IMAP and LMTP (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--imap-port", defaultValue = "1143", description = "IMAP port (default: ${DEFAULT-VALUE}).")
    int imapPort;

    @Option(names = "--lmtp-port", defaultValue = "2424", description = "LMTP port (default: ${DEFAULT-VALUE}).")
    int lmtpPort;

    @Option(names = "--imaps-port", defaultValue = "1993",
            description = "Implicit-TLS IMAP port, with a self-signed certificate kept in the data dir (default: ${DEFAULT-VALUE}).")
    int imapsPort;

    @Option(names = "--user", description = "Account to create or update (default: " + DEMO_USER + ").")
    String user;

    @Option(names = "--password", description = "Its password (default for the demo account: " + DEMO_PASSWORD + ").")
    String password;

    @Override
    public Integer call() throws Exception {
        if ((user == null) != (password == null) && user != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--user needs --password");
        }
        Username account = CliArguments.username(spec, user == null ? DEMO_USER : user);
        CassandraStoreConfig config = store.storeConfig(spec.commandLine());
        char[] secret = (password == null ? DEMO_PASSWORD : password).toCharArray();

        long started = System.nanoTime();
        // dev allows plaintext login (README: connection security None) and also offers STARTTLS and IMAPS
        TlsMaterial tlsMaterial = TlsMaterial.selfSigned(cluster.dataDir().resolve("tls"), "localhost");
        RunningCluster engines = cluster.start(true);
        StratusNode node;
        try {
            node = StratusNode.start(new NodeConfig(engines.cassandraContactPoint(), engines.datacenter(),
                    config.keyspace(), config.replication(), config.consistency(), config.serialConsistency(),
                    engines.openSearchUrl(),
                    EnumSet.allOf(NodeConfig.Service.class), host, imapPort, host, lmtpPort, "localhost")
                    .withLmtp(lmtp.apply(LmtpConfig.defaults("localhost"), spec.commandLine()))
                    .withImap(imap.apply(ImapConfig.defaults("localhost"), spec.commandLine())),
                    new TlsSettings(tlsMaterial, host, imapsPort, true));
            node.accounts().createOrUpdate(account, secret).toCompletableFuture().get();
        } catch (Exception e) {
            engines.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stratus: stopping");
            node.close();
            engines.close();
            stopped.countDown();
        }, "stratus-dev-shutdown"));

        InetSocketAddress imap = node.imapAddress();
        InetSocketAddress lmtp = node.lmtpAddress();
        String imapHp = imap.getHostString() + ":" + imap.getPort();
        String lmtpHp = lmtp.getHostString() + ":" + lmtp.getPort();
        System.out.println("READY imap=" + imapHp + " lmtp=" + lmtpHp);
        System.out.printf("""
                Stratus is running (started in %.1f s; data in %s). Ctrl-C stops it.
                  Account:     %s (password as given%s)
                  Deliver:     swaks --protocol LMTP --server %s --to %s
                  Read:        curl --url 'imap://%s/INBOX;UID=1' --user '%s:PASSWORD'
                  Thunderbird: IMAP server %s, port %d, connection security None (or STARTTLS),
                               authentication "Normal password", username %s
                  IMAPS:       %s:%d, self-signed certificate %s
                """, (System.nanoTime() - started) / 1e9, cluster.dataDir().toAbsolutePath(), account,
                password == null ? ": " + DEMO_PASSWORD : "", lmtpHp, account, imapHp, account,
                imap.getHostString(), imap.getPort(), account, node.imapsAddress().getHostString(),
                node.imapsAddress().getPort(), tlsMaterial.certificateFile().toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }

    static Path defaultDataDir() {
        return Path.of("data");
    }
}
