package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs an installed third-party client program (mbsync, offlineimap, node, neomutt under tmux) from a test. The programs come from
 * {@code src/test/resources/clients/install.sh} (run by {@code .ci/run}); a missing one fails the test and says
 * how to install it.
 */
final class ExternalClient {

    static final String INSTALL_HINT = "run deploy/server/src/test/resources/clients/install.sh (as root)";

    private ExternalClient() {
    }

    /** The absolute path of the first of {@code names} found on {@code PATH}; fails the test when none is. */
    static Path require(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("none of %s is installed on PATH: %s", List.of(names), INSTALL_HINT);
    }

    /** Copies the test resource {@code /clients/<name>} into {@code dir}; returns the copy. */
    static Path resource(Path dir, String name) {
        try (InputStream in = ExternalClient.class.getResourceAsStream("/clients/" + name)) {
            assertThat(in).as("test resource /clients/%s", name).isNotNull();
            Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code command} in {@code workDir} with extra environment {@code env}, stdout and stderr to
     * {@code <workDir>/<logName>.log}; fails the test on a timeout or a non-zero exit, quoting the log's tail.
     *
     * @return every line the program printed (stdout and stderr interleaved)
     */
    static List<String> run(Path workDir, String logName, Duration timeout, Map<String, String> env,
                            List<String> command) {
        return start(workDir, logName, env, command).finish(timeout);
    }

    /** Starts {@code command} as {@link #run} does, without waiting for it. */
    static Running start(Path workDir, String logName, Map<String, String> env, List<String> command) {
        try {
            Path log = workDir.resolve(logName + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new Running(command, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started client program; its output goes to {@code log}. */
    record Running(List<String> command, Process process, Path log) {

        /** Waits until the program printed a line equal to {@code line}; fails the test on timeout or exit. */
        void awaitLine(String line, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (!Files.readAllLines(log, StandardCharsets.UTF_8).contains(line)) {
                    if (!process.isAlive()) {
                        fail("%s exited (%d) before printing '%s'; output tail:%n%s", command, process.exitValue(),
                                line, tail(log));
                    }
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        fail("%s did not print '%s' within %s; output tail:%n%s", command, line, timeout, tail(log));
                    }
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits for the program to exit; fails the test on a timeout or a non-zero exit; returns its output. */
        List<String> finish(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail("%s timed out after %s; output tail:%n%s", command, timeout, tail(log));
                }
                assertThat(process.exitValue()).as("exit code of %s; output tail:%n%s", command, tail(log)).isZero();
                return Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A full-screen terminal client (neomutt) in a detached tmux session on a private tmux server whose socket
     * lives in the test's work directory, so parallel tests and a developer's own tmux never meet. Keys go in
     * with {@code tmux send-keys}, the screen comes back as text with {@code capture-pane -p}; the pane stays
     * after the program exits ({@code remain-on-exit}) so its last screen can be read.
     * {@link #close()} kills the tmux server and with it the program.
     */
    static final class Terminal implements AutoCloseable {

        private static final String SESSION = "client";
        private static final Duration TMUX_TIMEOUT = Duration.ofSeconds(10);

        private final Path tmux;
        private final Path socket;
        private final Path exitStatus;
        private final Map<String, String> env;

        private Terminal(Path tmux, Path socket, Path exitStatus, Map<String, String> env) {
            this.tmux = tmux;
            this.socket = socket;
            this.exitStatus = exitStatus;
            this.env = env;
        }

        /**
         * Starts {@code command} in a {@code columns} x {@code rows} terminal with the extra environment
         * {@code env} (besides the test JVM's); fails the test when tmux is not installed or cannot start.
         */
        static Terminal start(Path workDir, int columns, int rows, Map<String, String> env, List<String> command) {
            Path tmux = require("tmux");
            Path conf = workDir.resolve("tmux.conf");
            try {
                Files.writeString(conf, "set -g remain-on-exit on\nset -g status off\nset -g history-limit 0\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Terminal terminal = new Terminal(tmux, workDir.resolve("tmux.sock"), workDir.resolve("exit-status"),
                    Map.copyOf(env));
            // A shell records the exit status: tmux's own pane_dead_status stays empty when tmux is started from
            // the test JVM (it never reaps the program there).
            List<String> args = new ArrayList<>(List.of("-f", conf.toString(), "new-session", "-d",
                    "-s", SESSION, "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                    "sh", "-c", "\"$@\"; echo $? > \"$0\"", terminal.exitStatus.toString()));
            args.addAll(command);
            terminal.tmux(args);
            return terminal;
        }

        /** Sends tmux key names ({@code Enter}, {@code C-u}, {@code q}, ...), each as one key press. */
        void keys(String... keyNames) {
            List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
            args.addAll(List.of(keyNames));
            tmux(args);
        }

        /** Types {@code text} literally (no key-name lookup). */
        void type(String text) {
            tmux(List.of("send-keys", "-t", SESSION, "-l", text));
        }

        /** The visible screen, one line per row, trailing blanks trimmed. */
        String screen() {
            return String.join("\n", tmux(List.of("capture-pane", "-p", "-t", SESSION)));
        }

        /**
         * Polls the screen until {@code condition} holds; fails the test after {@code timeout}, quoting the last
         * screen under {@code description}.
         *
         * @return the screen that satisfied the condition
         */
        String await(String description, Predicate<String> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String screen = screen();
                if (condition.test(screen)) {
                    return screen;
                }
                if (System.nanoTime() > deadline) {
                    return fail("screen did not show %s within %s; last screen:%n%s", description, timeout, screen);
                }
                sleep(100);
            }
        }

        /** Waits for the program to exit; fails the test on a timeout or a non-zero status, quoting the screen. */
        void awaitExit(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String status = exitStatus();
                if (!status.isEmpty()) {
                    assertThat(status).as("exit status of the program; last screen:%n%s", screen()).isEqualTo("0");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    fail("the program did not exit within %s; last screen:%n%s", timeout, screen());
                }
                sleep(100);
            }
        }

        /** The program's exit status as the shell wrote it; empty while it runs. */
        private String exitStatus() {
            try {
                return Files.exists(exitStatus) ? Files.readString(exitStatus, StandardCharsets.US_ASCII).trim() : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                Process kill = command(List.of("kill-server")).start();
                kill.getInputStream().transferTo(OutputStream.nullOutputStream());
                kill.waitFor(TMUX_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private ProcessBuilder command(List<String> args) {
            List<String> cmd = new ArrayList<>(List.of(tmux.toString(), "-S", socket.toString()));
            cmd.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
            builder.environment().remove("TMUX"); // a test run from inside tmux must still get its own server
            builder.environment().putAll(env);
            return builder;
        }

        private List<String> tmux(List<String> args) {
            try {
                Process p = command(args).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(TMUX_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    fail("tmux %s timed out", args);
                }
                String text = new String(out, StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as("tmux %s: %s", args, text).isZero();
                return text.lines().map(String::stripTrailing).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
