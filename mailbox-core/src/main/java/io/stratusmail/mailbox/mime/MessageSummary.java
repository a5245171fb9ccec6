package io.stratusmail.mailbox.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What FETCH needs of a message without its octets, computed once when the message is stored: RFC822.SIZE,
 * ENVELOPE, BODY/BODYSTRUCTURE (RFC 3501 section 7.4.2, RFC 9051 section 7.5.2) and the octet range of every
 * MIME entity (start, body start, end of each part and encapsulated message), so that any
 * {@code BODY[section]} (RFC 3501 section 6.4.5) is answered by reading only {@link #range(BodySection) its
 * range} of the stored message.
 *
 * <p>Values are exactly those of {@link ParsedMessage} for the same content: {@link #envelope()} and
 * {@link #bodyStructure()} equal {@code ParsedMessage.parse(content)}'s, and
 * {@code section(s, content[range(s)])} equals {@code ParsedMessage.section(s)} for every section.
 *
 * <p>Stored form: {@link #encode()} / {@link #decode(byte[])}, a compact versioned binary form (see
 * {@link SummaryCodec} for the layout and why it is not Jackson). Immutable and thread-safe; equality is by
 * value (size, ENVELOPE, BODYSTRUCTURE and every entity range).
 */
public final class MessageSummary {

    /**
     * An octet range {@code [from, to)} of a stored message.
     *
     * @param from first octet, 0-based, {@code >= 0}
     * @param to   end (exclusive), {@code >= from}
     */
    public record Range(long from, long to) {
        public Range {
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
            }
        }

        /** The number of octets in the range. */
        public long length() {
            return to - from;
        }
    }

    /**
     * One MIME entity by octet offsets into the message: header {@code [start, bodyStart)} including the empty
     * line that ends it, body {@code [bodyStart, end)}. A multipart has its parts (never empty); a
     * {@code message/rfc822} part whose body is parsed has its encapsulated message; anything else is a leaf.
     */
    record Entity(long start, long bodyStart, long end, List<Entity> parts, Entity message)
            implements PartNode<Entity> {
        Entity {
            parts = List.copyOf(parts);
            if (start < 0 || bodyStart < start || end < bodyStart) {
                throw new IllegalArgumentException("bad entity offsets " + start + "/" + bodyStart + "/" + end);
            }
            if (!parts.isEmpty() && message != null) {
                throw new IllegalArgumentException("an entity is a multipart or a message, not both");
            }
        }

        static Entity of(MimeEntity e) {
            List<Entity> parts = new ArrayList<>(e.parts.size());
            for (MimeEntity p : e.parts) {
                parts.add(of(p));
            }
            return new Entity(e.start(), e.bodyStart(), e.end, parts, e.message == null ? null : of(e.message));
        }

        Entity shifted(long by, boolean keepStart) {
            List<Entity> shiftedParts = new ArrayList<>(parts.size());
            for (Entity p : parts) {
                shiftedParts.add(p.shifted(by, false));
            }
            return new Entity(keepStart ? start : start + by, bodyStart + by, end + by, shiftedParts,
                    message == null ? null : message.shifted(by, false));
        }

        int count() {
            int n = 1;
            for (Entity p : parts) {
                n += p.count();
            }
            return message == null ? n : n + message.count();
        }
    }

    private final long size;
    private final Envelope envelope;
    private final BodyStructure bodyStructure;
    private final Entity root;

    MessageSummary(long size, Envelope envelope, BodyStructure bodyStructure, Entity root) {
        this.size = size;
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.bodyStructure = Objects.requireNonNull(bodyStructure, "bodyStructure");
        this.root = Objects.requireNonNull(root, "root");
        if (root.start() != 0 || root.end() != size) {
            throw new IllegalArgumentException("the root entity must cover the message");
        }
    }

    /**
     * Parses {@code content} once (with {@link ParsedMessage}, same tolerance: never throws for any content, same
     * limits {@link ParsedMessage#MAX_DEPTH} and {@link ParsedMessage#MAX_PARTS}).
     *
     * @param content the message octets as stored; not kept
     * @throws NullPointerException when {@code content} is null
     */
    public static MessageSummary of(byte[] content) {
        ParsedMessage parsed = ParsedMessage.parse(content);
        return new MessageSummary(content.length, parsed.envelope(), parsed.bodyStructure(),
                Entity.of(parsed.root()));
    }

    /**
     * As {@link #of(byte[])} for the octets between {@code content}'s position and limit, read in place by
     * absolute index, so a memory-mapped file ({@link java.nio.channels.FileChannel#map}) is summarized without
     * the message ever being on the heap: the heap used is the MIME tree and the header values ENVELOPE and
     * BODYSTRUCTURE keep, whatever the message size. The buffer's position and limit are not changed.
     *
     * @param content at most {@link Integer#MAX_VALUE} octets (offsets are ints, as in {@link ParsedMessage})
     * @throws NullPointerException when {@code content} is null
     */
    public static MessageSummary of(java.nio.ByteBuffer content) {
        java.nio.ByteBuffer octets = content.slice();
        MimeEntity root = ParsedMessage.structure(octets);
        return new MessageSummary(octets.limit(), EnvelopeParser.parse(octets, root.header),
                BodyStructureBuilder.build(octets, root), Entity.of(root));
    }

    /**
     * The summary in its stored form: format version {@value SummaryCodec#VERSION} in the first octet, then the
     * fields (see {@link SummaryCodec}). Size is linear in the number of MIME parts and header values: about
     * 20-30 octets per plain part plus the ENVELOPE strings.
     */
    public byte[] encode() {
        return SummaryCodec.encode(this);
    }

    /**
     * Reads a summary written by {@link #encode()}.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a complete, well-formed summary of a known
     *                                  format version (truncated, trailing octets, bad offsets, too deep...)
     * @throws NullPointerException     when {@code encoded} is null
     */
    public static MessageSummary decode(byte[] encoded) {
        return SummaryCodec.decode(encoded);
    }

    /** RFC822.SIZE: the size of the message in octets. */
    public long size() {
        return size;
    }

    /** The message's ENVELOPE. */
    public Envelope envelope() {
        return envelope;
    }

    /** The message's BODY/BODYSTRUCTURE. */
    public BodyStructure bodyStructure() {
        return bodyStructure;
    }

    /** The number of MIME entities (message, parts, encapsulated messages), at least 1. */
    public int entityCount() {
        return root.count();
    }

    /**
     * The octet range to read for {@code BODY[section]} (before any {@code <partial>}), with the meaning of
     * sections of {@link ParsedMessage#section(BodySection)}:
     * <ul>
     *   <li>{@code []}, {@code [n]}, {@code [n.MIME]}, {@code [HEADER]}, {@code [TEXT]}, {@code [n.HEADER]},
     *       {@code [n.TEXT]}: the section itself, a contiguous slice of the message;</li>
     *   <li>{@code [HEADER.FIELDS (...)]}, {@code [HEADER.FIELDS.NOT (...)]} (also {@code n.}): the header the
     *       fields are selected from; {@link #section(BodySection, byte[])} selects them.</li>
     * </ul>
     *
     * @return the range, possibly empty; {@link Optional#empty()} when the section does not exist in this
     *         message (its octets are then the empty string)
     */
    public Optional<Range> range(BodySection section) {
        Entity part = PartNode.locate(root, section.part());
        if (part == null) {
            return Optional.empty();
        }
        boolean whole = section.part().isEmpty();
        return switch (section.kind()) {
            case ALL -> Optional.of(whole ? new Range(0, size) : new Range(part.bodyStart(), part.end()));
            case MIME -> Optional.of(new Range(part.start(), part.bodyStart()));
            case HEADER, TEXT, HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                Entity message = whole ? root : part.message();
                if (message == null) {
                    yield Optional.empty();
                }
                yield Optional.of(section.kind() == BodySection.Kind.TEXT
                        ? new Range(message.bodyStart(), message.end())
                        : new Range(message.start(), message.bodyStart()));
            }
        };
    }

    /**
     * The octets of {@code BODY[section]} from the octets of its {@link #range(BodySection) range}: those octets
     * themselves, or for {@code HEADER.FIELDS (.NOT)} the selected fields then an empty line (CRLF), exactly as
     * {@link ParsedMessage#section(BodySection)}.
     *
     * @param rangeOctets the octets of {@code range(section)} as read from the stored message
     */
    public static byte[] section(BodySection section, byte[] rangeOctets) {
        return switch (section.kind()) {
            case HEADER_FIELDS -> ParsedMessage.fields(rangeOctets, 0, rangeOctets.length, section.fieldNames(), true);
            case HEADER_FIELDS_NOT ->
                    ParsedMessage.fields(rangeOctets, 0, rangeOctets.length, section.fieldNames(), false);
            default -> rangeOctets;
        };
    }

    /**
     * The summary of the same message with {@code prefixLength} octets of complete header lines (such as
     * {@code Delivered-To: a@b\r\n}) inserted before its first octet: the size and every offset grow by
     * {@code prefixLength}, the top-level header still starts at 0, ENVELOPE and BODYSTRUCTURE are unchanged
     * (body sizes and line counts do not change). Equals {@code of(prefix + content)} when the prefix holds no
     * field that ENVELOPE or the top-level BODYSTRUCTURE reads (From, Subject, Content-Type...).
     *
     * @throws IllegalArgumentException when {@code prefixLength} is negative
     */
    public MessageSummary prefixed(int prefixLength) {
        if (prefixLength < 0) {
            throw new IllegalArgumentException("negative prefix length " + prefixLength);
        }
        if (prefixLength == 0) {
            return this;
        }
        return new MessageSummary(size + prefixLength, envelope, bodyStructure, root.shifted(prefixLength, true));
    }

    /** The top-level entity, for the codec. */
    Entity root() {
        return root;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageSummary other && size == other.size && envelope.equals(other.envelope)
                && bodyStructure.equals(other.bodyStructure) && root.equals(other.root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, envelope, bodyStructure, root);
    }

    @Override
    public String toString() {
        return "MessageSummary[size=" + size + ", entities=" + entityCount() + "]";
    }
}
