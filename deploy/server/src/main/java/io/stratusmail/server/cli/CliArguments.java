package io.stratusmail.server.cli;

import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.address.Domain;
import io.stratusmail.mailbox.user.Username;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Parses the addresses, domains and aliases typed on the command line; bad input is a usage error (exit 2). */
final class CliArguments {

    private CliArguments() {
    }

    static Username username(CommandSpec spec, String text) {
        return parse(spec, "address", text, Username::of);
    }

    static Domain domain(CommandSpec spec, String text) {
        return parse(spec, "domain", text, Domain::of);
    }

    static Alias alias(CommandSpec spec, String source, String target) {
        try {
            return Alias.parse(source, target);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static char[] password(CommandSpec spec, String password) {
        if (password.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--password must not be empty");
        }
        return password.toCharArray();
    }

    private static <T> T parse(CommandSpec spec, String what, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "invalid " + what + " '" + text + "': " + e.getMessage(), e);
        }
    }
}
