package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A STATUS data item (RFC 3501 section 6.3.10; RFC 7162 section 3.1.2.1 HIGHESTMODSEQ; RFC 8438 SIZE; RFC 7889
 * section 4 APPENDLIMIT). Every value comes from the store's per-mailbox counters or the mailbox record, never
 * from reading messages. {@code DELETED} (RFC 9051) is not offered: the counters do not count {@code \Deleted}.
 */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, SIZE, APPENDLIMIT;

    /**
     * Reads {@code "(" status-att *(SP status-att) ")"}: at least one item, names case-insensitive, duplicates
     * kept once, in the client's order.
     *
     * @throws ParseException for an empty list or an unknown item
     */
    static Set<StatusItem> parseList(CommandReader args) throws ParseException {
        args.expect('(');
        Set<StatusItem> items = new LinkedHashSet<>();
        do {
            String name = args.atom().toUpperCase(Locale.ROOT);
            try {
                items.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ParseException("Unknown STATUS item " + (name.length() > 32 ? name.substring(0, 32)
                        : name) + "; supported: " + EnumSet.allOf(StatusItem.class));
            }
        } while (args.tryConsume(' '));
        args.expect(')');
        return items;
    }
}
