package io.stratusmail.imap.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An RFC 3501 {@code sequence-set} (section 9): comma-separated numbers and ranges of message sequence
 * numbers (MSN) or UIDs, where {@code *} is the largest number in use. A range may be written in either
 * order ({@code 4:2} is {@code 2:4}, {@code *:1} is {@code 1:*}).
 *
 * <p>Limits: numbers are nz-number, 1 to 4,294,967,295 ({@code 0} and leading zeros are refused); at most
 * {@value #MAX_ELEMENTS} elements.
 */
public final class SequenceSet {

    public static final long MAX_NUMBER = 0xFFFF_FFFFL;
    public static final int MAX_ELEMENTS = 10_000;
    /** Stands for {@code *} in {@link #elements}. */
    private static final long STAR = -1;

    /** Pairs (low, high) as written, STAR for {@code *}. */
    private final long[] elements;

    private SequenceSet(long[] elements) {
        this.elements = elements;
    }

    /** Whether {@code c} can occur in a sequence set. */
    public static boolean isSequenceChar(int c) {
        return (c >= '0' && c <= '9') || c == ':' || c == ',' || c == '*';
    }

    /**
     * Parses a sequence set.
     *
     * @throws ParseException on syntax errors, {@code 0}, numbers above {@value #MAX_NUMBER}
     */
    public static SequenceSet parse(String text) throws ParseException {
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_ELEMENTS) {
            throw new ParseException("Sequence set has too many elements (limit " + MAX_ELEMENTS + ")");
        }
        long[] elements = new long[parts.length * 2];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int colon = p.indexOf(':');
            if (colon < 0) {
                elements[2 * i] = elements[2 * i + 1] = number(p);
            } else {
                elements[2 * i] = number(p.substring(0, colon));
                elements[2 * i + 1] = number(p.substring(colon + 1));
            }
        }
        return new SequenceSet(elements);
    }

    private static long number(String s) throws ParseException {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0' || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ParseException("Invalid sequence set number '" + s + "' (numbers are 1 to " + MAX_NUMBER + ")");
        }
        long n = Long.parseLong(s);
        if (n > MAX_NUMBER) {
            throw new ParseException("Sequence set number out of range: " + s);
        }
        return n;
    }

    /**
     * The set as sorted, disjoint, merged ranges, {@code *} replaced by {@code star}.
     *
     * @param star the largest number in use (message count or highest UID); 0 when there is none
     * @return pairs {@code [low0, high0, low1, high1, ...]}, ascending; empty when {@code *} is used and
     *         {@code star} is 0 only if every element needs it
     */
    public long[] ranges(long star) {
        List<long[]> list = new ArrayList<>();
        for (int i = 0; i < elements.length; i += 2) {
            long a = elements[i] == STAR ? star : elements[i];
            long b = elements[i + 1] == STAR ? star : elements[i + 1];
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            if (hi == 0) {
                continue;
            }
            list.add(new long[] {Math.max(lo, 1), hi});
        }
        list.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] out = new long[list.size() * 2];
        int n = 0;
        for (long[] r : list) {
            if (n > 0 && r[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], r[1]);
            } else {
                out[n++] = r[0];
                out[n++] = r[1];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The largest number written explicitly, or {@code star} for {@code *} (for MSN range checks). */
    public long max(long star) {
        long max = 0;
        for (long e : elements) {
            max = Math.max(max, e == STAR ? star : e);
        }
        return max;
    }

    /** Whether {@code *} occurs. */
    public boolean usesStar() {
        for (long e : elements) {
            if (e == STAR) {
                return true;
            }
        }
        return false;
    }

    /**
     * The compact wire form of ascending numbers (RFC 3501 {@code sequence-set}): consecutive runs become
     * {@code a:b}, e.g. {@code [1, 2, 3, 5]} gives {@code 1:3,5}. Used for COPYUID (RFC 4315), VANISHED
     * (RFC 7162) and ESEARCH ALL (RFC 4731); order is kept, so two lists of equal length stay pairwise aligned.
     *
     * @param ascending strictly ascending numbers, at least one
     */
    public static String format(java.util.Collection<Long> ascending) {
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long prev = -1;
        for (long n : ascending) {
            if (start >= 0 && n == prev + 1) {
                prev = n;
                continue;
            }
            if (start >= 0) {
                appendRun(sb, start, prev);
            }
            start = n;
            prev = n;
        }
        if (start >= 0) {
            appendRun(sb, start, prev);
        }
        return sb.toString();
    }

    private static void appendRun(StringBuilder sb, long from, long to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(from);
        if (to != from) {
            sb.append(':').append(to);
        }
    }

    /** Whether {@code n} is in the set, {@code *} standing for {@code star}. */
    public boolean contains(long n, long star) {
        for (int i = 0; i < elements.length; i += 2) {
            long a = elements[i] == STAR ? star : elements[i];
            long b = elements[i + 1] == STAR ? star : elements[i + 1];
            if (n >= Math.min(a, b) && n <= Math.max(a, b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < elements.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(elements[i] == STAR ? "*" : Long.toString(elements[i]));
            if (elements[i + 1] != elements[i]) {
                sb.append(':').append(elements[i + 1] == STAR ? "*" : Long.toString(elements[i + 1]));
            }
        }
        return sb.toString();
    }
}
