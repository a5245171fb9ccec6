package io.stratusmail.server.cli;

import io.stratusmail.storage.cassandra.gc.BlobCollector;
import io.stratusmail.storage.cassandra.gc.BlobCollector.GcSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code stratus gc [--grace DURATION] [--dry-run]}: one run of the blob collector ({@link BlobCollector}), safe
 * while nodes run: collects the messages of deleted mailboxes, removes blob references whose message never
 * committed or no longer exists, and frees blobs without reference for the grace period. Prints one line
 * {@code gc: scanned=.. orphan_blobs=.. freed_bytes=.. stale_refs=.. deleted_mailboxes=..}. Does not migrate
 * the schema.
 *
 * <p>Exit codes: {@value #DONE} the run completed, {@value #ERROR} it could not run (Cassandra unavailable, no
 * schema; one line {@code stratus: <reason>} on stderr) or bad usage.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Remove blobs and references orphaned by crashes and the messages of deleted mailboxes.")
public final class GcCommand implements Callable<Integer> {

    static final int DONE = 0;
    static final int ERROR = 2;

    @Spec CommandSpec spec;
    @Mixin AdminTarget target;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only remove what has been unreferenced at least this long, e.g. 90s, 30m, 1h, 2d "
                    + "(default: the store's blob grace, 1h). Shorter than the longest store operation is unsafe.")
    Duration grace;

    @Option(names = "--dry-run", description = "Report what would be removed; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            GcSummary summary = target.withSchema("blobs", "version 6", (session, config) -> {
                Duration g = grace != null ? grace : config.blobGrace();
                return BlobCollector.prepare(session, config).run(g, dryRun);
            });
            out.println(summary.line());
            out.flush();
            return DONE;
        } catch (RuntimeException e) {
            out.flush();
            return StratusCommand.report(spec.commandLine(), e, ERROR);
        }
    }

    /** {@code <n>s|m|h|d} or ISO-8601 ({@code PT1H}); 0 to 30 days. */
    static final class DurationConverter implements ITypeConverter<Duration> {

        private static final Pattern SHORT = Pattern.compile("(\\d{1,7})([smhd])");

        @Override
        public Duration convert(String value) {
            Duration d;
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                try {
                    d = Duration.parse(value.trim());
                } catch (RuntimeException e) {
                    throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 30m, 1h, 2d)");
                }
            }
            if (d.isNegative() || d.compareTo(Duration.ofDays(30)) > 0) {
                throw new TypeConversionException("'" + value + "' must be 0 to 30 days");
            }
            return d;
        }
    }
}
