package io.stratusmail.mailbox.mime;

import io.stratusmail.mailbox.mime.BodyStructure.Basic;
import io.stratusmail.mailbox.mime.BodyStructure.Disposition;
import io.stratusmail.mailbox.mime.BodyStructure.Extension;
import io.stratusmail.mailbox.mime.BodyStructure.Fields;
import io.stratusmail.mailbox.mime.BodyStructure.Message;
import io.stratusmail.mailbox.mime.BodyStructure.Multipart;
import io.stratusmail.mailbox.mime.BodyStructure.Parameter;
import io.stratusmail.mailbox.mime.BodyStructure.Text;
import io.stratusmail.mailbox.mime.MessageSummary.Entity;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link MessageSummary}.
 *
 * <p>Layout (version 1): one octet {@value #VERSION}; the message size; the ENVELOPE; the BODYSTRUCTURE tree
 * (one tag octet per node: basic, text, message, multipart, then its fields in record order); the entity tree in
 * pre-order (start as a delta from the previous position, header length, body length, then a kind octet: leaf,
 * multipart with its part count and parts, or message with its encapsulated message). Numbers are unsigned
 * LEB128 varints. Strings are varints: 0 is NIL, 1 introduces a new UTF-8 string (length, octets) that enters
 * a table, {@code k >= 2} repeats table entry {@code k - 2}: the many repeated {@code TEXT}, {@code PLAIN},
 * {@code CHARSET}, {@code 7BIT} cost one octet each. Measured: about 20 octets per plain part.
 *
 * <p>Why hand-written rather than Jackson (Smile/CBOR): the model is a small fixed tree of records including a
 * sealed interface, which Jackson databind could only read with polymorphic type annotations on the public
 * {@link BodyStructure} (type ids in every node, a known deserialization hazard) and which the streaming API
 * would have us write field by field anyway; here that is about the same code, with exact control over NIL, a
 * string table that makes it several times smaller, and strict validation on read: every count, length, depth
 * and offset is checked against the remaining input and the parser's limits before anything is allocated, and
 * any violation is an {@link IllegalArgumentException}, never a partial summary.
 */
final class SummaryCodec {

    /** The current format version, the first octet of every encoded summary. */
    static final int VERSION = 1;

    /** Nesting accepted on read: the parser nests at most MAX_DEPTH multiparts/messages; each adds 2 levels. */
    private static final int MAX_NESTING = 2 * ParsedMessage.MAX_DEPTH + 8;
    /** Tree nodes accepted on read: the parser makes at most MAX_PARTS entities plus an empty part per multipart. */
    private static final int MAX_NODES = 4 * ParsedMessage.MAX_PARTS + 16;

    private static final int BASIC = 0;
    private static final int TEXT = 1;
    private static final int MESSAGE = 2;
    private static final int MULTIPART = 3;
    private static final int LEAF = 0;
    private static final int MULTIPART_ENTITY = 1;
    private static final int MESSAGE_ENTITY = 2;

    private SummaryCodec() {
    }

    static byte[] encode(MessageSummary summary) {
        Writer w = new Writer();
        w.out.write(VERSION);
        w.number(summary.size());
        w.envelope(summary.envelope());
        w.body(summary.bodyStructure());
        w.entity(summary.root(), 0);
        return w.out.toByteArray();
    }

    static MessageSummary decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty message summary");
        }
        int version = encoded[0] & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown message summary format version " + version);
        }
        Reader r = new Reader(encoded);
        try {
            long size = r.number();
            Envelope envelope = r.envelope();
            BodyStructure body = r.body(0);
            Entity root = r.entity(0, 0, size, 0);
            if (r.pos != encoded.length) {
                throw new IllegalArgumentException("trailing octets after the message summary");
            }
            return new MessageSummary(size, envelope, body, root);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            // Records reject some values with other exceptions (List.copyOf of a null...): still bad input.
            throw new IllegalArgumentException("malformed message summary: " + e, e);
        }
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        private final Map<String, Integer> strings = new HashMap<>();

        void number(long v) {
            if (v < 0) {
                throw new IllegalStateException("negative number in a summary: " + v);
            }
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void flag(boolean present) {
            out.write(present ? 1 : 0);
        }

        void string(String s) {
            if (s == null) {
                number(0);
                return;
            }
            Integer index = strings.get(s);
            if (index != null) {
                number(index + 2L);
                return;
            }
            strings.put(s, strings.size());
            byte[] octets = s.getBytes(StandardCharsets.UTF_8);
            number(1);
            number(octets.length);
            out.write(octets, 0, octets.length);
        }

        void strings(List<String> list) {
            number(list.size());
            for (String s : list) {
                string(s);
            }
        }

        void envelope(Envelope e) {
            string(e.date());
            string(e.subject());
            addresses(e.from());
            addresses(e.sender());
            addresses(e.replyTo());
            addresses(e.to());
            addresses(e.cc());
            addresses(e.bcc());
            string(e.inReplyTo());
            string(e.messageId());
        }

        void addresses(List<Address> list) {
            number(list.size());
            for (Address a : list) {
                string(a.name());
                string(a.adl());
                string(a.mailbox());
                string(a.host());
            }
        }

        void parameters(List<Parameter> list) {
            number(list.size());
            for (Parameter p : list) {
                string(p.name());
                string(p.value());
            }
        }

        void disposition(Disposition d) {
            flag(d != null);
            if (d != null) {
                string(d.type());
                parameters(d.parameters());
            }
        }

        void fields(Fields f) {
            parameters(f.parameters());
            string(f.id());
            string(f.description());
            string(f.encoding());
            number(f.size());
        }

        void extension(Extension x) {
            flag(x != null);
            if (x != null) {
                string(x.md5());
                disposition(x.disposition());
                strings(x.language());
                string(x.location());
            }
        }

        void body(BodyStructure b) {
            if (b instanceof Basic basic) {
                out.write(BASIC);
                string(basic.type());
                string(basic.subtype());
                fields(basic.fields());
                extension(basic.extension());
            } else if (b instanceof Text text) {
                out.write(TEXT);
                string(text.type());
                string(text.subtype());
                fields(text.fields());
                number(text.lines());
                extension(text.extension());
            } else if (b instanceof Message message) {
                out.write(MESSAGE);
                string(message.type());
                string(message.subtype());
                fields(message.fields());
                envelope(message.envelope());
                body(message.body());
                number(message.lines());
                extension(message.extension());
            } else {
                Multipart multipart = (Multipart) b;
                out.write(MULTIPART);
                number(multipart.parts().size());
                for (BodyStructure part : multipart.parts()) {
                    body(part);
                }
                string(multipart.subtype());
                parameters(multipart.parameters());
                disposition(multipart.disposition());
                strings(multipart.language());
                string(multipart.location());
            }
        }

        void entity(Entity e, long position) {
            number(e.start() - position);
            number(e.bodyStart() - e.start());
            number(e.end() - e.bodyStart());
            if (e.isMultipart()) {
                out.write(MULTIPART_ENTITY);
                number(e.parts().size());
                long at = e.bodyStart();
                for (Entity part : e.parts()) {
                    entity(part, at);
                    at = part.end();
                }
            } else if (e.message() != null) {
                out.write(MESSAGE_ENTITY);
                entity(e.message(), e.bodyStart());
            } else {
                out.write(LEAF);
            }
        }
    }

    private static final class Reader {
        private final byte[] in;
        int pos = 1;
        private final List<String> strings = new ArrayList<>();
        private int nodes;

        Reader(byte[] in) {
            this.in = in;
        }

        private int octet() {
            if (pos >= in.length) {
                throw new IllegalArgumentException("truncated message summary");
            }
            return in[pos++] & 0xff;
        }

        long number() {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = octet();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (v < 0) {
                        break;
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("number out of range in message summary");
        }

        /** A count of items that each take at least one octet, so it cannot exceed the remaining input. */
        int count() {
            long n = number();
            if (n > in.length - pos) {
                throw new IllegalArgumentException("count " + n + " exceeds the message summary");
            }
            return (int) n;
        }

        boolean flag() {
            int b = octet();
            if (b > 1) {
                throw new IllegalArgumentException("bad flag " + b + " in message summary");
            }
            return b == 1;
        }

        String string() {
            long tag = number();
            if (tag == 0) {
                return null;
            }
            if (tag == 1) {
                int length = count();
                String s;
                try {
                    s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(in, pos, length)).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("invalid UTF-8 in message summary", e);
                }
                pos += length;
                strings.add(s);
                return s;
            }
            if (tag - 2 >= strings.size()) {
                throw new IllegalArgumentException("unknown string reference " + tag + " in message summary");
            }
            return strings.get((int) (tag - 2));
        }

        /** A string that must not be NIL (list elements, record components that are never null). */
        String text() {
            String s = string();
            if (s == null) {
                throw new IllegalArgumentException("NIL where a string is required in message summary");
            }
            return s;
        }

        List<String> strings() {
            int n = count();
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(text());
            }
            return list;
        }

        Envelope envelope() {
            String date = string();
            String subject = string();
            List<Address> from = addresses();
            List<Address> sender = addresses();
            List<Address> replyTo = addresses();
            List<Address> to = addresses();
            List<Address> cc = addresses();
            List<Address> bcc = addresses();
            return new Envelope(date, subject, from, sender, replyTo, to, cc, bcc, string(), string());
        }

        List<Address> addresses() {
            int n = count();
            List<Address> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(new Address(string(), string(), string(), string()));
            }
            return list;
        }

        List<Parameter> parameters() {
            int n = count();
            List<Parameter> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(new Parameter(string(), string()));
            }
            return list;
        }

        Disposition disposition() {
            return flag() ? new Disposition(string(), parameters()) : null;
        }

        Fields fields() {
            return new Fields(parameters(), string(), string(), string(), number());
        }

        Extension extension() {
            return flag() ? new Extension(string(), disposition(), strings(), string()) : null;
        }

        private void enter(int depth) {
            if (depth > MAX_NESTING) {
                throw new IllegalArgumentException("message summary nested too deep");
            }
            if (++nodes > MAX_NODES) {
                throw new IllegalArgumentException("message summary has too many nodes");
            }
        }

        BodyStructure body(int depth) {
            enter(depth);
            int tag = octet();
            return switch (tag) {
                case BASIC -> new Basic(string(), string(), fields(), extension());
                case TEXT -> new Text(string(), string(), fields(), number(), extension());
                case MESSAGE -> {
                    String type = string();
                    String subtype = string();
                    Fields fields = fields();
                    Envelope envelope = envelope();
                    BodyStructure body = body(depth + 1);
                    yield new Message(type, subtype, fields, envelope, body, number(), extension());
                }
                case MULTIPART -> {
                    int n = count();
                    if (n == 0) {
                        throw new IllegalArgumentException("multipart without parts in message summary");
                    }
                    List<BodyStructure> parts = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        parts.add(body(depth + 1));
                    }
                    yield new Multipart(parts, string(), parameters(), disposition(), strings(), string());
                }
                default -> throw new IllegalArgumentException("bad body structure tag " + tag + " in message summary");
            };
        }

        /** An entity starting at or after {@code position} and ending at or before {@code limit}. */
        Entity entity(long position, long minStart, long limit, int depth) {
            enter(depth);
            long start = add(position, number());
            long bodyStart = add(start, number());
            long end = add(bodyStart, number());
            if (start < minStart || end > limit) {
                throw new IllegalArgumentException("entity outside its parent in message summary");
            }
            int kind = octet();
            return switch (kind) {
                case LEAF -> new Entity(start, bodyStart, end, List.of(), null);
                case MULTIPART_ENTITY -> {
                    int n = count();
                    if (n == 0) {
                        throw new IllegalArgumentException("multipart entity without parts in message summary");
                    }
                    List<Entity> parts = new ArrayList<>(n);
                    long at = bodyStart;
                    for (int i = 0; i < n; i++) {
                        Entity part = entity(at, bodyStart, end, depth + 1);
                        parts.add(part);
                        at = part.end();
                    }
                    yield new Entity(start, bodyStart, end, parts, null);
                }
                case MESSAGE_ENTITY ->
                        new Entity(start, bodyStart, end, List.of(), entity(bodyStart, bodyStart, end, depth + 1));
                default -> throw new IllegalArgumentException("bad entity kind " + kind + " in message summary");
            };
        }

        private static long add(long a, long b) {
            long sum = a + b;
            if (sum < 0) {
                throw new IllegalArgumentException("offset overflow in message summary");
            }
            return sum;
        }
    }
}
