package io.stratusmail.storage.cassandra.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One difference {@code stratus verify} found, printed as one line:
 * {@code verify: user=U mailbox=M problem=P key=value... [repair=done|not_done|unsafe]}.
 *
 * @param user    the mailbox owner, never null
 * @param mailbox the mailbox name, null for a problem of the user's registry as a whole
 * @param problem a short snake_case kind, e.g. {@code counter_mismatch}, {@code missing_parent},
 *                {@code missing_blob}
 * @param details key/value pairs in print order (e.g. {@code field=unseen stored=3 actual=2})
 * @param repair  what {@code --repair} did about it; {@link Repair#NOT_ASKED} without {@code --repair}
 */
public record Finding(String user, String mailbox, String problem, Map<String, String> details, Repair repair) {

    /** What a repair run did about a finding. */
    public enum Repair {
        /** Not a repair run: nothing was written. */
        NOT_ASKED,
        /** Repaired (a conditional write was applied). */
        DONE,
        /** Repairable, but every attempt lost to concurrent writers; run verify again. */
        NOT_DONE,
        /** Not repaired on purpose: no safe automatic repair exists (e.g. a message whose blob is missing). */
        UNSAFE
    }

    public Finding {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(repair, "repair");
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Whether the problem is still in the store after this run. */
    public boolean remains() {
        return repair != Repair.DONE;
    }

    /** The same finding with another repair outcome. */
    Finding with(Repair outcome) {
        return new Finding(user, mailbox, problem, details, outcome);
    }

    /** The report line; values with spaces, quotes or {@code =} are double-quoted. */
    public String line() {
        StringBuilder b = new StringBuilder("verify: user=").append(quote(user));
        if (mailbox != null) {
            b.append(" mailbox=").append(quote(mailbox));
        }
        b.append(" problem=").append(problem);
        details.forEach((k, v) -> b.append(' ').append(k).append('=').append(quote(v)));
        if (repair != Repair.NOT_ASKED) {
            b.append(" repair=").append(switch (repair) {
                case DONE -> "done";
                case NOT_DONE -> "not_done";
                default -> "unsafe";
            });
        }
        return b.toString();
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        if (value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c == '\\')) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return value;
    }
}
