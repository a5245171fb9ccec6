package io.stratusmail.mailbox;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Special-use mailbox attributes (RFC 6154 section 2): what a mailbox is for, so clients find the Sent or Trash
 * mailbox whatever its name. Stored per mailbox, returned by LIST, set by {@code CREATE ... (USE (...))}
 * (RFC 6154 section 3).
 */
public enum SpecialUse {
    /** {@code \All}: a virtual view of every message. */
    ALL("\\All"),
    /** {@code \Archive}: messages kept for later. */
    ARCHIVE("\\Archive"),
    /** {@code \Drafts}: messages being written. */
    DRAFTS("\\Drafts"),
    /** {@code \Flagged}: a virtual view of flagged messages. */
    FLAGGED("\\Flagged"),
    /** {@code \Junk}: spam. */
    JUNK("\\Junk"),
    /** {@code \Sent}: copies of sent messages. */
    SENT("\\Sent"),
    /** {@code \Trash}: deleted messages waiting for removal. */
    TRASH("\\Trash");

    private final String attribute;

    SpecialUse(String attribute) {
        this.attribute = attribute;
    }

    /** The attribute as written in LIST responses and CREATE's USE list, e.g. {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    /**
     * The attribute of the given text, case-insensitively ({@code \sent} is {@link #SENT}, RFC 3501 flags and
     * attributes are case-insensitive).
     *
     * @throws IllegalArgumentException for anything else (IMAP {@code NO [USEATTR]}, RFC 6154 section 3)
     */
    public static SpecialUse fromAttribute(String text) {
        Objects.requireNonNull(text, "text");
        for (SpecialUse use : values()) {
            if (use.attribute.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return use;
            }
        }
        throw new IllegalArgumentException("unknown special-use attribute: " + text);
    }

    /** An unmodifiable copy that iterates in declaration order (so LIST output is stable). */
    public static Set<SpecialUse> copyOf(Collection<SpecialUse> uses) {
        return uses.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(uses));
    }
}
