package io.stratusmail.mailbox.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored message (RFC 5322 / MIME octets) located part by part, for FETCH: {@link #envelope() ENVELOPE},
 * {@link #bodyStructure() BODY/BODYSTRUCTURE} and {@link #section BODY[section]} (RFC 3501 sections 6.4.5 and
 * 7.4.2, RFC 9051 sections 6.4.5 and 7.5.2).
 *
 * <p>Parsing records byte offsets only (see {@link MimeStructureParser}); the content is never copied or
 * re-encoded, so every section is an exact slice of the stored octets with their original line ends (CRLF or
 * bare LF). ENVELOPE and BODYSTRUCTURE are computed on first use. Memory beyond the content is proportional to
 * the number of MIME parts, which is capped at {@value #MAX_PARTS}.
 *
 * <p>Malformed or hostile input never makes it throw: a missing header/body separator makes the whole message
 * its header; garbage lines stay in the header; missing boundaries, 8-bit octets and bare LF are tolerated;
 * multiparts and encapsulated messages nested deeper than {@value #MAX_DEPTH} levels are left opaque.
 *
 * <p>Immutable and thread-safe, provided the caller never modifies the content array it passed to
 * {@link #parse} (it is kept, not copied).
 */
public final class ParsedMessage {

    /** Nesting levels of multiparts and encapsulated messages that are parsed; deeper ones are opaque leaves. */
    public static final int MAX_DEPTH = 50;
    /** MIME entities (message, parts, encapsulated messages) parsed per message; beyond it parts are not split. */
    public static final int MAX_PARTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ParsedMessage.class);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] content;
    /** {@link #content} for the parsers, which read by absolute index. */
    private final ByteBuffer octets;
    private final MimeEntity root;
    private volatile Envelope envelope;
    private volatile BodyStructure bodyStructure;

    private ParsedMessage(byte[] content, MimeEntity root) {
        this.content = content;
        this.octets = ByteBuffer.wrap(content);
        this.root = root;
    }

    /**
     * Locates the header, body and parts of {@code content}. Linear in the size per nesting level; never throws
     * for any content.
     *
     * @param content the message octets as stored; kept by reference, must not be modified afterwards
     * @throws NullPointerException when {@code content} is null
     */
    public static ParsedMessage parse(byte[] content) {
        if (content == null) {
            throw new NullPointerException("content");
        }
        return new ParsedMessage(content, structure(ByteBuffer.wrap(content)));
    }

    /**
     * The MIME tree of the octets {@code [0, limit())} of {@code content}, read by absolute index; never throws
     * for any content.
     */
    static MimeEntity structure(ByteBuffer content) {
        try {
            return MimeStructureParser.parse(content);
        } catch (RuntimeException | StackOverflowError e) {
            // Not expected (the corpus and fuzz tests say so); serve the message flat rather than fail FETCH.
            LOG.warn("event=mime_parse_failed size={} error={}", content.limit(), e.toString());
            return MimeStructureParser.flat(content);
        }
    }

    /** The message's ENVELOPE (RFC 3501 section 7.4.2); see {@link Envelope} for the rules. */
    public Envelope envelope() {
        Envelope e = envelope;
        if (e == null) {
            e = EnvelopeParser.parse(octets, root.header);
            envelope = e;
        }
        return e;
    }

    /** The message's BODYSTRUCTURE (RFC 3501 section 7.4.2); see {@link BodyStructure} for the model. */
    public BodyStructure bodyStructure() {
        BodyStructure b = bodyStructure;
        if (b == null) {
            b = BodyStructureBuilder.build(octets, root);
            bodyStructure = b;
        }
        return b;
    }

    /**
     * The octets of {@code BODY[section]} (RFC 3501 section 6.4.5, RFC 9051 section 6.4.5), before any
     * {@code <partial>} range, as a new array.
     *
     * <ul>
     *   <li>{@code []}: the whole message; {@code [HEADER]}, {@code [TEXT]}: its header (with the empty line
     *       that ends it) and its body; HEADER followed by TEXT is the whole message.</li>
     *   <li>{@code [HEADER.FIELDS (...)]} / {@code [HEADER.FIELDS.NOT (...)]}: the fields whose name is (is not)
     *       in the list, compared case-insensitively, as their original folded lines in original order, then an
     *       empty line (CRLF).</li>
     *   <li>{@code [n.m...]}: the body of that part. Parts of a multipart are numbered from 1; a
     *       {@code message/rfc822} part's numbers continue into the encapsulated message; a part (or message)
     *       that is not a multipart has a part 1, itself ({@code [1]} of a single-part message is its text).</li>
     *   <li>{@code [n.MIME]}: the MIME header of part n; {@code [n.HEADER]}, {@code [n.TEXT]} and the field
     *       forms: the header and body of the message encapsulated in part n, which must be a
     *       {@code message/rfc822} (or {@code message/global}) part.</li>
     * </ul>
     *
     * @return the octets; empty (never null) when the section does not exist in this message
     */
    public byte[] section(BodySection section) {
        MimeEntity part = PartNode.locate(root, section.part());
        if (part == null) {
            return EMPTY;
        }
        boolean whole = section.part().isEmpty();
        return switch (section.kind()) {
            case ALL -> whole ? content.clone() : slice(part.bodyStart(), part.end);
            case MIME -> slice(part.start(), part.bodyStart());
            case HEADER, TEXT, HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                MimeEntity message = whole ? root : part.message;
                if (message == null) {
                    yield EMPTY;
                }
                yield switch (section.kind()) {
                    case HEADER -> slice(message.start(), message.bodyStart());
                    case TEXT -> slice(message.bodyStart(), message.end);
                    case HEADER_FIELDS ->
                            fields(content, message.start(), message.bodyStart(), section.fieldNames(), true);
                    default -> fields(content, message.start(), message.bodyStart(), section.fieldNames(), false);
                };
            }
        };
    }

    private byte[] slice(int from, int to) {
        return from >= to ? EMPTY : Arrays.copyOfRange(content, from, to);
    }

    /**
     * {@code HEADER.FIELDS} ({@code matching}) or {@code HEADER.FIELDS.NOT} of the header {@code [start, end)} of
     * {@code content}: the (non-)matching fields as their original folded lines, then an empty line (CRLF).
     * Depends only on the header's octets, so a header read on its own gives the same result.
     */
    static byte[] fields(byte[] content, int start, int end, List<String> names, boolean matching) {
        Set<String> wanted = new HashSet<>();
        for (String n : names) {
            wanted.add(n.toLowerCase(Locale.ROOT));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderScanner s = new HeaderScanner(content, start, end);
        while (s.next()) {
            String name = s.lowerCaseName();
            if ((name != null && wanted.contains(name)) == matching) {
                out.write(content, s.fieldStart, s.fieldEnd - s.fieldStart);
                if (content[s.fieldEnd - 1] != '\n') {
                    out.write(CRLF, 0, 2);
                }
            }
        }
        out.write(CRLF, 0, 2);
        return out.toByteArray();
    }

    /** The MIME tree, for tests in this package. */
    MimeEntity root() {
        return root;
    }

    /** The content as parsed, for tests in this package. */
    byte[] content() {
        return content;
    }
}
