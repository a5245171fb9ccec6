package io.stratusmail.localcluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A single Cassandra 5.0 node: cassandra.yaml rendered from engine-cassandra's template, every
 * directory under {@code <data dir>/cassandra}, CassandraDaemon in the foreground behind the
 * {@link ParentWatchdog}.
 */
final class CassandraNode extends EngineNode {

    static final String MODULE = "engine-cassandra";
    static final String CLASSPATH = "META-INF/stratus/cassandra.classpath";
    private static final String RESOURCES = "META-INF/stratus/cassandra/";
    private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
    private static final List<String> DATA_DIRECTORIES =
            List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw", "logs", "conf");

    /** Start-up delays Cassandra allows tests to skip (CQL answers in seconds instead of ~15 s). */
    private static final List<String> TEST_SPEED_FLAGS = List.of(
            "-Dcassandra.superuser_setup_delay_ms=0",
            "-Dcassandra.shutdown_announce_in_ms=0",
            "-Dcassandra.skip_wait_for_gossip_to_settle=0");

    private final String host;
    private final int cqlPort;
    private final int storagePort;
    private final int jmxPort;
    private final int heapInitialMiB;
    private final int heapMaxMiB;
    private final boolean testSpeed;
    private final boolean unsafeSystem;
    private final boolean passwordAuthentication;
    private final boolean durableCommitLog;

    CassandraNode(Path directory, String host, int cqlPort, int storagePort, int jmxPort, int heapInitialMiB,
                  int heapMaxMiB, boolean testSpeed, boolean unsafeSystem, boolean passwordAuthentication,
                  boolean durableCommitLog) {
        super(Engine.CASSANDRA, directory);
        this.host = host;
        this.cqlPort = cqlPort;
        this.storagePort = storagePort;
        this.jmxPort = jmxPort;
        this.heapInitialMiB = heapInitialMiB;
        this.heapMaxMiB = heapMaxMiB;
        this.testSpeed = testSpeed;
        this.unsafeSystem = unsafeSystem;
        this.passwordAuthentication = passwordAuthentication;
        this.durableCommitLog = durableCommitLog;
    }

    @Override
    Path mainLog() {
        return logDirectory().resolve("system.log");
    }

    @Override
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Cassandra CQL", cqlPort);
        ports.put("Cassandra storage", storagePort);
        if (jmxPort != 0) {
            ports.put("Cassandra JMX", jmxPort);
        }
        return ports;
    }

    private Path conf() {
        return directory().resolve("conf");
    }

    @Override
    void writeConfiguration() throws IOException {
        for (String name : DATA_DIRECTORIES) {
            Files.createDirectories(directory().resolve(name));
        }
        String yaml = EngineResources.render(EngineResources.text(RESOURCES + "cassandra.yaml", MODULE), Map.of(
                "data_dir", directory().toString(),
                "host", host,
                "cql_port", Integer.toString(cqlPort),
                "storage_port", Integer.toString(storagePort),
                "authenticator", passwordAuthentication ? "PasswordAuthenticator" : "AllowAllAuthenticator",
                "authorizer", passwordAuthentication ? "CassandraAuthorizer" : "AllowAllAuthorizer",
                "commitlog_sync", durableCommitLog ? "batch" : "periodic",
                "commitlog_sync_period", durableCommitLog ? "0ms" : "10000ms"));
        Files.writeString(conf().resolve("cassandra.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(conf().resolve("logback.xml"),
                EngineResources.text(RESOURCES + "logback.xml", MODULE), StandardCharsets.UTF_8);
    }

    @Override
    List<String> command(Path java, Path watchdogClasses, long launcherPid) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xms" + heapInitialMiB + "M");
        command.add("-Xmx" + heapMaxMiB + "M");
        command.addAll(EngineResources.jvmOptions(RESOURCES + "jvm.options", MODULE));
        command.add("-XX:ErrorFile=" + logDirectory().resolve("hs_err_pid%p.log"));
        command.add("-Dcassandra.config=" + conf().resolve("cassandra.yaml").toUri());
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.storagedir=" + directory());
        command.add("-Dcassandra.logdir=" + logDirectory());
        command.add("-Dlogback.configurationFile=" + conf().resolve("logback.xml"));
        if (jmxPort != 0) {
            // Cassandra binds a local-only port to the loopback address.
            command.add("-Dcassandra.jmx.local.port=" + jmxPort);
        }
        if (testSpeed) {
            command.addAll(TEST_SPEED_FLAGS);
        }
        if (unsafeSystem) {
            // Skips fsync of system tables: a hard kill can lose the node's own metadata.
            command.add("-Dcassandra.unsafesystem=true");
        }
        command.add("-cp");
        command.add(Stream.concat(Stream.of(watchdogClasses), EngineResources.classpath(CLASSPATH, MODULE).stream())
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)));
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(launcherPid));
        command.add(MAIN_CLASS);
        return command;
    }

    @Override
    String probe() throws IOException {
        return CqlProbe.releaseVersion(host, cqlPort, Duration.ofSeconds(2));
    }

    CassandraEndpoint endpoint() {
        return new CassandraEndpoint(host, cqlPort, CassandraEndpoint.LOCAL_DATACENTER);
    }
}
