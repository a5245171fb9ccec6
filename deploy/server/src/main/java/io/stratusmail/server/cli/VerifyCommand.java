package io.stratusmail.server.cli;

import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.verify.StoreVerifier;
import io.stratusmail.storage.cassandra.verify.VerifySummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stratus verify [--user U] [--repair]}: the consistency check of the store ({@link StoreVerifier}), safe
 * while nodes run. Prints one line per problem ({@code verify: user=.. mailbox=.. problem=.. ...}), one usage
 * line per user ({@code verify: user=.. usage mailboxes=.. messages=.. size=..}) and a summary line
 * ({@code verify: summary ...}). Without {@code --repair} nothing is written; with it, counters, UIDNEXT,
 * HIGHESTMODSEQ, missing parents and the UIDVALIDITY counter are repaired by conditional writes, and a message
 * whose blob is missing is reported, never deleted. Does not migrate the schema.
 *
 * <p>Exit codes: {@value #CLEAN} no problem remains (none found, or all repaired), {@value #PROBLEMS} problems
 * remain, {@value #ERROR} the check could not run (Cassandra unavailable, unknown user, no schema; one line
 * {@code stratus: <reason>} on stderr) or bad usage.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare counters, registry, message rows and blobs; report (and with --repair fix) what differs.")
public final class VerifyCommand implements Callable<Integer> {

    static final int CLEAN = 0;
    static final int PROBLEMS = 1;
    static final int ERROR = 2;

    @Spec CommandSpec spec;
    @Mixin AdminTarget target;

    @Option(names = "--user", paramLabel = "ADDRESS", description = "Verify only this user (default: every user).")
    String user;

    @Option(names = "--repair", description = "Repair what can be repaired safely (otherwise nothing is written).")
    boolean repair;

    @Override
    public Integer call() {
        Username only = user == null ? null : CliArguments.username(spec, user);
        PrintWriter out = spec.commandLine().getOut();
        try {
            VerifySummary summary = target.withSchema("messages", "", (session, config) -> {
                try {
                    return StoreVerifier.prepare(session, config).run(only, repair,
                            f -> {
                                out.println(f.line());
                                out.flush();
                            },
                            u -> out.println(u.line()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            });
            out.println(summary.line());
            out.flush();
            return summary.clean() ? CLEAN : PROBLEMS;
        } catch (RuntimeException e) {
            out.flush();
            return StratusCommand.report(spec.commandLine(), e, ERROR);
        }
    }
}
