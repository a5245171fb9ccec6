package io.stratusmail.engine.opensearch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs one single-node OpenSearch cluster in this JVM, for the local cluster launcher.
 *
 * <p>The server modules a mail index needs are loaded as classpath plugins (no plugin directory,
 * no security manager, no bootstrap checks): Netty 4 transport and REST, the common analyzers
 * (ngram, asciifolding, html_strip, language analyzers), reindex ({@code _delete_by_query},
 * {@code _update_by_query}), the extra mapper types and Painless.
 *
 * <p>Arguments are OpenSearch settings as {@code key=value} pairs; the launcher passes at least
 * {@code path.home}, {@code path.data}, {@code path.logs}, {@code network.host}, {@code http.port}
 * and {@code transport.port}. The fixed settings below make a single node that never turns its
 * indices read-only because of a nearly full disk. The node runs until the JVM is asked to exit
 * (SIGTERM or {@code System.exit}); the shutdown hook closes it cleanly. A node that fails to start
 * exits the JVM with status 1 after logging why.
 */
public final class OpenSearchMain {

    private static final Logger LOG = LogManager.getLogger(OpenSearchMain.class);

    /** The module plugins loaded from the classpath. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
            Netty4Plugin.class,
            CommonAnalysisPlugin.class,
            ReindexPlugin.class,
            MapperExtrasPlugin.class,
            PainlessPlugin.class);

    private static final long CLOSE_TIMEOUT_SECONDS = 15;

    private OpenSearchMain() {
    }

    /** A node whose plugins come from the classpath instead of a plugins directory. */
    private static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    /**
     * Starts the node and blocks until the JVM shuts down.
     *
     * @param args OpenSearch settings, each {@code key=value}
     * @throws IllegalArgumentException if an argument is not {@code key=value}
     */
    public static void main(String[] args) throws InterruptedException {
        Settings.Builder settings = Settings.builder()
                .put("cluster.name", "stratus-local")
                .put("node.name", "stratus-local")
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }

        CountDownLatch closed = new CountDownLatch(1);
        Node node;
        try {
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                    settings.build(), Map.of(), null, () -> "stratus-local");
            node = new ClasspathPluginNode(environment);
            Node started = node;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started, closed), "opensearch-shutdown"));
            node.start();
        } catch (Exception | LinkageError e) {
            LOG.error("event=node_start_failed", e);
            System.exit(1);
            return;
        }
        LOG.info("event=node_started");
        // OpenSearch's threads are daemons: this thread keeps the JVM alive until shutdown.
        closed.await();
    }

    private static void close(Node node, CountDownLatch closed) {
        try {
            node.close();
            if (!node.awaitClose(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("event=node_close_timeout seconds={}", CLOSE_TIMEOUT_SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("event=node_close_failed", e);
        } finally {
            closed.countDown();
        }
    }
}
