package io.stratusmail.imap.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * The text of one message as SEARCH compares it (RFC 3501 section 6.4.4): the top-level header fields,
 * unfolded and RFC 2047 decoded; the body text, i.e. every {@code text/*} part (nested messages included)
 * with its Content-Transfer-Encoding (quoted-printable, base64) and charset decoded, plus the headers of
 * encapsulated messages; and the date part of the {@code Date:} field. Everything is kept in lower case
 * ({@link Locale#ROOT}) so a case-insensitive substring test is a plain {@code contains}.
 *
 * <p>Parsed with mime4j's streaming parser in its permissive mode: any octets give a result, never an
 * exception. Memory: the decoded text, at most about twice the message size in octets. CPU-heavy for large
 * messages: build it off the event loop. Immutable.
 */
public final class SearchableMessage {

    /** {@code [day,] d Mon yyyy} at the start of an RFC 5322 date (2-digit years per its obsolete syntax). */
    private static final Pattern DATE = Pattern.compile(
            "^\\s*(?:[A-Za-z]+\\s*,)?\\s*(\\d{1,2})\\s+([A-Za-z]{3})[A-Za-z]*\\.?\\s+(\\d{2,4})(?:\\D|$)");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");

    /** Top-level header fields: lower-case name, lower-case decoded value. */
    private final List<String[]> fields;
    private final String body;
    private final LocalDate sentDate;

    private SearchableMessage(List<String[]> fields, String body, LocalDate sentDate) {
        this.fields = fields;
        this.body = body;
        this.sentDate = sentDate;
    }

    /** Decodes {@code content} (RFC 5322 / MIME octets); never throws for any content. */
    public static SearchableMessage parse(byte[] content) {
        Collector collector = new Collector();
        MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
        parser.setContentDecoding(true);
        parser.setContentHandler(collector);
        try {
            parser.parse(new ByteArrayInputStream(content));
        } catch (MimeException | IOException | RuntimeException e) {
            // Whatever mime4j could not structure is still searched, as raw text.
            collector.body.append('\n').append(lower(decodeHeader(content)));
        }
        LocalDate sent = null;
        for (String[] f : collector.fields) {
            if (f[0].equals("date")) {
                sent = date(f[1]);
                break;
            }
        }
        return new SearchableMessage(List.copyOf(collector.fields), collector.body.toString(), sent);
    }

    /**
     * Whether a top-level field named {@code name} (case-insensitive) has a value containing {@code substring}
     * (case-insensitive); an empty substring asks only whether the field exists.
     */
    public boolean headerContains(String name, String substring) {
        String n = name.toLowerCase(Locale.ROOT);
        String s = lower(substring);
        for (String[] f : fields) {
            if (f[0].equals(n) && f[1].contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the body text contains {@code substring}, case-insensitively. */
    public boolean bodyContains(String substring) {
        return body.contains(lower(substring));
    }

    /** Whether the header (any field's name or value) or the body text contains {@code substring}. */
    public boolean textContains(String substring) {
        String s = lower(substring);
        for (String[] f : fields) {
            if ((f[0] + ": " + f[1]).contains(s)) {
                return true;
            }
        }
        return body.contains(s);
    }

    /** The date written in the {@code Date:} field, disregarding time and zone; null when missing or unreadable. */
    public LocalDate sentDate() {
        return sentDate;
    }

    private static LocalDate date(String value) {
        Matcher m = DATE.matcher(value);
        if (!m.find()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        try {
            return month == 0 ? null : LocalDate.of(year, month, Integer.parseInt(m.group(1)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Header octets as text: UTF-8 when valid (RFC 6532), else ISO-8859-1, which never fails. */
    private static String decodeHeader(byte[] octets) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return new String(octets, StandardCharsets.ISO_8859_1);
        }
    }

    /** Collects fields and text as mime4j walks the message. */
    private static final class Collector extends AbstractContentHandler {
        final List<String[]> fields = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        int messageDepth;
        /** Whether the header being read is a message's (not a body part's MIME header). */
        boolean messageHeader;

        @Override
        public void startMessage() {
            messageDepth++;
            messageHeader = true;
        }

        @Override
        public void endMessage() {
            messageDepth--;
        }

        @Override
        public void startBodyPart() {
            messageHeader = false;
        }

        @Override
        public void field(Field field) {
            if (!messageHeader) {
                return;
            }
            String raw = decodeHeader(field.getRaw().toByteArray());
            int colon = raw.indexOf(':');
            if (colon <= 0) {
                return;
            }
            String name = lower(raw.substring(0, colon).trim());
            String value = raw.substring(colon + 1).replaceAll("\r?\n(?=[ \t])", "").replaceAll("[\r\n]", "").trim();
            try {
                value = DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
            } catch (IllegalArgumentException e) {
                // Keep the value as written.
            }
            if (messageDepth == 1) {
                fields.add(new String[] {name, lower(value)});
            } else {
                body.append(name).append(": ").append(lower(value)).append('\n');
            }
        }

        @Override
        public void endHeader() {
            messageHeader = false;
        }

        @Override
        public void body(BodyDescriptor descriptor, InputStream in) throws IOException {
            String type = descriptor.getMimeType();
            if (type == null || !lower(type).startsWith("text/")) {
                return;
            }
            byte[] octets = in.readAllBytes();
            body.append(lower(decodeBody(octets, descriptor.getCharset()))).append('\n');
        }

        private static String decodeBody(byte[] octets, String charsetName) {
            Charset charset = charsetName == null ? null : CharsetUtil.lookup(charsetName);
            if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
                // Mislabelled 8-bit text is common; UTF-8 (else Latin-1) reads it best.
                return decodeHeader(octets);
            }
            return new String(octets, charset);
        }
    }
}
