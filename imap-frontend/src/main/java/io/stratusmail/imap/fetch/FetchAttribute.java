package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.mailbox.mime.BodySection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code fetch-att} of FETCH (RFC 3501 section 6.4.5): a {@link Simple} data item, or a {@link Section} of
 * body octets ({@code BODY[section]<partial>}, {@code BODY.PEEK[...]}, {@code RFC822}, {@code RFC822.HEADER},
 * {@code RFC822.TEXT}).
 */
public sealed interface FetchAttribute permits FetchAttribute.Simple, FetchAttribute.Section {

    /** Data items without arguments. {@link #BODY} is BODYSTRUCTURE without extension data. */
    enum Simple implements FetchAttribute {
        FLAGS, UID, INTERNALDATE, RFC822_SIZE, ENVELOPE, BODYSTRUCTURE, BODY,
        /** RFC 7162 section 3.1.4.1: the message's mod-sequence. */
        MODSEQ
    }

    /**
     * Body octets.
     *
     * @param section which octets
     * @param peek    whether reading leaves {@code \Seen} alone (BODY.PEEK, RFC822.HEADER)
     * @param offset  start of the {@code <offset.length>} partial range, or -1 for the whole section
     * @param length  octets of the partial range (1 or more), or -1
     * @param label   the item's name in the response without the partial origin, e.g. {@code BODY[1.MIME]}
     */
    record Section(BodySection section, boolean peek, long offset, long length, String label)
            implements FetchAttribute {

        /** The name in the response: {@code label}, plus {@code <offset>} for a partial fetch. */
        public String responseLabel() {
            return offset < 0 ? label : label + "<" + offset + ">";
        }

        /** The partial range of {@code octets} (all of them without a range; empty past the end). */
        public byte[] slice(byte[] octets) {
            if (offset < 0) {
                return octets;
            }
            if (offset >= octets.length) {
                return new byte[0];
            }
            int end = (int) Math.min(octets.length, offset + length);
            return java.util.Arrays.copyOfRange(octets, (int) offset, end);
        }
    }

    /** Every attribute of {@code ALL}, {@code FAST}, {@code FULL} (RFC 3501 section 6.4.5 macros). */
    static List<FetchAttribute> macro(String name) {
        return switch (name) {
            case "ALL" -> List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE);
            case "FAST" -> List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE);
            case "FULL" -> List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE, Simple.BODY);
            default -> null;
        };
    }

    /** Whether {@code c} can occur in a fetch attribute name ({@code RFC822.SIZE}, {@code BODY.PEEK}). */
    static boolean isNameChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
    }

    /** Reads one {@code fetch-att}, given its already read upper-case {@code name}. */
    static FetchAttribute parse(String name, CommandReader args) throws ParseException {
        switch (name) {
            case "FLAGS":
                return Simple.FLAGS;
            case "UID":
                return Simple.UID;
            case "MODSEQ":
                return Simple.MODSEQ;
            case "INTERNALDATE":
                return Simple.INTERNALDATE;
            case "RFC822.SIZE":
                return Simple.RFC822_SIZE;
            case "ENVELOPE":
                return Simple.ENVELOPE;
            case "BODYSTRUCTURE":
                return Simple.BODYSTRUCTURE;
            case "RFC822":
                return new Section(BodySection.WHOLE, false, -1, -1, "RFC822");
            case "RFC822.HEADER":
                return new Section(new BodySection(List.of(), BodySection.Kind.HEADER, List.of()), true, -1, -1,
                        "RFC822.HEADER");
            case "RFC822.TEXT":
                return new Section(new BodySection(List.of(), BodySection.Kind.TEXT, List.of()), false, -1, -1,
                        "RFC822.TEXT");
            case "BODY":
                return args.peek() == '[' ? section(args, false) : Simple.BODY;
            case "BODY.PEEK":
                if (args.peek() != '[') {
                    throw new ParseException("BODY.PEEK needs a section, e.g. BODY.PEEK[]");
                }
                return section(args, true);
            default:
                throw new ParseException("Unknown FETCH attribute " + name);
        }
    }

    /** {@code section ["<" number "." nz-number ">"]}. */
    private static Section section(CommandReader args, boolean peek) throws ParseException {
        args.expect('[');
        List<Integer> part = new ArrayList<>();
        String keyword = "";
        while (args.peek() != ']') {
            int c = args.peek();
            if (c >= '0' && c <= '9') {
                long n = args.number(Integer.MAX_VALUE);
                if (n == 0) {
                    throw new ParseException("Section part numbers start at 1");
                }
                part.add((int) n);
                if (args.tryConsume('.')) {
                    continue;
                }
                break;
            }
            keyword = args.token(FetchAttribute::isNameChar, "a section (HEADER, TEXT, MIME, ...)")
                    .toUpperCase(Locale.ROOT);
            break;
        }
        BodySection.Kind kind;
        List<String> fields = List.of();
        switch (keyword) {
            case "" -> kind = BodySection.Kind.ALL;
            case "HEADER" -> kind = BodySection.Kind.HEADER;
            case "TEXT" -> kind = BodySection.Kind.TEXT;
            case "MIME" -> {
                if (part.isEmpty()) {
                    throw new ParseException("MIME needs a part number, e.g. BODY[1.MIME]");
                }
                kind = BodySection.Kind.MIME;
            }
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                kind = keyword.endsWith(".NOT") ? BodySection.Kind.HEADER_FIELDS_NOT : BodySection.Kind.HEADER_FIELDS;
                args.sp();
                fields = headerList(args);
            }
            default -> throw new ParseException("Unknown section " + keyword);
        }
        args.expect(']');
        long offset = -1;
        long length = -1;
        if (args.tryConsume('<')) {
            offset = args.number(0xFFFF_FFFFL);
            args.expect('.');
            length = args.number(0xFFFF_FFFFL);
            if (length == 0) {
                throw new ParseException("Partial length must be at least 1");
            }
            args.expect('>');
        }
        BodySection section = new BodySection(part, kind, fields);
        return new Section(section, peek, offset, length, "BODY[" + spec(part, keyword, fields) + "]");
    }

    /** {@code "(" header-fld-name *(SP header-fld-name) ")"}; names are printable ASCII without {@code :}. */
    private static List<String> headerList(CommandReader args) throws ParseException {
        args.expect('(');
        List<String> names = new ArrayList<>();
        do {
            byte[] name = args.astring();
            for (byte b : name) {
                if (b <= ' ' || b >= 0x7f || b == ':') {
                    throw new ParseException("Invalid header field name");
                }
            }
            names.add(new String(name, StandardCharsets.US_ASCII));
        } while (args.tryConsume(' '));
        args.expect(')');
        return names;
    }

    /** The section-spec as echoed in the response, field names as the client wrote them. */
    private static String spec(List<Integer> part, String keyword, List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int p : part) {
            sb.append(sb.length() == 0 ? "" : ".").append(p);
        }
        if (!keyword.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : ".").append(keyword);
        }
        if (!fields.isEmpty()) {
            ImapWriter w = new ImapWriter();
            w.raw(" (");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    w.sp();
                }
                w.astring(fields.get(i));
            }
            w.raw(")");
            sb.append(new String(w.toByteArray(), StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }
}
