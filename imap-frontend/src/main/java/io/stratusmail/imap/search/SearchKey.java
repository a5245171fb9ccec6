package io.stratusmail.imap.search;

import io.stratusmail.imap.protocol.SequenceSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A SEARCH criterion (RFC 3501 section 6.4.4) as a tree, independent of how it is evaluated: the session
 * answers it by scanning messages ({@link SearchCommand}); a search index can translate the same tree.
 *
 * <p>The RFC's keys map as follows: {@code ALL} is {@link All}; {@code ANSWERED DELETED DRAFT FLAGGED SEEN
 * KEYWORD} and their {@code UN-} forms are {@link Flag}; {@code RECENT} is {@link Recent}, {@code NEW} is
 * {@code RECENT UNSEEN}, {@code OLD} is {@code NOT RECENT}; {@code LARGER SMALLER} are {@link Size};
 * {@code BEFORE ON SINCE} are {@link InternalDate}; {@code SENTBEFORE SENTON SENTSINCE} are {@link SentDate};
 * {@code BCC CC FROM SUBJECT TO HEADER} are {@link Header}; {@code BODY} is {@link Body}; {@code TEXT} is
 * {@link Text}; a sequence set and {@code UID} are {@link Sequence}; {@code NOT}, {@code OR} and parenthesized
 * lists (and the top-level list) are {@link Not}, {@link Or}, {@link And}.
 */
public sealed interface SearchKey {

    /** Every message. */
    record All() implements SearchKey {
    }

    /**
     * Messages with ({@code set}) or without a flag or keyword.
     *
     * @param flag a system flag in its canonical spelling ({@code \Seen}) or a keyword; compared
     *             case-insensitively
     */
    record Flag(String flag, boolean set) implements SearchKey {
        public Flag {
            Objects.requireNonNull(flag, "flag");
        }
    }

    /** Messages with ({@code set}) or without {@code \Recent}. */
    record Recent(boolean set) implements SearchKey {
    }

    /**
     * {@code MODSEQ [entry-name entry-type] n} (RFC 7162 section 3.1.5): messages whose MODSEQ is at least
     * {@code modSeq}. The per-flag entry, when given, is read and answered with the message's MODSEQ, which the
     * RFC allows for servers without per-flag mod-sequences.
     */
    record ModSeq(long modSeq) implements SearchKey {
    }

    /** {@code LARGER n} ({@code larger}) or {@code SMALLER n}: RFC822.SIZE strictly above or below {@code octets}. */
    record Size(boolean larger, long octets) implements SearchKey {
    }

    /** How a date key compares, disregarding time and time zone (RFC 3501 section 6.4.4). */
    enum DateComparison {
        /** Strictly earlier than the date. */
        BEFORE,
        /** Within the date. */
        ON,
        /** Within or later than the date. */
        SINCE;

        /** Whether {@code day} satisfies this comparison with {@code date}. */
        public boolean test(LocalDate day, LocalDate date) {
            return switch (this) {
                case BEFORE -> day.isBefore(date);
                case ON -> day.isEqual(date);
                case SINCE -> !day.isBefore(date);
            };
        }
    }

    /** {@code BEFORE ON SINCE}: the INTERNALDATE's date (UTC). */
    record InternalDate(DateComparison comparison, LocalDate date) implements SearchKey {
    }

    /**
     * {@code SENTBEFORE SENTON SENTSINCE}: the date written in the {@code Date:} header field (its own zone);
     * when the field is missing or unreadable, the INTERNALDATE's.
     */
    record SentDate(DateComparison comparison, LocalDate date) implements SearchKey {
    }

    /**
     * Messages with a header field {@code field} whose value (RFC 2047 decoded, unfolded) contains
     * {@code substring}, case-insensitively; an empty substring matches every message with the field.
     *
     * @param field header field name, e.g. {@code Subject}; compared case-insensitively
     */
    record Header(String field, String substring) implements SearchKey {
    }

    /** Messages whose body text (transfer- and charset-decoded text parts) contains {@code substring}. */
    record Body(String substring) implements SearchKey {
    }

    /** Messages whose header or body text contains {@code substring}. */
    record Text(String substring) implements SearchKey {
    }

    /**
     * Messages whose MSN ({@code uid} false) or UID is in the set; {@code *} is the last message's.
     */
    record Sequence(SequenceSet set, boolean uid) implements SearchKey {
    }

    /** Messages that do not match {@code key}. */
    record Not(SearchKey key) implements SearchKey {
    }

    /** Messages that match either key. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** Messages that match every key. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}
