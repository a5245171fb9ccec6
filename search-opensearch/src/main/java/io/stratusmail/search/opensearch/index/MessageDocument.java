package io.stratusmail.search.opensearch.index;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.search.opensearch.text.IndexedMessage;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON document of one message in the index (see {@link MessageFields}). */
public final class MessageDocument {

    private MessageDocument() {
    }

    /**
     * The document ID: {@code <mailboxId>:<uid>}, so that indexing the same message again replaces it.
     *
     * @param mailbox the mailbox ID
     * @param uid     the UID, 1 to 4294967295
     */
    public static String id(MailboxId mailbox, long uid) {
        return mailbox + ":" + uid;
    }

    /**
     * The document source.
     *
     * @param mailbox the mailbox the message is in
     * @param uid     its UID
     * @param message its extracted text
     * @return a map that the client's JSON mapper serialises; absent values are left out, not null
     */
    public static Map<String, Object> source(Mailbox mailbox, long uid, IndexedMessage message) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put(MessageFields.USER, mailbox.owner().value());
        source.put(MessageFields.MAILBOX_ID, mailbox.id().toString());
        source.put(MessageFields.UID, uid);
        message.subject().ifPresent(subject -> source.put(MessageFields.SUBJECT, subject));
        putList(source, MessageFields.FROM, message.from());
        putList(source, MessageFields.TO, message.to());
        putList(source, MessageFields.CC, message.cc());
        putList(source, MessageFields.BCC, message.bcc());
        message.date().ifPresent(date -> {
            source.put(MessageFields.DATE, date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            source.put(MessageFields.SENT_DATE, date.toLocalDate().toString());
        });
        message.messageId().ifPresent(id -> source.put(MessageFields.MESSAGE_ID, id));
        putList(source, MessageFields.HEADERS, message.headers());
        source.put(MessageFields.BODY, message.body());
        source.put(MessageFields.SIZE, message.size());
        source.put(MessageFields.TRUNCATED, message.truncated());
        return source;
    }

    private static void putList(Map<String, Object> source, String field, List<String> values) {
        if (!values.isEmpty()) {
            source.put(field, values);
        }
    }
}
