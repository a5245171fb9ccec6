package io.stratusmail.localcluster;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forked engine JVM: launched with its output in {@code logs/console.log}, recorded in
 * {@code engine.pid} ({@code <engine pid> <launcher pid>}) so that a later launcher can tell a live
 * engine from a stale file, stopped with SIGTERM then SIGKILL.
 */
final class EngineProcess {

    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
    static final String PID_FILE = "engine.pid";
    private static final int TAIL_LINES = 40;
    private static final int TAIL_BYTES = 16 * 1024;
    /** Environment variables that would inject the launcher's agents or flags into an engine. */
    private static final List<String> SCRUBBED_ENVIRONMENT =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH");

    private final EngineNode node;
    private final Process process;

    private EngineProcess(EngineNode node, Process process) {
        this.node = node;
        this.process = process;
    }

    /**
     * Starts the engine's JVM. Returns as soon as the process exists; readiness is checked by the caller.
     */
    static EngineProcess launch(EngineNode node, Path java, Path watchdogClasses) throws IOException {
        long launcherPid = ProcessHandle.current().pid();
        ProcessBuilder builder = new ProcessBuilder(node.command(java, watchdogClasses, launcherPid))
                .directory(node.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(node.consoleLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        SCRUBBED_ENVIRONMENT.forEach(builder.environment()::remove);
        Process process = builder.start();
        try {
            Files.writeString(node.directory().resolve(PID_FILE), process.pid() + " " + launcherPid + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        LOG.info("event=engine_launched engine={} pid={} ports={} dir={}",
                node.engine().directoryName(), process.pid(), node.ports(), node.directory());
        return new EngineProcess(node, process);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /**
     * Deals with the pid file a previous launcher left in the engine's directory.
     *
     * <ul>
     *   <li>no file, or its process is gone: the file is removed;</li>
     *   <li>the engine is alive and its launcher too: this data directory is in use, fail;</li>
     *   <li>the engine is alive but its launcher is gone (its watchdog is shutting it down): wait
     *       for it, then kill it.</li>
     * </ul>
     *
     * @throws LocalClusterException if a live launcher still runs an engine on this directory
     */
    static void clearStale(EngineNode node, Duration stopTimeout) throws IOException {
        Path pidFile = node.directory().resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        String[] fields = Files.readString(pidFile, StandardCharsets.US_ASCII).strip().split("\\s+");
        Optional<ProcessHandle> engine = Optional.empty();
        long launcherPid = -1;
        try {
            engine = ProcessHandle.of(Long.parseLong(fields[0])).filter(ProcessHandle::isAlive)
                    .filter(handle -> runsIn(handle, node.directory()));
            launcherPid = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
        } catch (NumberFormatException e) {
            LOG.warn("event=pid_file_unreadable file={}", pidFile);
        }
        if (engine.isPresent()) {
            ProcessHandle stale = engine.get();
            boolean launcherAlive = ProcessHandle.of(launcherPid).map(ProcessHandle::isAlive).orElse(false);
            if (launcherAlive) {
                throw new LocalClusterException(node.engine().directoryName() + " is already running on "
                        + node.directory() + " (pid " + stale.pid() + ", started by the launcher in process "
                        + launcherPid + "); stop that cluster first or use another data directory");
            }
            LOG.warn("event=stale_engine_stopping engine={} pid={} dir={}",
                    node.engine().directoryName(), stale.pid(), node.directory());
            stale.destroy();
            if (!awaitExit(stale, stopTimeout)) {
                stale.destroyForcibly();
                awaitExit(stale, Duration.ofSeconds(10));
            }
        }
        Files.deleteIfExists(pidFile);
    }

    /** Whether a process is an engine of this directory and not an unrelated process with a reused PID. */
    private static boolean runsIn(ProcessHandle handle, Path directory) {
        return handle.info().commandLine().map(line -> line.contains(directory.toString())).orElse(true);
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    EngineNode node() {
        return node;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Asks the engine to shut down cleanly (SIGTERM); does not wait. */
    void requestStop() {
        process.destroy();
    }

    /**
     * Waits for the engine to exit, kills it (SIGKILL) when it has not after {@code timeout}, then
     * removes its pid file.
     *
     * @return true if it exited by itself
     */
    boolean awaitStop(Duration timeout) {
        boolean clean = awaitExit(process.toHandle(), timeout);
        if (!clean) {
            LOG.warn("event=engine_stop_timeout engine={} pid={} timeoutMillis={}",
                    node.engine().directoryName(), process.pid(), timeout.toMillis());
            process.destroyForcibly();
            awaitExit(process.toHandle(), Duration.ofSeconds(10));
        }
        try {
            Files.deleteIfExists(node.directory().resolve(PID_FILE));
        } catch (IOException e) {
            LOG.warn("event=pid_file_not_removed engine={} error={}", node.engine().directoryName(), e.toString());
        }
        return clean;
    }

    /**
     * Kills the engine at once (SIGKILL: no shutdown hook, no flush, as a crash would), waits up to
     * {@code timeout} for it to exit, then removes its pid file. The data directory is left as it is.
     *
     * @return true if the process has exited
     */
    boolean kill(Duration timeout) {
        process.destroyForcibly();
        boolean gone = awaitExit(process.toHandle(), timeout);
        if (gone) {
            try {
                Files.deleteIfExists(node.directory().resolve(PID_FILE));
            } catch (IOException e) {
                LOG.warn("event=pid_file_not_removed engine={} error={}", node.engine().directoryName(), e.toString());
            }
        }
        return gone;
    }

    /** The last lines of the engine's log and console output, for error messages. */
    String logTails() {
        StringBuilder out = new StringBuilder();
        for (Path log : List.of(node.mainLog(), node.consoleLog())) {
            List<String> lines = tail(log);
            if (!lines.isEmpty()) {
                out.append("\n--- last ").append(lines.size()).append(" lines of ").append(log).append(" ---\n");
                lines.forEach(line -> out.append(line).append('\n'));
            }
        }
        return out.length() == 0 ? "\n(no log output in " + node.logDirectory() + ")" : out.toString();
    }

    private static List<String> tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0); // partial first line
            }
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The ports of this engine, for messages. */
    Map<String, Integer> ports() {
        return node.ports();
    }
}
