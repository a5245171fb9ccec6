package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import java.util.Collection;
import java.util.List;

/**
 * A response code in brackets at the start of a status response's text (RFC 3501 section 7.1; RFC 5530
 * codes; RFC 7889 TOOBIG; RFC 7162 HIGHESTMODSEQ; RFC 4315 APPENDUID).
 *
 * @param name the atom, e.g. {@code UIDVALIDITY}
 * @param data what follows the atom after a space, already in wire syntax (ASCII), or null
 */
public record ResponseCode(String name, String data) {

    public static final ResponseCode ALERT = of("ALERT");
    public static final ResponseCode PARSE = of("PARSE");
    public static final ResponseCode READ_ONLY = of("READ-ONLY");
    public static final ResponseCode READ_WRITE = of("READ-WRITE");
    public static final ResponseCode TRYCREATE = of("TRYCREATE");
    /** RFC 5530: wrong user name or password. */
    public static final ResponseCode AUTHENTICATIONFAILED = of("AUTHENTICATIONFAILED");
    /** RFC 5530: authenticated, but may not act as the requested authorization identity. */
    public static final ResponseCode AUTHORIZATIONFAILED = of("AUTHORIZATIONFAILED");
    /** RFC 5530: the mailbox does not exist. */
    public static final ResponseCode NONEXISTENT = of("NONEXISTENT");
    /** RFC 5530: temporary failure of the store; try again. */
    public static final ResponseCode UNAVAILABLE = of("UNAVAILABLE");
    /** RFC 5530: an internal error. */
    public static final ResponseCode SERVERBUG = of("SERVERBUG");
    /** RFC 5530: some messages of the command were expunged by another session. */
    public static final ResponseCode EXPUNGEISSUED = of("EXPUNGEISSUED");
    /** RFC 5530: the operation is not possible (e.g. read-only mailbox). */
    public static final ResponseCode CANNOT = of("CANNOT");
    /** RFC 5530: the client did something wrong that is not a syntax error. */
    public static final ResponseCode CLIENTBUG = of("CLIENTBUG");
    /** RFC 7889 / RFC 9051: a literal or command larger than the server accepts. */
    public static final ResponseCode TOOBIG = of("TOOBIG");
    /** RFC 5530: the operation needs a protected connection (LOGIN before STARTTLS). */
    public static final ResponseCode PRIVACYREQUIRED = of("PRIVACYREQUIRED");
    /** RFC 5530: CREATE or RENAME to a name that exists. */
    public static final ResponseCode ALREADYEXISTS = of("ALREADYEXISTS");
    /** RFC 5530: the mailbox is in use (e.g. DELETE of the mailbox selected in this session). */
    public static final ResponseCode INUSE = of("INUSE");
    /** RFC 5530: a per-user limit (e.g. the number of mailbox names) would be exceeded. */
    public static final ResponseCode LIMIT = of("LIMIT");
    /** RFC 6154 section 3: CREATE with a special-use attribute the server does not support. */
    public static final ResponseCode USEATTR = of("USEATTR");
    /** RFC 9051 section 7.1: DELETE of a {@code \Noselect} name that still has inferior names. */
    public static final ResponseCode HASCHILDREN = of("HASCHILDREN");
    /** RFC 5530 / RFC 9208 section 4.3: the operation would exceed a quota limit. */
    public static final ResponseCode OVERQUOTA = of("OVERQUOTA");
    /** RFC 5530: the user may not do this (e.g. SETQUOTA: limits are set by the operator). */
    public static final ResponseCode NOPERM = of("NOPERM");

    private static ResponseCode of(String name) {
        return new ResponseCode(name, null);
    }

    public static ResponseCode uidValidity(long uidValidity) {
        return new ResponseCode("UIDVALIDITY", Long.toString(uidValidity));
    }

    public static ResponseCode uidNext(long uidNext) {
        return new ResponseCode("UIDNEXT", Long.toString(uidNext));
    }

    /** The MSN of the first message without {@code \Seen}. */
    public static ResponseCode unseen(long msn) {
        return new ResponseCode("UNSEEN", Long.toString(msn));
    }

    public static ResponseCode highestModSeq(long modSeq) {
        return new ResponseCode("HIGHESTMODSEQ", Long.toString(modSeq));
    }

    /** {@code PERMANENTFLAGS (flags [\*])}; {@code \*} says clients may create keywords. */
    public static ResponseCode permanentFlags(Collection<String> flags, boolean newKeywords) {
        StringBuilder sb = new StringBuilder("(");
        sb.append(String.join(" ", flags));
        if (newKeywords) {
            sb.append(flags.isEmpty() ? "" : " ").append("\\*");
        }
        return new ResponseCode("PERMANENTFLAGS", sb.append(')').toString());
    }

    /** {@code BADCHARSET (charsets)} (RFC 3501 section 7.1): the SEARCH charsets this server supports. */
    public static ResponseCode badCharset(List<String> supported) {
        return new ResponseCode("BADCHARSET", "(" + String.join(" ", supported) + ")");
    }

    /** {@code APPENDUID uidvalidity uid} (RFC 4315 UIDPLUS): where an appended message went. */
    public static ResponseCode appendUid(long uidValidity, long uid) {
        return new ResponseCode("APPENDUID", uidValidity + " " + uid);
    }

    /**
     * {@code COPYUID uidvalidity source-uids destination-uids} (RFC 4315 section 3): where COPY or MOVE put each
     * message; the two lists are aligned pairwise, both ascending, and not empty.
     */
    public static ResponseCode copyUid(long uidValidity, List<Long> sourceUids, List<Long> destinationUids) {
        return new ResponseCode("COPYUID", uidValidity + " " + io.stratusmail.imap.protocol.SequenceSet.format(
                sourceUids) + " " + io.stratusmail.imap.protocol.SequenceSet.format(destinationUids));
    }

    /**
     * {@code MODIFIED set} (RFC 7162 section 3.1.3): the messages a STORE UNCHANGEDSINCE left alone because they
     * changed after the given MODSEQ; MSNs for STORE, UIDs for UID STORE, ascending, not empty.
     */
    public static ResponseCode modified(List<Long> numbers) {
        return new ResponseCode("MODIFIED", io.stratusmail.imap.protocol.SequenceSet.format(numbers));
    }

    /** RFC 7162 section 3.2.11: the previously selected mailbox is now closed (SELECT/EXAMINE of another). */
    public static final ResponseCode CLOSED = of("CLOSED");

    public static ResponseCode capability(List<String> capabilities) {
        return new ResponseCode("CAPABILITY", String.join(" ", capabilities));
    }

    void write(ImapWriter out) {
        out.raw('[').raw(name);
        if (data != null) {
            out.sp().raw(data);
        }
        out.raw(']');
    }
}
