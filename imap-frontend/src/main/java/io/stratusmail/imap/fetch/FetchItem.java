package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.mime.BodyStructure;
import io.stratusmail.mailbox.mime.Envelope;
import io.stratusmail.mailbox.message.Flags;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One data item of a FETCH response ({@code msg-att}, RFC 3501 section 7.4.2). */
public interface FetchItem {

    /** Writes {@code NAME SP value}. */
    void write(ImapWriter out);

    /**
     * {@code FLAGS (...)}, with {@code \Recent} last when the message is recent for this session (RFC 3501
     * section 2.3.2; the store never holds it).
     */
    record FlagsItem(Flags flags, boolean recent) implements FetchItem {

        /** Flags without {@code \Recent}. */
        public FlagsItem(Flags flags) {
            this(flags, false);
        }

        @Override
        public void write(ImapWriter out) {
            if (!recent) {
                out.raw("FLAGS ").flagList(flags.values());
                return;
            }
            java.util.List<String> all = new java.util.ArrayList<>(flags.values());
            all.add(Flags.RECENT);
            out.raw("FLAGS ").flagList(all);
        }
    }

    /** {@code MODSEQ (n)} (RFC 7162 section 3.1.4.1): the message's mod-sequence. */
    record ModSeqItem(long modSeq) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw("MODSEQ (").number(modSeq).raw(')');
        }
    }

    /** {@code UID n}. */
    record UidItem(long uid) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw("UID ").number(uid);
        }
    }

    /** {@code INTERNALDATE "17-Jul-1996 02:44:25 +0000"}: RFC 3501 date-time, in UTC, whole seconds. */
    record InternalDateItem(Instant date) implements FetchItem {

        /** date-time: date-day-fixed ({@code SP DIGIT / 2DIGIT}) "-" date-month "-" date-year SP time SP zone. */
        static final DateTimeFormatter DATE_TIME =
                DateTimeFormatter.ofPattern("ppd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

        @Override
        public void write(ImapWriter out) {
            out.raw("INTERNALDATE \"").raw(DATE_TIME.format(date)).raw('"');
        }
    }

    /** {@code RFC822.SIZE n}: the message's size in octets. */
    record SizeItem(long size) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw("RFC822.SIZE ").number(size);
        }
    }

    /**
     * Body octets: {@code BODY[section]<origin>}, {@code RFC822}, {@code RFC822.HEADER} or {@code RFC822.TEXT},
     * always sent as a literal of exactly these octets.
     *
     * @param label  the item name as it appears in the response, e.g. {@code BODY[1.HEADER]<0>}
     * @param octets the data
     */
    record SectionItem(String label, byte[] octets) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw(label).sp().literal(octets);
        }
    }

    /** {@code ENVELOPE (...)} (RFC 3501 section 7.4.2). */
    record EnvelopeItem(Envelope envelope) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw("ENVELOPE ");
            EnvelopeEncoder.write(out, envelope);
        }
    }

    /** {@code BODYSTRUCTURE (...)} with extension data, or {@code BODY (...)} without. */
    record BodyStructureItem(BodyStructure structure, boolean extensionData) implements FetchItem {
        @Override
        public void write(ImapWriter out) {
            out.raw(extensionData ? "BODYSTRUCTURE " : "BODY ");
            BodyStructureEncoder.write(out, structure, extensionData);
        }
    }
}
