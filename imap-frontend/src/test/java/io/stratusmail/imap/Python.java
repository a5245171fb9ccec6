package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Python client script from {@code src/test/resources/python} and returns its output lines. */
final class Python {

    private Python() {
    }

    /** Runs {@code script} with {@code args}; asserts it exits with 0 within 60 s. */
    static List<String> run(String script, String... args) throws Exception {
        File file = new File(Python.class.getResource("/python/" + script).toURI());
        List<String> command = new ArrayList<>(List.of("python3", file.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as("python3 " + script + " finished").isTrue();
        List<String> out = List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(p.exitValue()).as(String.join("\n", out)).isZero();
        return out;
    }
}
