package io.stratusmail.mailbox.quota;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A user's own setting for one {@link QuotaResource}: not set (the node-wide default applies), explicitly
 * unlimited, or at most {@code max} (octets for STORAGE, messages for MESSAGE).
 *
 * @param kind which of the three
 * @param max  the limit, 0 or more, for {@link Kind#LIMITED}; 0 otherwise
 */
public record QuotaLimit(Kind kind, long max) {

    /** Not set: the node-wide default applies. */
    public static final QuotaLimit DEFAULT = new QuotaLimit(Kind.DEFAULT, 0);
    /** Unlimited, whatever the node-wide default says. */
    public static final QuotaLimit UNLIMITED = new QuotaLimit(Kind.UNLIMITED, 0);

    /** The three kinds of setting. */
    public enum Kind { DEFAULT, UNLIMITED, LIMITED }

    public QuotaLimit {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.LIMITED ? max < 0 : max != 0) {
            throw new IllegalArgumentException("invalid quota limit: " + kind + " " + max);
        }
    }

    /**
     * At most {@code max}.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public static QuotaLimit of(long max) {
        return new QuotaLimit(Kind.LIMITED, max);
    }

    /** The effective limit: this one, or {@code nodeDefault} when not set; empty means unlimited. */
    public OptionalLong resolve(OptionalLong nodeDefault) {
        return switch (kind) {
            case DEFAULT -> nodeDefault;
            case UNLIMITED -> OptionalLong.empty();
            case LIMITED -> OptionalLong.of(max);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.LIMITED ? Long.toString(max) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
