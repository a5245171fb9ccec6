package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an installed third-party client program (mbsync, offlineimap, node) from a test. The programs come from
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

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
