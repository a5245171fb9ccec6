package io.stratusmail.storage.cassandra.verify;

/**
 * Totals of one {@code stratus verify} run, printed as its last line
 * ({@code verify: summary users=.. mailboxes=.. messages=.. problems=.. repaired=.. remaining=..}).
 *
 * @param users     users whose registry was read
 * @param mailboxes selectable mailboxes whose message rows were counted
 * @param messages  message rows counted
 * @param problems  findings reported
 * @param repaired  findings repaired by this run ({@code --repair} only)
 */
public record VerifySummary(long users, long mailboxes, long messages, long problems, long repaired) {

    /** Findings still in the store after the run. */
    public long remaining() {
        return problems - repaired;
    }

    /** Whether the store is consistent after the run: nothing found, or everything found repaired. */
    public boolean clean() {
        return remaining() == 0;
    }

    public String line() {
        return "verify: summary users=" + users + " mailboxes=" + mailboxes + " messages=" + messages
                + " problems=" + problems + " repaired=" + repaired + " remaining=" + remaining();
    }
}
