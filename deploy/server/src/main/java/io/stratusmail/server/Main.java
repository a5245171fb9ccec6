package io.stratusmail.server;

import io.stratusmail.server.cli.StratusCommand;

/** Entry point of the {@code stratus} command line ({@code ./stratus} runs it). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = StratusCommand.commandLine().execute(args);
        System.exit(code);
    }
}
