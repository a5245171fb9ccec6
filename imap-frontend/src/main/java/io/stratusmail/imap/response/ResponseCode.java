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
