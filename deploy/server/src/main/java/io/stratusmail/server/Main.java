package io.stratusmail.server;

import io.stratusmail.server.cli.StratusCommand;
import picocli.CommandLine;

/** Entry point of the {@code stratus} command line ({@code ./stratus} runs it). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new StratusCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
        System.exit(code);
    }
}
