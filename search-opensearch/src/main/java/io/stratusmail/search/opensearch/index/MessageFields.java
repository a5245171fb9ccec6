package io.stratusmail.search.opensearch.index;

/**
 * Field names of a message document. Text fields that RFC 3501 SEARCH matches by substring have a
 * {@value #SUBSTRING} subfield of type {@code wildcard}: {@code subject.substring}, {@code body.substring}...
 */
public final class MessageFields {

    /** keyword: the owner's username. */
    public static final String USER = "user";
    /** keyword: the mailbox ID (UUID text); also the routing key. */
    public static final String MAILBOX_ID = "mailbox_id";
    /** long: the UID. */
    public static final String UID = "uid";
    /** text + substring: the decoded Subject. */
    public static final String SUBJECT = "subject";
    /** text + substring, one value per address: {@code Display Name <local@domain>}. */
    public static final String FROM = "from";
    /** As {@link #FROM}. */
    public static final String TO = "to";
    /** As {@link #FROM}. */
    public static final String CC = "cc";
    /** As {@link #FROM}. */
    public static final String BCC = "bcc";
    /** date: the Date field's instant. */
    public static final String DATE = "date";
    /** date (yyyy-MM-dd): the Date field's date in its own zone, for RFC 3501 SENTBEFORE/SENTON/SENTSINCE. */
    public static final String SENT_DATE = "sent_date";
    /** keyword: the Message-ID, as written. */
    public static final String MESSAGE_ID = "message_id";
    /** wildcard only, one value per top-level field: {@code lower-case-name: decoded value}. */
    public static final String HEADERS = "headers";
    /** text + substring: the text of the text parts, capped. */
    public static final String BODY = "body";
    /** long: RFC822.SIZE in octets. */
    public static final String SIZE = "size";
    /** boolean: some text was not indexed (limits or broken MIME). */
    public static final String TRUNCATED = "truncated";

    /** Name of the wildcard subfield of the text fields. */
    public static final String SUBSTRING = "substring";

    private MessageFields() {
    }

    /** The substring (wildcard) subfield of a text field, e.g. {@code subject.substring}. */
    public static String substring(String field) {
        return field + "." + SUBSTRING;
    }
}
