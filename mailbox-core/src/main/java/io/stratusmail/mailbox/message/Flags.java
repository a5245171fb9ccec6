package io.stratusmail.mailbox.message;

import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of message flags: the RFC 3501 section 2.3.2 system flags ({@code \Seen \Answered
 * \Flagged \Deleted \Draft}, kept in their canonical spelling; {@code \Recent} is session state and never
 * stored) and keywords (atoms, compared case-insensitively, kept as first written).
 *
 * <p>Limits: at most {@value #MAX_FLAGS} flags, each at most {@value #MAX_FLAG_LENGTH} characters.
 */
public final class Flags {

    public static final String SEEN = "\\Seen";
    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String DRAFT = "\\Draft";
    public static final String RECENT = "\\Recent";
    public static final Set<String> SYSTEM = Set.of(ANSWERED, FLAGGED, DELETED, SEEN, DRAFT);
    public static final int MAX_FLAGS = 64;
    public static final int MAX_FLAG_LENGTH = 128;
    public static final Flags EMPTY = new Flags(new TreeSet<>(String.CASE_INSENSITIVE_ORDER));

    private final Set<String> values;

    private Flags(TreeSet<String> values) {
        this.values = Collections.unmodifiableSet(values);
    }

    /**
     * Builds a flag set.
     *
     * @throws IllegalArgumentException for {@code \Recent}, an unknown system flag, a keyword that is not
     *                                  an atom, or too many or too long flags
     */
    public static Flags of(Collection<String> flags) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String f : flags) {
            set.add(canonical(f));
        }
        if (set.size() > MAX_FLAGS) {
            throw new IllegalArgumentException("too many flags (limit " + MAX_FLAGS + ")");
        }
        return new Flags(set);
    }

    public static Flags of(String... flags) {
        return of(java.util.Arrays.asList(flags));
    }

    private static String canonical(String flag) {
        if (flag.isEmpty() || flag.length() > MAX_FLAG_LENGTH) {
            throw new IllegalArgumentException("invalid flag length");
        }
        if (flag.charAt(0) == '\\') {
            for (String s : SYSTEM) {
                if (s.equalsIgnoreCase(flag)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown or non-settable system flag " + flag);
        }
        for (int i = 0; i < flag.length(); i++) {
            char c = flag.charAt(i);
            // RFC 3501 atom-specials, plus ']' which a keyword cannot hold (flag-keyword = atom)
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("keyword is not an atom: " + flag);
            }
        }
        return flag;
    }

    public boolean contains(String flag) {
        return values.contains(flag);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The flags, sorted case-insensitively, read-only. */
    public Set<String> values() {
        return values;
    }

    public Flags plus(Flags other) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(values);
        set.addAll(other.values);
        return new Flags(set);
    }

    public Flags minus(Flags other) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(values);
        set.removeAll(other.values);
        return new Flags(set);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Flags f) || f.values.size() != values.size()) {
            return false;
        }
        return values.containsAll(f.values);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (String v : values) {
            h += v.toLowerCase(Locale.ROOT).hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return "(" + String.join(" ", values) + ")";
    }
}
