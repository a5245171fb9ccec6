package io.stratusmail.imap.session;

import java.util.EnumSet;
import java.util.Set;

/** The connection states of RFC 3501 section 3. */
public enum SessionState {
    NOT_AUTHENTICATED,
    AUTHENTICATED,
    SELECTED,
    LOGOUT;

    /** CAPABILITY, NOOP, LOGOUT. */
    public static final Set<SessionState> ANY = EnumSet.of(NOT_AUTHENTICATED, AUTHENTICATED, SELECTED);
    /** LOGIN, AUTHENTICATE. */
    public static final Set<SessionState> UNAUTHENTICATED = EnumSet.of(NOT_AUTHENTICATED);
    /** ENABLE (RFC 5161: only before a mailbox is selected). */
    public static final Set<SessionState> AUTHENTICATED_ONLY = EnumSet.of(AUTHENTICATED);
    /** SELECT, EXAMINE, LIST and the other mailbox commands (also valid while a mailbox is selected). */
    public static final Set<SessionState> AUTHENTICATED_OR_SELECTED = EnumSet.of(AUTHENTICATED, SELECTED);
    /** FETCH, STORE, EXPUNGE, CLOSE. */
    public static final Set<SessionState> SELECTED_ONLY = EnumSet.of(SELECTED);
}
