package io.stratusmail.imap.search;

/**
 * The outcome of a search key for one message when part of the message may not have been read yet
 * (Kleene's three-valued logic): {@link #UNKNOWN} means the key needs data that was not given, so the
 * message must be read further before it can be decided. Lets SEARCH skip reading content that cannot
 * change the answer (e.g. {@code UNSEEN BODY x} for a seen message).
 */
public enum Match {
    TRUE,
    FALSE,
    UNKNOWN;

    static Match of(boolean b) {
        return b ? TRUE : FALSE;
    }

    Match not() {
        return this == UNKNOWN ? UNKNOWN : of(this == FALSE);
    }

    Match and(Match other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == TRUE && other == TRUE ? TRUE : UNKNOWN;
    }

    Match or(Match other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == FALSE && other == FALSE ? FALSE : UNKNOWN;
    }
}
