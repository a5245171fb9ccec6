package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * A status response (RFC 3501 section 7.1): {@code tag OK|NO|BAD [code] text} when tagged, or
 * {@code * OK|NO|BAD|PREAUTH|BYE [code] text} when {@code tag} is null.
 *
 * @param tag    the command's tag, or null for an untagged response
 * @param status the condition
 * @param code   optional response code, or null
 * @param text   human-readable text; CR and LF are replaced by spaces, empty becomes the status name
 */
public record StatusResponse(String tag, Status status, ResponseCode code, String text) implements ImapResponse {

    public enum Status { OK, NO, BAD, PREAUTH, BYE }

    public StatusResponse {
        text = text == null || text.isBlank() ? status.name() : text.replace('\r', ' ').replace('\n', ' ');
    }

    public static StatusResponse ok(String tag, String text) {
        return new StatusResponse(tag, Status.OK, null, text);
    }

    public static StatusResponse ok(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Status.OK, code, text);
    }

    public static StatusResponse no(String tag, String text) {
        return new StatusResponse(tag, Status.NO, null, text);
    }

    public static StatusResponse no(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Status.NO, code, text);
    }

    /** {@code NO [CANNOT]} for a change in a mailbox opened with EXAMINE (RFC 3501 section 6.3.2). */
    public static StatusResponse readOnly(String tag) {
        return no(tag, ResponseCode.CANNOT, "Mailbox is read-only (opened with EXAMINE)");
    }

    public static StatusResponse bad(String tag, String text) {
        return new StatusResponse(tag, Status.BAD, null, text);
    }

    public static StatusResponse bad(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Status.BAD, code, text);
    }

    /** An untagged {@code * OK [code] text}. */
    public static StatusResponse untaggedOk(ResponseCode code, String text) {
        return new StatusResponse(null, Status.OK, code, text);
    }

    public static StatusResponse bye(String text) {
        return new StatusResponse(null, Status.BYE, null, text);
    }

    public boolean isTagged() {
        return tag != null;
    }

    @Override
    public void write(ImapWriter out) {
        out.raw(tag == null ? "*" : tag).sp().raw(status.name()).sp();
        if (code != null) {
            code.write(out);
            out.sp();
        }
        out.raw(sanitize(text)).crlf();
    }

    /** Keeps the text 7-bit (resp-text is TEXT-CHARs), so a message never breaks the framing. */
    private static String sanitize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
