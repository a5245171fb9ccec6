package io.stratusmail.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real single-node Apache Cassandra 5.0 and a real single-node OpenSearch 2.19 on this
 * machine, each in its own forked JVM built from Maven Central artifacts (no Docker, no install).
 *
 * <p>Layout: {@code <data dir>/cassandra} and {@code <data dir>/opensearch} each hold the engine's
 * configuration, data, {@code logs/} and a pid file; data persists across restarts on the same data
 * directory. Everything binds the loopback host only.
 *
 * <p>{@link #start()} launches the chosen engines in parallel and returns once Cassandra answers
 * {@code SELECT release_version FROM system.local} and OpenSearch's cluster health is green or
 * yellow. {@link #stop()} sends SIGTERM, waits up to the stop timeout, then SIGKILLs. Engines are
 * also stopped by a shutdown hook when this JVM exits normally or on SIGINT/SIGTERM, and by a
 * watchdog inside each engine ({@link ParentWatchdog}) within seconds when this JVM is killed with
 * SIGKILL, so no engine outlives its launcher.
 *
 * <p>Several clusters can run side by side with different data directories and ports (storage and
 * transport ports included). Typical use:
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder(Path.of("var/dev")).build()) {
 *     Endpoints endpoints = cluster.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: start and stop are serialized.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Builder config;
    private List<EngineProcess> processes = List.of();
    private Endpoints endpoints;
    private Thread shutdownHook;

    private LocalCluster(Builder config) {
        this.config = config;
    }

    /**
     * A builder with the defaults: both engines, host 127.0.0.1, CQL 9042, storage 7000, JMX off,
     * OpenSearch HTTP 9200 and transport 9300, Cassandra heap 256 MiB-1 GiB, OpenSearch heap 512 MiB,
     * no test speed flags, 120 s start timeout, 20 s stop timeout.
     *
     * @param dataDirectory where the engines keep everything; created if missing
     */
    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    /** The data directory holding {@code cassandra/} and {@code opensearch/}. */
    public Path dataDirectory() {
        return config.dataDirectory;
    }

    /**
     * Starts the configured engines in parallel and waits until each answers requests.
     *
     * @return where the engines answer
     * @throws IllegalStateException if already started
     * @throws PortInUseException if a port is taken (nothing was launched then)
     * @throws LocalClusterException if a live engine of
     *         another launcher uses this data directory, the Java 17 runtime or an engine jar is
     *         missing, or an engine exits or is not ready within the start timeout (the message carries
     *         the tail of its logs). No engine process is left running when this is thrown.
     */
    public synchronized Endpoints start() {
        if (!processes.isEmpty()) {
            throw new IllegalStateException("local cluster already started on " + config.dataDirectory);
        }
        List<EngineNode> nodes = nodes();
        Path java = EngineResources.java17(Optional.ofNullable(config.javaHome));
        List<EngineProcess> started = new ArrayList<>();
        long startNanos = System.nanoTime();
        try {
            for (EngineNode node : nodes) {
                Files.createDirectories(node.directory());
                EngineProcess.clearStale(node, config.stopTimeout);
            }
            checkPortsFree(nodes);
            Path watchdog = EngineResources.installWatchdog(config.dataDirectory.resolve("launcher"));
            for (EngineNode node : nodes) {
                node.writeConfiguration();
                started.add(EngineProcess.launch(node, java, watchdog));
            }
            awaitReady(started, startNanos);
        } catch (IOException e) {
            stopAll(started);
            throw new LocalClusterException("cannot start local cluster in " + config.dataDirectory + ": " + e, e);
        } catch (RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
        processes = List.copyOf(started);
        shutdownHook = new Thread(this::stopFromHook, "local-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        endpoints = endpointsOf(nodes);
        LOG.info("event=cluster_ready dir={} millis={} endpoints={}",
                config.dataDirectory, millisSince(startNanos), endpoints);
        return endpoints;
    }

    /**
     * The endpoints of the running engines.
     *
     * @throws IllegalStateException if the cluster is not started
     */
    public synchronized Endpoints endpoints() {
        if (processes.isEmpty()) {
            throw new IllegalStateException("local cluster not started");
        }
        return endpoints;
    }

    /** Whether {@link #start()} succeeded and {@link #stop()} was not called since. */
    public synchronized boolean isRunning() {
        return !processes.isEmpty();
    }

    /**
     * The PIDs of the running engine processes (for diagnostics and tests).
     *
     * @return engine to PID; empty when stopped
     */
    public synchronized Map<Engine, Long> pids() {
        Map<Engine, Long> pids = new LinkedHashMap<>();
        processes.forEach(process -> pids.put(process.node().engine(), process.pid()));
        return pids;
    }

    /**
     * Stops the engines in parallel: SIGTERM, then SIGKILL for any still running after the stop timeout.
     * Returns when every engine process has exited. Does nothing if not started.
     */
    public synchronized void stop() {
        if (processes.isEmpty()) {
            return;
        }
        long startNanos = System.nanoTime();
        stopAll(processes);
        processes = List.of();
        endpoints = null;
        removeShutdownHook();
        LOG.info("event=cluster_stopped dir={} millis={}", config.dataDirectory, millisSince(startNanos));
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway and finds nothing to stop
            }
        }
        shutdownHook = null;
    }

    /**
     * Kills every engine at once with SIGKILL, as a crash of the machine's processes would (no clean shutdown,
     * no memtable flush), and returns when every engine process has exited. The data directory is kept:
     * {@link #start()} afterwards launches the engines again on the same data and ports, and Cassandra replays
     * its commit log: with {@link Builder#durableCommitLog(boolean)} every write it acknowledged is there again,
     * without it the writes of its last ~100 ms may be missing. For fault-injection tests. Does nothing if not
     * started.
     *
     * <p>Do not combine with {@link Builder#throwawayData(boolean)}: without fsync of its system tables a
     * killed Cassandra may not start again.
     *
     * @throws LocalClusterException if an engine process is still alive after the stop timeout
     */
    public synchronized void kill() {
        if (processes.isEmpty()) {
            return;
        }
        long startNanos = System.nanoTime();
        for (EngineProcess process : processes) {
            if (!process.kill(config.stopTimeout)) {
                throw new LocalClusterException(process.node().engine().directoryName() + " (pid " + process.pid()
                        + ") is still alive " + config.stopTimeout.toSeconds() + " s after SIGKILL");
            }
            LOG.info("event=engine_killed engine={} pid={}", process.node().engine().directoryName(), process.pid());
        }
        processes = List.of();
        endpoints = null;
        removeShutdownHook();
        LOG.info("event=cluster_killed dir={} millis={}", config.dataDirectory, millisSince(startNanos));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void stopFromHook() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("event=cluster_stop_failed dir={} error={}", config.dataDirectory, e.toString());
        }
    }

    private void stopAll(List<EngineProcess> running) {
        running.forEach(EngineProcess::requestStop);
        long deadline = System.nanoTime() + config.stopTimeout.toNanos();
        for (EngineProcess process : running) {
            Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            boolean clean = process.awaitStop(remaining);
            LOG.info("event=engine_stopped engine={} pid={} clean={}",
                    process.node().engine().directoryName(), process.pid(), clean);
        }
    }

    private List<EngineNode> nodes() {
        List<EngineNode> nodes = new ArrayList<>();
        Path dir = config.dataDirectory.toAbsolutePath().normalize();
        if (config.engines.contains(Engine.CASSANDRA)) {
            nodes.add(new CassandraNode(dir.resolve(Engine.CASSANDRA.directoryName()), config.host, config.cqlPort,
                    config.storagePort, config.jmxPort, config.cassandraHeapInitialMiB, config.cassandraHeapMaxMiB,
                    config.testSpeedFlags, config.throwawayData, config.passwordAuthentication,
                    config.durableCommitLog));
        }
        if (config.engines.contains(Engine.OPENSEARCH)) {
            nodes.add(new OpenSearchNode(dir.resolve(Engine.OPENSEARCH.directoryName()), config.host,
                    config.openSearchHttpPort, config.openSearchTransportPort, config.openSearchHeapMiB));
        }
        return nodes;
    }

    private static Endpoints endpointsOf(List<EngineNode> nodes) {
        Optional<CassandraEndpoint> cassandra = Optional.empty();
        Optional<URI> openSearch = Optional.empty();
        for (EngineNode node : nodes) {
            if (node instanceof CassandraNode c) {
                cassandra = Optional.of(c.endpoint());
            } else if (node instanceof OpenSearchNode o) {
                openSearch = Optional.of(o.baseUrl());
            }
        }
        return new Endpoints(cassandra, openSearch);
    }

    private void checkPortsFree(List<EngineNode> nodes) {
        for (EngineNode node : nodes) {
            for (Map.Entry<String, Integer> port : node.ports().entrySet()) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(config.host, port.getValue()));
                } catch (IOException e) {
                    throw new PortInUseException(config.host, port.getValue(), port.getKey(), e);
                }
            }
        }
    }

    /** Polls every engine in turn until all answer; the engines start concurrently meanwhile. */
    private void awaitReady(List<EngineProcess> started, long startNanos) {
        long deadline = startNanos + config.startTimeout.toNanos();
        Map<EngineProcess, String> notReady = new LinkedHashMap<>();
        started.forEach(process -> notReady.put(process, "not probed yet"));
        while (!notReady.isEmpty()) {
            for (EngineProcess process : List.copyOf(notReady.keySet())) {
                String engine = process.node().engine().directoryName();
                if (!process.isAlive()) {
                    throw new LocalClusterException(engine + " exited with status " + process.exitValue()
                            + " during start-up (ports " + process.ports() + ")" + process.logTails());
                }
                try {
                    String answer = process.node().probe();
                    notReady.remove(process);
                    LOG.info("event=engine_ready engine={} pid={} millis={} {}",
                            engine, process.pid(), millisSince(startNanos), answer);
                } catch (IOException e) {
                    notReady.put(process, e.toString());
                }
            }
            if (notReady.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                EngineProcess late = notReady.keySet().iterator().next();
                throw new LocalClusterException(late.node().engine().directoryName() + " not ready after "
                        + config.startTimeout.toSeconds() + " s (last check: " + notReady.get(late) + ")"
                        + late.logTails());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalClusterException("interrupted while waiting for the engines to start", e);
            }
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Configuration of a {@link LocalCluster}. Every setter validates its argument at once; {@link #build()}
     * checks that the ports of the chosen engines are distinct.
     */
    public static final class Builder {

        private final Path dataDirectory;
        private String host = "127.0.0.1";
        private int cqlPort = 9042;
        private int storagePort = 7000;
        private int jmxPort = 0;
        private int openSearchHttpPort = 9200;
        private int openSearchTransportPort = 9300;
        private int cassandraHeapInitialMiB = 256;
        private int cassandraHeapMaxMiB = 1024;
        private int openSearchHeapMiB = 512;
        private Set<Engine> engines = EnumSet.allOf(Engine.class);
        private boolean testSpeedFlags;
        private boolean throwawayData;
        private boolean passwordAuthentication;
        private boolean durableCommitLog;
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(20);
        private Path javaHome;

        private Builder(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize();
        }

        /**
         * The address every engine binds; must be a loopback address (127.0.0.0/8 or ::1).
         *
         * @throws IllegalArgumentException if it is not a loopback address or cannot be resolved
         */
        public Builder host(String host) {
            try {
                if (!InetAddress.getByName(Objects.requireNonNull(host, "host")).isLoopbackAddress()) {
                    throw new IllegalArgumentException("host must be a loopback address: " + host);
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + host, e);
            }
            this.host = host;
            return this;
        }

        /** Cassandra's native protocol (CQL) port, 1-65535; default 9042. */
        public Builder cqlPort(int port) {
            this.cqlPort = checkPort(port);
            return this;
        }

        /** Cassandra's inter-node storage port (also the seed's port), 1-65535; default 7000. */
        public Builder storagePort(int port) {
            this.storagePort = checkPort(port);
            return this;
        }

        /** Cassandra's local-only JMX port (for nodetool), 1-65535, or 0 to run without JMX (the default). */
        public Builder jmxPort(int port) {
            this.jmxPort = port == 0 ? 0 : checkPort(port);
            return this;
        }

        /** OpenSearch's REST port, 1-65535; default 9200. */
        public Builder openSearchHttpPort(int port) {
            this.openSearchHttpPort = checkPort(port);
            return this;
        }

        /** OpenSearch's transport port, 1-65535; default 9300. */
        public Builder openSearchTransportPort(int port) {
            this.openSearchTransportPort = checkPort(port);
            return this;
        }

        /** Sets every port (CQL, storage, HTTP, transport) to one free on loopback now; JMX stays as set. */
        public Builder freePorts() {
            int[] ports = FreePorts.find(4);
            cqlPort = ports[0];
            storagePort = ports[1];
            openSearchHttpPort = ports[2];
            openSearchTransportPort = ports[3];
            return this;
        }

        /**
         * Cassandra's heap in MiB; default {@code -Xms256M -Xmx1024M}. Keep the initial size small: run as
         * root, Cassandra locks its whole committed heap in memory.
         *
         * @throws IllegalArgumentException unless 64 &lt;= initial &lt;= max &lt;= 32768
         */
        public Builder cassandraHeapMiB(int initial, int max) {
            if (initial < 64 || initial > max || max > 32_768) {
                throw new IllegalArgumentException("need 64 <= initial <= max <= 32768 MiB, got " + initial + "/" + max);
            }
            this.cassandraHeapInitialMiB = initial;
            this.cassandraHeapMaxMiB = max;
            return this;
        }

        /**
         * OpenSearch's heap in MiB (initial and maximum); default 512.
         *
         * @throws IllegalArgumentException unless 128 &lt;= heap &lt;= 32768
         */
        public Builder openSearchHeapMiB(int heap) {
            if (heap < 128 || heap > 32_768) {
                throw new IllegalArgumentException("need 128 <= heap <= 32768 MiB, got " + heap);
            }
            this.openSearchHeapMiB = heap;
            return this;
        }

        /**
         * Which engines to run; default both.
         *
         * @throws IllegalArgumentException if none is given
         */
        public Builder engines(Engine first, Engine... more) {
            this.engines = EnumSet.of(first, more);
            return this;
        }

        /**
         * Skips Cassandra's start-up and shutdown waits meant for multi-node clusters (superuser setup
         * delay, shutdown announcement, gossip settling). For tests; default off.
         */
        public Builder testSpeedFlags(boolean on) {
            this.testSpeedFlags = on;
            return this;
        }

        /**
         * Declares the data directory disposable: Cassandra then skips fsync of its system tables
         * ({@code -Dcassandra.unsafesystem=true}), so a hard kill can corrupt the node. Tests only; default off.
         */
        public Builder throwawayData(boolean on) {
            this.throwawayData = on;
            return this;
        }

        /**
         * Runs Cassandra with PasswordAuthenticator and CassandraAuthorizer (default superuser
         * {@code cassandra}/{@code cassandra}) instead of allowing everyone; default off. The node counts
         * as ready when it asks for credentials; Cassandra creates the default superuser about 10 s
         * later (at once with {@link #testSpeedFlags(boolean)}).
         */
        public Builder passwordAuthentication(boolean on) {
            this.passwordAuthentication = on;
            return this;
        }

        /**
         * Makes Cassandra acknowledge a write only once the commit log holding it is synced to disk
         * ({@code commitlog_sync: batch}), so that every acknowledged write survives a crash or {@link LocalCluster#kill()}
         * of the node; default off: the commit log is synced every 10 s ({@code periodic}, Cassandra's default),
         * and a killed node loses the writes of its last ~100 ms on replay. A single node with replication factor
         * 1 has no other replica to keep them, so crash tests of "acknowledged means durable" need this on.
         * Costs one disk sync per group of concurrent writes.
         */
        public Builder durableCommitLog(boolean on) {
            this.durableCommitLog = on;
            return this;
        }

        /**
         * How long {@link LocalCluster#start()} waits for all engines to answer; default 120 s.
         *
         * @throws IllegalArgumentException unless 1 s to 30 min
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = checkTimeout(timeout);
            return this;
        }

        /**
         * How long {@link LocalCluster#stop()} waits after SIGTERM before SIGKILL; default 20 s.
         *
         * @throws IllegalArgumentException unless 1 s to 30 min
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = checkTimeout(timeout);
            return this;
        }

        /**
         * A Java 17 home for the engines; by default the running JVM if it is Java 17, else one under
         * /usr/lib/jvm.
         */
        public Builder javaHome(Path home) {
            this.javaHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * @throws IllegalArgumentException if two ports of the chosen engines are equal
         */
        public LocalCluster build() {
            Map<Integer, String> used = new HashMap<>();
            Map<String, Integer> ports = new LinkedHashMap<>();
            if (engines.contains(Engine.CASSANDRA)) {
                ports.put("CQL", cqlPort);
                ports.put("storage", storagePort);
                if (jmxPort != 0) {
                    ports.put("JMX", jmxPort);
                }
            }
            if (engines.contains(Engine.OPENSEARCH)) {
                ports.put("OpenSearch HTTP", openSearchHttpPort);
                ports.put("OpenSearch transport", openSearchTransportPort);
            }
            ports.forEach((name, port) -> {
                String previous = used.putIfAbsent(port, name);
                if (previous != null) {
                    throw new IllegalArgumentException("port " + port + " given for both " + previous + " and " + name);
                }
            });
            try {
                Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data directory " + dataDirectory, e);
            }
            return new LocalCluster(copy());
        }

        private Builder copy() {
            Builder copy = new Builder(dataDirectory);
            copy.host = host;
            copy.cqlPort = cqlPort;
            copy.storagePort = storagePort;
            copy.jmxPort = jmxPort;
            copy.openSearchHttpPort = openSearchHttpPort;
            copy.openSearchTransportPort = openSearchTransportPort;
            copy.cassandraHeapInitialMiB = cassandraHeapInitialMiB;
            copy.cassandraHeapMaxMiB = cassandraHeapMaxMiB;
            copy.openSearchHeapMiB = openSearchHeapMiB;
            copy.engines = EnumSet.copyOf(engines);
            copy.testSpeedFlags = testSpeedFlags;
            copy.throwawayData = throwawayData;
            copy.passwordAuthentication = passwordAuthentication;
            copy.durableCommitLog = durableCommitLog;
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            copy.javaHome = javaHome;
            return copy;
        }

        private static int checkPort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port out of range 1-65535: " + port);
            }
            return port;
        }

        private static Duration checkTimeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new IllegalArgumentException("timeout out of range 1 s-30 min: " + timeout);
            }
            return timeout;
        }
    }
}
