package io.stratusmail.imap.search;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.protocol.SequenceSet;
import io.stratusmail.mailbox.message.Flags;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code search-key}s of SEARCH (RFC 3501 section 6.4.4, grammar in section 9) into a
 * {@link SearchKey}. Strings (astrings: atom, quoted or literal) are decoded as UTF-8, which covers both
 * supported charsets (US-ASCII is a subset). Limits: {@value #MAX_KEYS} keys per command and parentheses,
 * NOT and OR nested at most {@value #MAX_DEPTH} deep; beyond them, or on any syntax error, a
 * {@link ParseException} (the command gets {@code BAD}).
 */
public final class SearchParser {

    /** Search keys per command at most. */
    public static final int MAX_KEYS = 1000;
    /** Nesting of parenthesized lists, NOT and OR at most. */
    public static final int MAX_DEPTH = 64;

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");

    private final CommandReader args;
    private int keys;

    private SearchParser(CommandReader args) {
        this.args = args;
    }

    /**
     * Reads {@code search-key *(SP search-key)} up to the end of the command (the space before the first key
     * is already read).
     *
     * @return the key, or an {@link SearchKey.And} of all keys when there are several
     */
    public static SearchKey parse(CommandReader args) throws ParseException {
        SearchParser parser = new SearchParser(args);
        List<SearchKey> all = new ArrayList<>();
        all.add(parser.key(0));
        while (!args.atEnd()) {
            args.sp();
            all.add(parser.key(0));
        }
        return all.size() == 1 ? all.get(0) : new SearchKey.And(all);
    }

    private SearchKey key(int depth) throws ParseException {
        if (++keys > MAX_KEYS) {
            throw new ParseException("Too many search keys (limit " + MAX_KEYS + ")");
        }
        if (depth > MAX_DEPTH) {
            throw new ParseException("Search keys nested too deeply (limit " + MAX_DEPTH + ")");
        }
        int c = args.peek();
        if (c == '(') {
            args.expect('(');
            List<SearchKey> list = new ArrayList<>();
            list.add(key(depth + 1));
            while (args.tryConsume(' ')) {
                list.add(key(depth + 1));
            }
            args.expect(')');
            return list.size() == 1 ? list.get(0) : new SearchKey.And(list);
        }
        if ((c >= '0' && c <= '9') || c == '*') {
            return new SearchKey.Sequence(sequenceSet(), false);
        }
        String name = args.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag(Flags.ANSWERED, true);
            case "DELETED" -> new SearchKey.Flag(Flags.DELETED, true);
            case "DRAFT" -> new SearchKey.Flag(Flags.DRAFT, true);
            case "FLAGGED" -> new SearchKey.Flag(Flags.FLAGGED, true);
            case "SEEN" -> new SearchKey.Flag(Flags.SEEN, true);
            case "UNANSWERED" -> new SearchKey.Flag(Flags.ANSWERED, false);
            case "UNDELETED" -> new SearchKey.Flag(Flags.DELETED, false);
            case "UNDRAFT" -> new SearchKey.Flag(Flags.DRAFT, false);
            case "UNFLAGGED" -> new SearchKey.Flag(Flags.FLAGGED, false);
            case "UNSEEN" -> new SearchKey.Flag(Flags.SEEN, false);
            case "KEYWORD" -> new SearchKey.Flag(keyword(), true);
            case "UNKEYWORD" -> new SearchKey.Flag(keyword(), false);
            case "RECENT" -> new SearchKey.Recent(true);
            case "OLD" -> new SearchKey.Recent(false);
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.Recent(true), new SearchKey.Flag(Flags.SEEN, false)));
            case "MODSEQ" -> modSeq();
            case "LARGER" -> new SearchKey.Size(true, number());
            case "SMALLER" -> new SearchKey.Size(false, number());
            case "BEFORE" -> new SearchKey.InternalDate(SearchKey.DateComparison.BEFORE, date());
            case "ON" -> new SearchKey.InternalDate(SearchKey.DateComparison.ON, date());
            case "SINCE" -> new SearchKey.InternalDate(SearchKey.DateComparison.SINCE, date());
            case "SENTBEFORE" -> new SearchKey.SentDate(SearchKey.DateComparison.BEFORE, date());
            case "SENTON" -> new SearchKey.SentDate(SearchKey.DateComparison.ON, date());
            case "SENTSINCE" -> new SearchKey.SentDate(SearchKey.DateComparison.SINCE, date());
            case "BCC" -> new SearchKey.Header("Bcc", text());
            case "CC" -> new SearchKey.Header("Cc", text());
            case "FROM" -> new SearchKey.Header("From", text());
            case "SUBJECT" -> new SearchKey.Header("Subject", text());
            case "TO" -> new SearchKey.Header("To", text());
            case "HEADER" -> header();
            case "BODY" -> new SearchKey.Body(text());
            case "TEXT" -> new SearchKey.Text(text());
            case "UID" -> {
                args.sp();
                yield new SearchKey.Sequence(sequenceSet(), true);
            }
            case "NOT" -> {
                args.sp();
                yield new SearchKey.Not(key(depth + 1));
            }
            case "OR" -> {
                args.sp();
                SearchKey left = key(depth + 1);
                args.sp();
                yield new SearchKey.Or(left, key(depth + 1));
            }
            default -> throw new ParseException("Unknown search key " + (name.length() > 32
                    ? name.substring(0, 32) + "..." : name));
        };
    }

    private SequenceSet sequenceSet() throws ParseException {
        return SequenceSet.parse(args.token(SequenceSet::isSequenceChar, "a sequence set"));
    }

    /** {@code MODSEQ [SP entry-name SP entry-type-req] SP mod-sequence-valzer} (RFC 7162 section 3.1.5). */
    private SearchKey modSeq() throws ParseException {
        args.sp();
        if (args.peek() == '"') {
            args.string();
            args.sp();
            String type = args.atom().toLowerCase(Locale.ROOT);
            if (!type.equals("priv") && !type.equals("shared") && !type.equals("all")) {
                throw new ParseException("MODSEQ entry type must be priv, shared or all");
            }
            args.sp();
        }
        return new SearchKey.ModSeq(args.number(Long.MAX_VALUE));
    }

    private String keyword() throws ParseException {
        args.sp();
        String keyword = args.atom();
        try {
            Flags.of(keyword);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Invalid keyword: " + e.getMessage());
        }
        return keyword;
    }

    private long number() throws ParseException {
        args.sp();
        return args.number(SequenceSet.MAX_NUMBER);
    }

    private String text() throws ParseException {
        args.sp();
        return utf8(args.astring());
    }

    private SearchKey header() throws ParseException {
        args.sp();
        byte[] name = args.astring();
        if (name.length == 0) {
            throw new ParseException("HEADER needs a field name");
        }
        for (byte b : name) {
            if (b <= ' ' || b >= 0x7f || b == ':') {
                throw new ParseException("Invalid header field name");
            }
        }
        return new SearchKey.Header(new String(name, StandardCharsets.US_ASCII), text());
    }

    /** {@code date = date-text / DQUOTE date-text DQUOTE}, {@code date-text = 1*2DIGIT "-" Mon "-" 4DIGIT}. */
    private LocalDate date() throws ParseException {
        args.sp();
        String text = args.peek() == '"' ? new String(args.string(), StandardCharsets.US_ASCII)
                : args.atom();
        String[] parts = text.split("-", -1);
        if (parts.length != 3 || !parts[0].matches("\\d{1,2}") || !parts[2].matches("\\d{4}")
                || !MONTHS.contains(parts[1].toUpperCase(Locale.ROOT))) {
            throw new ParseException("Invalid date, expected e.g. 1-Feb-1994");
        }
        try {
            return LocalDate.of(Integer.parseInt(parts[2]), MONTHS.indexOf(parts[1].toUpperCase(Locale.ROOT)) + 1,
                    Integer.parseInt(parts[0]));
        } catch (DateTimeException e) {
            throw new ParseException("Invalid date: " + e.getMessage());
        }
    }

    private static String utf8(byte[] octets) throws ParseException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            throw new ParseException("Search string is not valid in the given charset");
        }
    }
}
