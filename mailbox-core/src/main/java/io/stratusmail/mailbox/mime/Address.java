package io.stratusmail.mailbox.mime;

/**
 * One {@code address} of an ENVELOPE address list (RFC 3501 section 7.4.2, RFC 9051 section 7.5.2): four
 * nstrings, {@code null} meaning NIL.
 *
 * <p>RFC 5322 group syntax is flattened the IMAP way: a group start marker ({@link #groupStart}: mailbox is
 * the group name, host NIL), the group's members, then a group end marker ({@link #GROUP_END}: mailbox and
 * host NIL). An ordinary mailbox therefore never has a NIL host; a mailbox written without a domain gets the
 * empty string as host so that clients do not take it for a group marker.
 *
 * @param name    the display name (phrase) as written, unquoted; RFC 2047 encoded-words are left encoded
 *                because clients decode them; {@code null} when absent
 * @param adl     the source route ({@code @a,@b}); almost always {@code null}
 * @param mailbox the local part, or the group name of a start marker
 * @param host    the domain; {@code null} only for group markers
 */
public record Address(String name, String adl, String mailbox, String host) {

    /** The marker that ends a group: all four fields NIL. */
    public static final Address GROUP_END = new Address(null, null, null, null);

    /** The marker that starts the group {@code groupName}. */
    public static Address groupStart(String groupName) {
        return new Address(null, null, groupName, null);
    }

    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return host == null && mailbox == null;
    }
}
