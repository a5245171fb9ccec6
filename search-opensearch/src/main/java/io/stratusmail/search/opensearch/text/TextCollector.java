package io.stratusmail.search.opensearch.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.datetime.DateTime;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.field.datetime.parser.DateTimeParser;
import org.apache.james.mime4j.field.datetime.parser.ParseException;
import org.apache.james.mime4j.field.datetime.parser.TokenMgrError;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteSequence;

/** Receives mime4j parse events for {@link IndexedMessage#from(byte[], ExtractionLimits)}; single use. */
final class TextCollector extends AbstractContentHandler {

    /** Fields of an attached message that are part of the body text. */
    private static final Set<String> NESTED_FIELDS = Set.of("from", "to", "cc", "subject", "date");

    /** Years a date field of the index accepts (four digits); other dates are treated as unparseable. */
    private static final int MIN_YEAR = 1000;
    private static final int MAX_YEAR = 9999;

    private final ExtractionLimits limits;
    /** One entry per open entity: true for a message, false for a body part. */
    private final Deque<Boolean> entities = new ArrayDeque<>();

    private String subject;
    private final List<String> from = new ArrayList<>();
    private final List<String> to = new ArrayList<>();
    private final List<String> cc = new ArrayList<>();
    private final List<String> bcc = new ArrayList<>();
    private OffsetDateTime date;
    private String messageId;
    private final List<String> headers = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private long bodyOctets;
    private boolean truncated;

    TextCollector(ExtractionLimits limits) {
        this.limits = limits;
    }

    @Override
    public void startMessage() {
        entities.push(Boolean.TRUE);
    }

    @Override
    public void endMessage() {
        entities.poll();
    }

    @Override
    public void startBodyPart() {
        entities.push(Boolean.FALSE);
    }

    @Override
    public void endBodyPart() {
        entities.poll();
    }

    @Override
    public void field(Field field) {
        if (!Boolean.TRUE.equals(entities.peek())) {
            return; // a body part's own MIME header
        }
        String name = field.getName().strip().toLowerCase(Locale.ROOT);
        String value = unfoldedValue(field);
        if (entities.size() == 1) {
            topLevelField(name, value);
        } else if (NESTED_FIELDS.contains(name)) {
            appendBody(name + ": " + decodeWords(value) + "\n", false);
        }
    }

    private void topLevelField(String name, String value) {
        if (headers.size() < limits.maxHeaderFields()) {
            headers.add(searchable(name + ": " + decodeWords(value)));
        } else {
            truncated = true;
        }
        switch (name) {
            case "subject" -> {
                if (subject == null) {
                    subject = searchable(decodeWords(value));
                }
            }
            case "from" -> addresses(from, value);
            case "to" -> addresses(to, value);
            case "cc" -> addresses(cc, value);
            case "bcc" -> addresses(bcc, value);
            case "date" -> {
                if (date == null) {
                    date = parseDate(value);
                }
            }
            case "message-id" -> {
                if (messageId == null && !value.isBlank()) {
                    messageId = searchable(value);
                }
            }
            default -> {
                // kept in headers only
            }
        }
    }

    @Override
    public void body(BodyDescriptor descriptor, InputStream in) throws IOException {
        String mimeType = descriptor.getMimeType() == null ? "text/plain" : descriptor.getMimeType();
        if (!mimeType.startsWith("text/")) {
            return; // binary content is not text a user searches; the parser skips the unread octets
        }
        int remaining = (int) Math.max(0, limits.maxBodyOctets() - bodyOctets);
        byte[] octets = in.readNBytes(remaining);
        boolean cut = octets.length == remaining && in.read() != -1;
        bodyOctets += octets.length;
        if (cut) {
            truncated = true;
        }
        if (octets.length == 0) {
            return;
        }
        String text = LenientCharsets.decode(octets, octets.length, descriptor.getCharset(), cut);
        appendBody(mimeType.equals("text/html") ? HtmlText.toText(text) : text, true);
    }

    void markTruncated() {
        truncated = true;
    }

    IndexedMessage result(long size) {
        return new IndexedMessage(
                Optional.ofNullable(subject),
                from,
                to,
                cc,
                bcc,
                Optional.ofNullable(date),
                Optional.ofNullable(messageId),
                headers,
                SearchText.normalize(body),
                truncated,
                size);
    }

    private void appendBody(String text, boolean counted) {
        if (!counted) {
            long room = limits.maxBodyOctets() - bodyOctets;
            if (room <= 0) {
                truncated = true;
                return;
            }
            if (text.length() > room) {
                text = SearchText.truncate(text, (int) room);
                truncated = true;
            }
            bodyOctets += text.length();
        }
        if (body.length() > 0) {
            body.append('\n');
        }
        body.append(text);
    }

    private void addresses(List<String> target, String value) {
        boolean parsed = false;
        try {
            for (Mailbox mailbox : LenientAddressParser.DEFAULT.parseAddressList(value).flatten()) {
                String rendered = render(mailbox);
                if (!rendered.isEmpty()) {
                    parsed = true;
                    add(target, rendered);
                }
            }
        } catch (RuntimeException unparseable) {
            parsed = false;
        }
        // The lenient parser can cut text that follows non-ASCII characters: keep the whole value then too.
        if (!parsed || !isAscii(value)) {
            String whole = searchable(decodeWords(value));
            if (!whole.isEmpty()) {
                add(target, whole);
            }
        }
    }

    private void add(List<String> target, String address) {
        if (target.size() < limits.maxAddresses()) {
            target.add(address);
        } else {
            truncated = true;
        }
    }

    private String render(Mailbox mailbox) {
        String address = mailbox.getAddress() == null ? "" : mailbox.getAddress();
        String name = mailbox.getName();
        String rendered = name == null || name.isBlank() ? address : name + " <" + address + ">";
        return searchable(rendered);
    }

    private String searchable(String text) {
        String normal = SearchText.normalize(text);
        if (normal.length() > limits.maxHeaderChars()) {
            truncated = true;
            return SearchText.truncate(normal, limits.maxHeaderChars());
        }
        return normal;
    }

    /**
     * A field's value: its raw octets as UTF-8 when valid (RFC 6532), else ISO-8859-1, without the name and
     * colon, unfolded (RFC 5322 section 2.2.3), with leading whitespace removed.
     */
    private static String unfoldedValue(Field field) {
        String text;
        ByteSequence raw = field.getRaw();
        if (raw != null) {
            byte[] octets = raw.toByteArray();
            String whole = LenientCharsets.utf8OrLatin1(octets, octets.length);
            int colon = whole.indexOf(':');
            text = colon < 0 ? "" : whole.substring(colon + 1);
        } else {
            text = field.getBody() == null ? "" : field.getBody();
        }
        StringBuilder unfolded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                unfolded.append(c);
            }
        }
        return unfolded.toString().stripLeading();
    }

    /** RFC 2047 encoded words decoded; a value that cannot be decoded is kept as written. */
    private static String decodeWords(String value) {
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException undecodable) {
            return value;
        }
    }

    /** RFC 5322 section 3.3 date-time, obsolete forms (two-digit years, zone names) included. */
    private static OffsetDateTime parseDate(String value) {
        try {
            DateTime parsed = new DateTimeParser(new StringReader(value)).parseAll();
            int zone = parsed.getTimeZone();
            OffsetDateTime date = OffsetDateTime.of(
                    parsed.getYear(),
                    parsed.getMonth(),
                    parsed.getDay(),
                    parsed.getHour(),
                    parsed.getMinute(),
                    parsed.getSecond(),
                    0,
                    ZoneOffset.ofHoursMinutes(zone / 100, zone % 100));
            int year = date.withOffsetSameInstant(ZoneOffset.UTC).getYear();
            if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR || year < MIN_YEAR || year > MAX_YEAR) {
                return null;
            }
            return date;
        } catch (ParseException | TokenMgrError | DateTimeException | ArithmeticException unparseable) {
            return null;
        }
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
