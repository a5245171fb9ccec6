package io.stratusmail.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One engine of a {@link LocalCluster}: its files, its command line and its readiness check. */
abstract class EngineNode {

    private final Engine engine;
    private final Path directory;

    EngineNode(Engine engine, Path directory) {
        this.engine = engine;
        this.directory = directory;
    }

    final Engine engine() {
        return engine;
    }

    /** Everything of this engine lives here: configuration, data, logs, the pid file. */
    final Path directory() {
        return directory;
    }

    final Path logDirectory() {
        return directory.resolve("logs");
    }

    /** Standard output and error of the forked JVM (early failures land here). */
    final Path consoleLog() {
        return logDirectory().resolve("console.log");
    }

    /** The engine's own log file. */
    abstract Path mainLog();

    /** The ports the engine binds, by name, e.g. {@code CQL -> 9042}. */
    abstract Map<String, Integer> ports();

    /** Writes configuration files and creates directories; data already there is kept. */
    abstract void writeConfiguration() throws IOException;

    /**
     * The command line of the engine's JVM.
     *
     * @param java             the java executable
     * @param watchdogClasses  classpath root holding {@link ParentWatchdog}
     * @param launcherPid      PID the watchdog follows
     */
    abstract List<String> command(Path java, Path watchdogClasses, long launcherPid);

    /**
     * Checks once whether the engine answers requests.
     *
     * @return a short description of the answer, e.g. {@code release_version=5.0.9}
     * @throws IOException why the engine does not answer yet
     */
    abstract String probe() throws IOException;
}
